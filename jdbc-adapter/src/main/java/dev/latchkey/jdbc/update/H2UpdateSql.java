package dev.latchkey.jdbc.update;

import java.util.List;

import dev.latchkey.jdbc.dialect.Dialect;

/** H2 (2.x): {@code SELECT ... FROM FINAL TABLE (...)} for returned values, {@code MERGE} for upserts. */
final class H2UpdateSql extends UpdateSql {

    H2UpdateSql(Dialect dialect) {
        super(dialect, Returning.FINAL_TABLE, Returning.FINAL_TABLE, "t.%s", "s.%s",
                "DATEADD(MICROSECOND, 1, %s)");
    }

    @Override
    String upsert(String table, List<String> keyColumns, List<String> insertColumns, String assignments) {
        StringBuilder on = new StringBuilder();
        for (String k : keyColumns) {
            on.append(on.length() == 0 ? "" : " AND ").append("t.").append(k).append(" = s.").append(k);
        }
        StringBuilder values = new StringBuilder();
        for (String c : insertColumns) {
            values.append(values.length() == 0 ? "" : ", ").append("s.").append(c);
        }
        return "MERGE INTO " + table + " AS t USING (VALUES (" + placeholders(insertColumns) + ")) AS s ("
                + String.join(", ", insertColumns) + ") ON " + on + " WHEN MATCHED THEN UPDATE SET " + assignments
                + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", insertColumns) + ") VALUES (" + values + ")";
    }

    @Override
    boolean upsertMayRaceOnInsert() {
        return true;
    }
}

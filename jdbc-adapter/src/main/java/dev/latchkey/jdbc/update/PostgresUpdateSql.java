package dev.latchkey.jdbc.update;

import java.util.List;

import dev.latchkey.jdbc.dialect.Dialect;

/** PostgreSQL: {@code RETURNING}, {@code INSERT ... ON CONFLICT (key) DO UPDATE}. */
final class PostgresUpdateSql extends UpdateSql {

    PostgresUpdateSql(Dialect dialect) {
        super(dialect, Returning.CLAUSE, Returning.CLAUSE, "t.%s", "EXCLUDED.%s",
                "%s + INTERVAL '1 microsecond'");
    }

    @Override
    String upsert(String table, List<String> keyColumns, List<String> insertColumns, String assignments) {
        return "INSERT INTO " + table + " AS t (" + String.join(", ", insertColumns) + ") VALUES ("
                + placeholders(insertColumns) + ") ON CONFLICT (" + String.join(", ", keyColumns)
                + ") DO UPDATE SET " + assignments;
    }
}

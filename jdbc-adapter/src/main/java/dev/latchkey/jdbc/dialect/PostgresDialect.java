package dev.latchkey.jdbc.dialect;

import org.jetbrains.annotations.NotNull;

/** PostgreSQL: the reference dialect. */
final class PostgresDialect extends Dialect {

    PostgresDialect(int majorVersion, int minorVersion) {
        super(majorVersion, minorVersion);
    }

    @Override
    public @NotNull DatabaseProduct product() {
        return DatabaseProduct.POSTGRESQL;
    }

    @Override
    String productName() {
        return "PostgreSQL";
    }

    @Override
    String quote(String part) {
        return '"' + part + '"';
    }

    @Override
    public @NotNull String currentTimestamp() {
        return "CURRENT_TIMESTAMP";
    }

    // ---- atomic updates and optimistic versions -------------------------------------------

    @Override
    public boolean supportsUpdateReturning() {
        return true;
    }

    @Override
    public @NotNull String updateReturning(@NotNull String update, @NotNull String columns) {
        return update + " RETURNING " + columns;
    }

    @Override
    public @NotNull String nextTimestampVersion(@NotNull String column) {
        return "GREATEST(" + currentTimestamp() + ", " + column + " + INTERVAL '1 microsecond')";
    }

    @Override
    public @NotNull String upsert(@NotNull String table, java.util.@NotNull List<String> keyColumns,
                                  java.util.@NotNull List<String> insertColumns, @NotNull String assignments) {
        return "INSERT INTO " + table + " AS t (" + String.join(", ", insertColumns) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(insertColumns.size(), "?"))
                + ") ON CONFLICT (" + String.join(", ", keyColumns) + ") DO UPDATE SET " + assignments;
    }

    @Override
    public @NotNull String upsertExisting(@NotNull String column) {
        return "t." + column;
    }

    @Override
    public @NotNull String upsertProposed(@NotNull String column) {
        return "EXCLUDED." + column;
    }

    @Override
    public boolean supportsUpsertReturning() {
        return true;
    }

    @Override
    public @NotNull String upsertReturning(@NotNull String upsert, @NotNull String columns) {
        return upsert + " RETURNING " + columns;
    }

    // ---- row locks ------------------------------------------------------------------------

    // ---- idempotency store ----------------------------------------------------------------
}

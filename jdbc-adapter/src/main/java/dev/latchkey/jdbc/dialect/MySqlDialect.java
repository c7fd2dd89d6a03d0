package dev.latchkey.jdbc.dialect;

import org.jetbrains.annotations.NotNull;

/** MariaDB and MySQL: one dialect, with version- and flavour-dependent capabilities. */
final class MySqlDialect extends Dialect {
    private final boolean mysql;

    MySqlDialect(boolean mysql, int majorVersion, int minorVersion) {
        super(majorVersion, minorVersion);
        this.mysql = mysql;
    }

    @Override
    public @NotNull DatabaseProduct product() {
        return mysql ? DatabaseProduct.MYSQL : DatabaseProduct.MARIADB;
    }

    @Override
    String productName() {
        return mysql ? "MySQL" : "MariaDB";
    }

    /** @return whether the server is MySQL rather than MariaDB */
    boolean isMySql() {
        return mysql;
    }

    @Override
    String quote(String part) {
        return '`' + part + '`';
    }

    @Override
    public @NotNull String currentTimestamp() {
        return "CURRENT_TIMESTAMP(6)";
    }

    // ---- atomic updates and optimistic versions -------------------------------------------

    @Override
    public boolean supportsUpdateReturning() {
        return false;
    }

    @Override
    public boolean assignsSequentially() {
        return true;
    }

    @Override
    public @NotNull String nextTimestampVersion(@NotNull String column) {
        return "GREATEST(" + currentTimestamp() + ", " + column + " + INTERVAL 1 MICROSECOND)";
    }

    @Override
    public @NotNull String latestRowReadSuffix() {
        return " LOCK IN SHARE MODE";
    }

    @Override
    public @NotNull String upsert(@NotNull String table, java.util.@NotNull List<String> keyColumns,
                                  java.util.@NotNull List<String> insertColumns, @NotNull String assignments) {
        return "INSERT INTO " + table + " (" + String.join(", ", insertColumns) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(insertColumns.size(), "?"))
                + ") ON DUPLICATE KEY UPDATE " + assignments;
    }

    @Override
    public @NotNull String upsertExisting(@NotNull String column) {
        return column;
    }

    @Override
    public @NotNull String upsertProposed(@NotNull String column) {
        // VALUES(col): MariaDB's form; MySQL 8.0.20+ deprecates it (a warning) in favour of a row alias
        return "VALUES(" + column + ")";
    }

    @Override
    public boolean supportsUpsertReturning() {
        return !mysql && versionAtLeast(10, 5);
    }

    @Override
    public @NotNull String upsertReturning(@NotNull String upsert, @NotNull String columns) {
        if (!supportsUpsertReturning()) {
            throw unsupported("INSERT ... RETURNING");
        }
        return upsert + " RETURNING " + columns;
    }

    // ---- row locks ------------------------------------------------------------------------

    // ---- idempotency store ----------------------------------------------------------------
}

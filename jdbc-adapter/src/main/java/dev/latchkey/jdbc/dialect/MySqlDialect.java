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

    // ---- row locks ------------------------------------------------------------------------

    // ---- idempotency store ----------------------------------------------------------------
}

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

    // ---- row locks ------------------------------------------------------------------------

    // ---- idempotency store ----------------------------------------------------------------
}

package dev.latchkey.jdbc.dialect;

import org.jetbrains.annotations.NotNull;

/** H2 (2.x), in its default mode. */
final class H2Dialect extends Dialect {

    H2Dialect(int majorVersion, int minorVersion) {
        super(majorVersion, minorVersion);
    }

    @Override
    public @NotNull DatabaseProduct product() {
        return DatabaseProduct.H2;
    }

    @Override
    String productName() {
        return "H2";
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

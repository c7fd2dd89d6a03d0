package dev.latchkey.jdbc.dialect;

import java.util.Set;
import java.time.Duration;

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
    Set<String> keywords() {
        return Keywords.of(Keywords.POSTGRESQL);
    }

    @Override
    public @NotNull String currentTimestamp() {
        return "CURRENT_TIMESTAMP";
    }

    // ---- row locks ------------------------------------------------------------------------

    @Override
    public boolean supportsForShare() {
        return true;
    }

    @Override
    public boolean supportsForNoKeyUpdate() {
        return true;
    }

    @Override
    public boolean supportsNowait() {
        return true;
    }

    @Override
    public boolean supportsSkipLocked() {
        return versionAtLeast(9, 5);
    }

    @Override
    public boolean supportsLockTimeout() {
        return true;
    }

    @Override
    public @NotNull Duration lockTimeoutResolution() {
        return Duration.ofMillis(1);
    }

    @Override
    public boolean supportsAdvisoryLocks() {
        return true;
    }
}

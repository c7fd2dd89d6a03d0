package dev.latchkey.jdbc.dialect;

import java.util.Set;
import java.time.Duration;

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
    Set<String> keywords() {
        return Keywords.of(Keywords.H2);
    }

    @Override
    public @NotNull String currentTimestamp() {
        return "CURRENT_TIMESTAMP";
    }

    // ---- row locks ------------------------------------------------------------------------

    @Override
    public boolean supportsForShare() {
        return false;
    }

    /** {@code NOWAIT}, {@code SKIP LOCKED} and {@code WAIT n} arrived in H2 2.2. */
    @Override
    public boolean supportsNowait() {
        return versionAtLeast(2, 2);
    }

    @Override
    public boolean supportsSkipLocked() {
        return versionAtLeast(2, 2);
    }

    @Override
    public boolean supportsLockTimeout() {
        return versionAtLeast(2, 2);
    }

    @Override
    public @NotNull Duration lockTimeoutResolution() {
        return Duration.ofMillis(1);
    }

    /** H2 has no named locks; a lock table would be a different feature, so none is faked. */
    @Override
    public boolean supportsAdvisoryLocks() {
        return false;
    }
}

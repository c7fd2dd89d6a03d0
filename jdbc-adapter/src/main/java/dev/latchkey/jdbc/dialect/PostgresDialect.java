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

    /** Reads the current {@code lock_timeout} and sets a transaction-local one in one round trip. */
    private static final String SET_LOCK_TIMEOUT = "SELECT p.v, set_config('lock_timeout', ?, true) "
            + "FROM (SELECT current_setting('lock_timeout') AS v OFFSET 0) p";
    private static final String RESTORE_LOCK_TIMEOUT = "SELECT set_config('lock_timeout', ?, true)";

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
    public @NotNull java.time.Duration lockTimeoutResolution() {
        return java.time.Duration.ofMillis(1);
    }

    @Override
    public boolean supportsAdvisoryLocks() {
        return true;
    }

    /**
     * {@code SET LOCAL lock_timeout}, as {@code set_config(.., true)} so the value is bound; the
     * previous value is put back after a successful statement (after a failed one the transaction
     * is aborted and the local setting ends with it).
     */
    @Override
    public @NotNull LockTimeoutSetting applyLockTimeout(@NotNull java.sql.Connection connection,
            @org.jetbrains.annotations.Nullable java.time.Duration timeout) throws java.sql.SQLException {
        if (timeout == null) {
            return LockTimeoutSetting.NONE;
        }
        String previous;
        try (java.sql.PreparedStatement ps = connection.prepareStatement(SET_LOCK_TIMEOUT)) {
            ps.setString(1, lockTimeoutMillis(timeout) + "ms");
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                previous = rs.getString(1);
            }
        }
        return statementSucceeded -> {
            if (statementSucceeded) {
                try (java.sql.PreparedStatement ps = connection.prepareStatement(RESTORE_LOCK_TIMEOUT)) {
                    ps.setString(1, previous);
                    ps.executeQuery().close();
                }
            }
        };
    }

    @Override
    public @NotNull Object advisoryLockIdentity(@NotNull String name) {
        return advisoryLockKey(name);
    }

    @Override
    public @NotNull String advisoryLockSql(boolean tryOnly) {
        return tryOnly ? "SELECT pg_try_advisory_xact_lock(?)" : "SELECT pg_advisory_xact_lock(?)";
    }

    @Override
    public @NotNull java.util.List<Object> advisoryLockParameters(@NotNull String name, boolean tryOnly,
            @org.jetbrains.annotations.Nullable java.time.Duration timeout) {
        return java.util.List.of(advisoryLockKey(name));
    }

    @Override
    public boolean advisoryLockAcquired(@org.jetbrains.annotations.Nullable Object result, boolean tryOnly) {
        // pg_advisory_xact_lock returns void: reaching the result means the lock is held
        return !tryOnly || Boolean.TRUE.equals(result);
    }

    // ---- idempotency store ----------------------------------------------------------------
}

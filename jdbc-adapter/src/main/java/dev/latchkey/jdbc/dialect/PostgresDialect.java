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
    java.util.Set<String> keywords() {
        return Keywords.of(Keywords.POSTGRESQL);
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

    @Override
    public boolean supportsIdempotencyStore() {
        return true;
    }

    @Override
    public @NotNull String idempotencySchemaResource() {
        return "postgresql.sql";
    }

    /** {@code statement_timestamp()}: fixed within a statement, fresh for each statement of a transaction. */
    @Override
    public @NotNull String idempotencyNow() {
        return "statement_timestamp()";
    }

    @Override
    public @NotNull String idempotencyNowPlusMillis() {
        return "(statement_timestamp() + CAST(? AS BIGINT) * INTERVAL '1 millisecond')";
    }

    /** {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE <takeover allowed> RETURNING}. */
    @Override
    public @NotNull String idempotencyClaim(@NotNull String table) {
        String now = idempotencyNow();
        return "INSERT INTO " + table + " AS r (scope, idem_key, fingerprint, state, owner_token, attempt, claimed_at, "
                + "lease_expires_at, expires_at) VALUES (?, ?, ?, 'P', ?, 1, " + now + ", " + idempotencyNowPlusMillis()
                + ", " + idempotencyNowPlusMillis() + ") "
                + "ON CONFLICT (scope, idem_key) DO UPDATE SET "
                + "attempt = CASE WHEN r.expires_at <= " + now + " THEN 1 "
                + "WHEN r.owner_token = EXCLUDED.owner_token THEN r.attempt ELSE r.attempt + 1 END, "
                + "fingerprint = EXCLUDED.fingerprint, state = 'P', owner_token = EXCLUDED.owner_token, "
                + "claimed_at = EXCLUDED.claimed_at, lease_expires_at = EXCLUDED.lease_expires_at, "
                + "expires_at = EXCLUDED.expires_at, completed_at = NULL, response_status = NULL, "
                + "response_type = NULL, response_body = NULL "
                + "WHERE r.expires_at <= " + now
                + " OR (r.state = 'P' AND r.owner_token = EXCLUDED.owner_token)"
                + " OR (r.state = 'P' AND r.lease_expires_at <= " + now + " AND r.fingerprint = EXCLUDED.fingerprint) "
                + "RETURNING " + IDEMPOTENCY_RECORD_COLUMNS.replaceAll("(\\w+)", "r.$1") + ", " + now;
    }

    /** Locks the batch with {@code FOR UPDATE SKIP LOCKED}, so purging never waits for a claim. */
    @Override
    public @NotNull String idempotencyPurge(@NotNull String table) {
        String now = idempotencyNow();
        return "DELETE FROM " + table + " WHERE (scope, idem_key) IN (SELECT scope, idem_key FROM " + table
                + " WHERE expires_at <= " + now + " ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED)"
                + " AND expires_at <= " + now;
    }
}

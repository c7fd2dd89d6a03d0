package dev.latchkey.jdbc.dialect;

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
    String quote(String part) {
        return '"' + part + '"';
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

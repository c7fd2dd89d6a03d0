package dev.latchkey.jdbc.idempotency;

import org.jetbrains.annotations.NotNull;

/** PostgreSQL: {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE <takeover allowed> RETURNING}. */
final class PostgresIdempotencySql extends IdempotencySql {
    private static final String RETURNED_COLUMNS = RECORD_COLUMNS.replaceAll("(\\w+)", "r.$1");

    /** The clock is {@code statement_timestamp()}: fixed within a statement, fresh for each statement. */
    PostgresIdempotencySql() {
        super("statement_timestamp()",
                "(statement_timestamp() + CAST(? AS BIGINT) * INTERVAL '1 millisecond')");
    }

    @Override
    public @NotNull String claim(@NotNull String table) {
        return "INSERT INTO " + table + " AS r (scope, idem_key, fingerprint, state, owner_token, attempt, claimed_at, "
                + "lease_expires_at, expires_at) VALUES (?, ?, ?, 'P', ?, 1, " + now + ", " + nowPlusMillis
                + ", " + nowPlusMillis + ") "
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
                + "RETURNING " + RETURNED_COLUMNS + ", " + now + " AS " + OBSERVED_AT;
    }

    /** Locks the batch with {@code FOR UPDATE SKIP LOCKED}, so purging never waits for a claim. */
    @Override
    public @NotNull String purge(@NotNull String table) {
        return purgeSkippingLocked(table, "LIMIT ?");
    }
}

package dev.latchkey.jdbc.idempotency;

import org.jetbrains.annotations.NotNull;

/**
 * H2 (2.x): {@code SELECT ... FROM FINAL TABLE (MERGE INTO ... USING ... WHEN MATCHED AND
 * <takeover allowed> THEN UPDATE ... WHEN NOT MATCHED THEN INSERT ...)}, which returns the
 * claimed row, or no row.
 */
final class H2IdempotencySql extends IdempotencySql {
    /** The clock is {@code CURRENT_TIMESTAMP}: in H2, fixed for the whole transaction. */
    H2IdempotencySql() {
        super("CURRENT_TIMESTAMP", "DATEADD(MILLISECOND, CAST(? AS BIGINT), CURRENT_TIMESTAMP)");
    }

    /**
     * H2 re-evaluates the match condition after waiting for a row lock; the placeholders are
     * the {@code USING} row's columns, in the order of {@code claimParams}.
     */
    @Override
    public @NotNull String claim(@NotNull String table) {
        return "SELECT " + RECORD_COLUMNS + ", " + now + " AS " + OBSERVED_AT + " FROM FINAL TABLE (MERGE INTO " + table
                + " AS r USING (VALUES (CAST(? AS VARCHAR(100)), CAST(? AS VARCHAR(255)), CAST(? AS BINARY(32)), "
                + "CAST(? AS VARCHAR(64)), CAST(? AS BIGINT), CAST(? AS BIGINT))) "
                + "AS s(scope, idem_key, fingerprint, owner_token, lease_ms, retention_ms) "
                + "ON r.scope = s.scope AND r.idem_key = s.idem_key "
                + "WHEN MATCHED AND (r.expires_at <= " + now
                + " OR (r.state = 'P' AND r.owner_token = s.owner_token)"
                + " OR (r.state = 'P' AND r.lease_expires_at <= " + now + " AND r.fingerprint = s.fingerprint)) "
                + "THEN UPDATE SET attempt = CASE WHEN r.expires_at <= " + now + " THEN 1 "
                + "WHEN r.owner_token = s.owner_token THEN r.attempt ELSE r.attempt + 1 END, "
                + "fingerprint = s.fingerprint, state = 'P', owner_token = s.owner_token, claimed_at = " + now + ", "
                + "lease_expires_at = DATEADD(MILLISECOND, s.lease_ms, " + now + "), "
                + "expires_at = DATEADD(MILLISECOND, s.retention_ms, " + now + "), completed_at = NULL, "
                + "response_status = NULL, response_type = NULL, response_body = NULL "
                + "WHEN NOT MATCHED THEN INSERT (scope, idem_key, fingerprint, state, owner_token, attempt, claimed_at, "
                + "lease_expires_at, expires_at) VALUES (s.scope, s.idem_key, s.fingerprint, 'P', s.owner_token, 1, "
                + now + ", DATEADD(MILLISECOND, s.lease_ms, " + now + "), DATEADD(MILLISECOND, s.retention_ms, " + now
                + ")))";
    }

    /**
     * Two concurrent claims of an absent key can both reach {@code WHEN NOT MATCHED}; H2 then
     * reports a duplicate key for the statement alone. In auto-commit mode and at READ COMMITTED
     * the claim runs again and sees the winner's row; in a snapshot (REPEATABLE READ,
     * SERIALIZABLE) it never would, so the claim fails with a transient
     * {@link dev.latchkey.SerializationFailureException} and the transaction runner retries the
     * whole transaction, whose new snapshot sees the row.
     */
    @Override
    public boolean claimMayRaceOnInsert() {
        return true;
    }

    /**
     * Locks the batch with {@code FOR UPDATE SKIP LOCKED} in a subquery (H2 2.2+), so purging
     * never waits for a row a claim holds, and so never holds the rows it already deleted while
     * waiting (which blocked claims of those keys for H2's lock timeout).
     */
    @Override
    public @NotNull String purge(@NotNull String table) {
        return purgeSkippingLocked(table, "FETCH FIRST ? ROWS ONLY");
    }
}

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
    java.util.Set<String> keywords() {
        return Keywords.of(Keywords.H2);
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
        return "SELECT " + columns + " FROM FINAL TABLE (" + update + ")";
    }

    @Override
    public @NotNull String nextTimestampVersion(@NotNull String column) {
        return "GREATEST(" + currentTimestamp() + ", DATEADD(MICROSECOND, 1, " + column + "))";
    }

    @Override
    public @NotNull String upsert(@NotNull String table, java.util.@NotNull List<String> keyColumns,
                                  java.util.@NotNull List<String> insertColumns, @NotNull String assignments) {
        StringBuilder on = new StringBuilder();
        for (String k : keyColumns) {
            on.append(on.length() == 0 ? "" : " AND ").append("t.").append(k).append(" = s.").append(k);
        }
        StringBuilder values = new StringBuilder();
        for (String c : insertColumns) {
            values.append(values.length() == 0 ? "" : ", ").append("s.").append(c);
        }
        return "MERGE INTO " + table + " AS t USING (VALUES ("
                + String.join(", ", java.util.Collections.nCopies(insertColumns.size(), "?")) + ")) AS s ("
                + String.join(", ", insertColumns) + ") ON " + on + " WHEN MATCHED THEN UPDATE SET " + assignments
                + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", insertColumns) + ") VALUES (" + values + ")";
    }

    @Override
    public @NotNull String upsertExisting(@NotNull String column) {
        return "t." + column;
    }

    @Override
    public @NotNull String upsertProposed(@NotNull String column) {
        return "s." + column;
    }

    @Override
    public boolean supportsUpsertReturning() {
        return true;
    }

    @Override
    public @NotNull String upsertReturning(@NotNull String upsert, @NotNull String columns) {
        return "SELECT " + columns + " FROM FINAL TABLE (" + upsert + ")";
    }

    @Override
    public boolean upsertMayRaceOnInsert() {
        return true;
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
    public @NotNull java.time.Duration lockTimeoutResolution() {
        return java.time.Duration.ofMillis(1);
    }

    /** H2 has no named locks; a lock table would be a different feature, so none is faked. */
    @Override
    public boolean supportsAdvisoryLocks() {
        return false;
    }

    /** {@code FOR UPDATE WAIT 0.300}: H2 takes the wait in decimal seconds. */
    @Override
    String statementTimeoutSuffix(long millis) {
        return " WAIT " + decimalSeconds(millis);
    }

    // ---- idempotency store ----------------------------------------------------------------

    @Override
    public boolean supportsIdempotencyStore() {
        return true;
    }

    @Override
    public @NotNull String idempotencySchemaResource() {
        return "h2.sql";
    }

    /** {@code CURRENT_TIMESTAMP}: in H2, fixed for the whole transaction. */
    @Override
    public @NotNull String idempotencyNow() {
        return "CURRENT_TIMESTAMP";
    }

    @Override
    public @NotNull String idempotencyNowPlusMillis() {
        return "DATEADD(MILLISECOND, CAST(? AS BIGINT), CURRENT_TIMESTAMP)";
    }

    /**
     * {@code SELECT ... FROM FINAL TABLE (MERGE INTO ... USING ... WHEN MATCHED AND <takeover
     * allowed> THEN UPDATE ... WHEN NOT MATCHED THEN INSERT ...)}: returns the claimed row, or
     * no row. H2 re-evaluates the match condition after waiting for a row lock. Two concurrent
     * claims of an absent key can still both try to insert; H2 then reports a duplicate key
     * for the statement alone (the transaction stays usable) and the store repeats the claim.
     */
    @Override
    public @NotNull String idempotencyClaim(@NotNull String table) {
        String now = idempotencyNow();
        return "SELECT " + IDEMPOTENCY_RECORD_COLUMNS + ", " + now + " FROM FINAL TABLE (MERGE INTO " + table + " AS r "
                + "USING (VALUES (CAST(? AS VARCHAR(100)), CAST(? AS VARCHAR(255)), CAST(? AS BINARY(32)), "
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

    @Override
    public @NotNull String idempotencyPurge(@NotNull String table) {
        return "DELETE FROM " + table + " WHERE expires_at <= " + idempotencyNow() + " FETCH FIRST ? ROWS ONLY";
    }
}

package dev.latchkey.jdbc.idempotency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.FenceOutcome;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.spi.IdempotencyRecord;
import dev.latchkey.idempotency.spi.IdempotencyState;
import dev.latchkey.idempotency.spi.OwnerToken;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.SerializationFailureException;
import dev.latchkey.jdbc.error.ErrorCategory;
import dev.latchkey.jdbc.error.SqlErrorTranslator;
import dev.latchkey.jdbc.internal.Statements;
import org.jetbrains.annotations.Nullable;

/**
 * The store's operations on one connection, whichever it is (the store's own or the caller's):
 * the {@link IdempotencySql} statements rendered once for a table, run through
 * {@link Statements}'s way (prepare, bind, execute, read, close) but bound by {@link IdempotencySql}'s
 * typed binders and read by position, so that an operation boxes and collects nothing; and the
 * claim loop that interprets what they return. Leaves
 * {@link SQLException} untranslated for the caller, which knows whether the connection is its
 * own (retried) or the caller's (never retried). Immutable and thread-safe.
 */
final class IdempotencyTable {
    /** How often a claim runs again when the key keeps changing between its statements. */
    static final int MAX_CLAIM_ROUNDS = 8;
    /** Bytes of a packet kept for the completion statement around the body: its text and other parameters. */
    static final int PACKET_RESERVE = 64 * 1024;

    private final IdempotencySql sql;
    private final SqlErrorTranslator errors;
    private final String table;
    private final String claimSql;
    private final String findSql;
    private final String completeSql;
    private final String releaseSql;
    private final String renewSql;
    private final String purgeSql;

    IdempotencyTable(IdempotencySql sql, SqlErrorTranslator errors, String table, String rendered) {
        this.sql = sql;
        this.errors = errors;
        this.table = table;
        this.claimSql = sql.claim(rendered);
        this.findSql = sql.find(rendered);
        this.completeSql = sql.complete(rendered);
        this.releaseSql = sql.release(rendered);
        this.renewSql = sql.renew(rendered);
        this.purgeSql = sql.purge(rendered);
    }

    /**
     * The claim loop: the claim statement, then (when it returned no row) the replay statement;
     * again when the key was released, expired or lapsed between the two.
     *
     * @return the result, or {@code null} when the key kept changing under the claim for
     *         {@value #MAX_CLAIM_ROUNDS} rounds
     */
    @Nullable ClaimResult claim(Connection c, IdempotencyKey key, Fingerprint fingerprint, Duration lease,
                                Duration retention, OwnerToken token) throws SQLException {
        for (int round = 1; ; round++) {
            ClaimResult result = null;
            boolean returnedRow;
            try (PreparedStatement ps = c.prepareStatement(claimSql)) {
                IdempotencySql.bindClaim(ps, key, fingerprint, token, lease, retention);
                try (ResultSet rs = ps.executeQuery()) {
                    returnedRow = rs.next();
                    if (returnedRow) {
                        result = claimed(rs, key, fingerprint, token);
                    }
                }
            } catch (SQLException e) {
                if (sql.claimMayRaceOnInsert() && errors.classify(e) == ErrorCategory.UNIQUE_VIOLATION) {
                    if (inSnapshot(c)) {
                        throw lostInsertRace(key, e);
                    }
                    if (round < MAX_CLAIM_ROUNDS) {
                        continue; // this claim alone was rolled back (a concurrent insert won); the next sees the row
                    }
                }
                throw errors.translate(e);
            }
            if (!returnedRow) {
                IdempotencyRecord record = find(c, key, fingerprint);
                result = record == null ? null : interpret(record, fingerprint, token);
            }
            if (result != null) {
                return result;
            }
            if (round >= MAX_CLAIM_ROUNDS) {
                return null;
            }
        }
    }

    /**
     * What the row a claim returned means, {@code null} when the claim must run again. The common
     * case, the row this claim holds, reads only the four columns a {@link ClaimResult.Claimed}
     * needs; any other row is read whole and interpreted.
     */
    private @Nullable ClaimResult claimed(ResultSet rs, IdempotencyKey key, Fingerprint fingerprint, OwnerToken token)
            throws SQLException {
        if ("P".equals(rs.getString(IdempotencySql.STATE))
                && token.value().equals(rs.getString(IdempotencySql.OWNER_TOKEN))) {
            Instant lease = Objects.requireNonNull(sql.instant(rs, IdempotencySql.LEASE_EXPIRES_AT), "leaseExpiresAt");
            return new ClaimResult.Claimed(token, rs.getInt(IdempotencySql.ATTEMPT), lease);
        }
        return interpret(sql.record(rs, key, fingerprint, table), fingerprint, token);
    }

    /**
     * Whether the connection reads from one snapshot for its whole transaction (H2 at
     * REPEATABLE READ and SERIALIZABLE): running the claim again there can never see the row a
     * concurrent claim inserted and committed.
     */
    private static boolean inSnapshot(Connection c) throws SQLException {
        return !c.getAutoCommit() && c.getTransactionIsolation() > Connection.TRANSACTION_READ_COMMITTED;
    }

    /**
     * The claim lost an insert race inside a snapshot that cannot see the winner: a transient
     * serialization failure, so that the transaction runner rolls back and claims again in a new
     * transaction, which sees the winner's row (a replay, or "in use"). Never the duplicate key.
     */
    private SerializationFailureException lostInsertRace(IdempotencyKey key, SQLException e) {
        return new SerializationFailureException("the claim of " + key + " in " + table + " raced with a concurrent "
                + "claim that inserted the key first, which this transaction's snapshot cannot see: retry the "
                + "transaction", e, e.getSQLState(), e.getErrorCode());
    }

    /** What a record read by (or after) the claim means; {@code null} when the claim must run again. */
    private static @Nullable ClaimResult interpret(IdempotencyRecord record, Fingerprint fingerprint, OwnerToken token) {
        if (record.state() == IdempotencyState.IN_PROGRESS && record.owner().equals(token)) {
            Instant lease = Objects.requireNonNull(record.leaseExpiresAt(), "leaseExpiresAt");
            return new ClaimResult.Claimed(token, record.attempt(), lease);
        }
        if (record.isExpired()) {
            return null;
        }
        record.requireFingerprint(fingerprint);
        if (record.state() == IdempotencyState.COMPLETED) {
            return new ClaimResult.Replay(record);
        }
        return record.isLeaseLapsed() ? null : new ClaimResult.InProgress(record);
    }

    /** The replay statement: the record, or empty when absent or expired. */
    Optional<IdempotencyRecord> find(Connection c, IdempotencyKey key) throws SQLException {
        return Optional.ofNullable(find(c, key, null));
    }

    /**
     * The replay statement: the record, or {@code null} when absent or expired.
     *
     * @param expected the request's fingerprint, kept by the record when equal to its own; or {@code null}
     */
    private @Nullable IdempotencyRecord find(Connection c, IdempotencyKey key, @Nullable Fingerprint expected)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(findSql)) {
            IdempotencySql.bindKey(ps, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? sql.record(rs, key, expected, table) : null;
            }
        }
    }

    FenceOutcome complete(Connection c, IdempotencyKey key, OwnerToken owner, StoredResponse response,
                          Duration retention) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(completeSql)) {
            IdempotencySql.bindComplete(ps, key, owner, response, retention);
            return fence(ps.executeUpdate());
        }
    }

    FenceOutcome release(Connection c, IdempotencyKey key, OwnerToken owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(releaseSql)) {
            IdempotencySql.bindRelease(ps, key, owner);
            return fence(ps.executeUpdate());
        }
    }

    FenceOutcome renew(Connection c, IdempotencyKey key, OwnerToken owner, Duration lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(renewSql)) {
            IdempotencySql.bindRenew(ps, key, owner, lease);
            return fence(ps.executeUpdate());
        }
    }

    /**
     * The largest response body a completion can carry: the column's limit, lowered where the
     * server's largest packet is smaller. The packet must hold the whole statement, and the
     * driver may send the body as escaped text (up to two bytes per byte), so the body gets
     * half of what is left after {@value #PACKET_RESERVE} bytes for the rest of the statement.
     */
    int maxResponseBytes(Connection c) throws SQLException {
        String query = sql.maxPacketQuery();
        if (query == null) {
            return JdbcIdempotencyStore.MAX_RESPONSE_BYTES;
        }
        List<Long> packet = Statements.query(c, query, List.of(), rs -> rs.getLong(1));
        long usable = (packet.get(0) - PACKET_RESERVE) / 2;
        return (int) Math.max(0, Math.min(JdbcIdempotencyStore.MAX_RESPONSE_BYTES, usable));
    }

    /** One purge round: the number of expired records deleted, at most {@code limit}. */
    int purge(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(purgeSql)) {
            IdempotencySql.bindPurge(ps, limit);
            return ps.executeUpdate();
        }
    }

    private static FenceOutcome fence(int updated) {
        return updated == 1 ? FenceOutcome.APPLIED : FenceOutcome.LEASE_LOST;
    }
}

package dev.latchkey.jdbc.idempotency;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.spi.IdempotencyRecord;
import dev.latchkey.idempotency.spi.IdempotencyState;
import dev.latchkey.idempotency.spi.OwnerToken;
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.internal.Statements;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The statements of the idempotency table on one database, with their parameters and the
 * columns they return: the whole contract between {@link JdbcIdempotencyStore} and its SQL, in
 * one file. Each statement's SQL is followed by the method that lists its parameters in the
 * order of its placeholders; every statement that returns a record returns the columns
 * {@code RECORD_COLUMNS} and the database's current time as {@code observed_at}, read by
 * position in {@code record}. A database needs its own subclass only for what differs: the clock
 * expressions, the claim (an upsert), the purge and the timestamp type.
 *
 * <p>Obtain one with {@link #of(Dialect)}. Immutable and thread-safe; the subclasses are this
 * package's own.
 */
public abstract class IdempotencySql {
    /** The record's columns, as every record-returning statement lists them. */
    static final String RECORD_COLUMNS = "owner_token, attempt, state, fingerprint, lease_expires_at, expires_at, "
            + "response_status, response_type, response_body";

    /** The label of the database's current time in every record-returning statement. */
    static final String OBSERVED_AT = "observed_at";

    // the positions of RECORD_COLUMNS and observed_at in every record-returning statement
    static final int OWNER_TOKEN = 1;
    static final int ATTEMPT = 2;
    static final int STATE = 3;
    static final int FINGERPRINT = 4;
    static final int LEASE_EXPIRES_AT = 5;
    static final int EXPIRES_AT = 6;
    static final int RESPONSE_STATUS = 7;
    static final int RESPONSE_TYPE = 8;
    static final int RESPONSE_BODY = 9;
    static final int OBSERVED_AT_COLUMN = 10;

    private static final String UNSUPPORTED = "the JDBC idempotency store (its claim needs an upsert that returns "
            + "the row: PostgreSQL's INSERT ... ON CONFLICT ... RETURNING, MariaDB 10.5+'s INSERT ... ON DUPLICATE "
            + "KEY UPDATE ... RETURNING or H2's MERGE in a FINAL TABLE)";

    /** The database's current time as the table stores it: an SQL expression without parameters. */
    final String now;
    /** The database's current time plus a number of milliseconds: one {@code BIGINT} parameter. */
    final String nowPlusMillis;

    /**
     * Creates the value from its parts.
     *
     * @param now the database's current time as the table stores it, an SQL expression without
     *        parameters. Expiry of leases and records is always decided by it, never by the
     *        application's clock
     * @param nowPlusMillis the database's current time plus a number of milliseconds, an SQL
     *        expression with one {@code BIGINT} parameter: the milliseconds
     */
    IdempotencySql(String now, String nowPlusMillis) {
        this.now = now;
        this.nowPlusMillis = nowPlusMillis;
    }

    /**
     * The statements for a database.
     *
     * @param dialect the database's dialect
     * @return the statements
     * @throws UnsupportedOperationException naming the dialect if the database cannot host the
     *         store (see {@link #supports(Dialect)})
     */
    public static @NotNull IdempotencySql of(@NotNull Dialect dialect) {
        switch (Objects.requireNonNull(dialect, "dialect").product()) {
            case POSTGRESQL:
                return new PostgresIdempotencySql();
            case MARIADB:
                if (dialect.versionAtLeast(10, 5)) {
                    return new MariaDbIdempotencySql();
                }
                break;
            case H2:
                return new H2IdempotencySql();
            default:
                break;
        }
        throw dialect.unsupported(UNSUPPORTED);
    }

    /**
     * Whether the JDBC idempotency store runs on a database.
     *
     * @param dialect the database's dialect
     * @return {@code true} for PostgreSQL, MariaDB 10.5+ and H2
     */
    public static boolean supports(@NotNull Dialect dialect) {
        try {
            of(dialect);
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    // ---- claim ------------------------------------------------------------------------------

    /**
     * The one statement that claims a key: it inserts the record when the key is absent, and
     * takes the record over when it has expired, or is in progress with a lapsed lease and the
     * same fingerprint (or already held by the same owner token, so that a retried claim
     * recognises itself). It never raises a duplicate-key error for a key that exists (but see
     * {@link #claimMayRaceOnInsert()}).
     *
     * <p>Parameters: {@code bindClaim}. Returns the record (see {@code record}): the claimed
     * row when it claimed and, when it did not, the current row if
     * {@link #claimReturnsCurrentRow()}, otherwise no row.
     *
     * @param table the table as rendered by {@link Dialect#identifier(String, String)}
     * @return the SQL
     */
    public abstract @NotNull String claim(@NotNull String table);

    /**
     * Binds the claim's parameters in the order of its placeholders: scope, key, fingerprint (32
     * bytes), owner token, lease in milliseconds, retention in milliseconds. Bound one by one with
     * their types, so that nothing is boxed or collected per call.
     */
    static void bindClaim(PreparedStatement ps, IdempotencyKey key, Fingerprint fingerprint, OwnerToken owner,
                          Duration lease, Duration retention) throws SQLException {
        ps.setString(1, key.scope());
        ps.setString(2, key.key());
        ps.setBytes(3, fingerprint.bytes());
        ps.setString(4, owner.value());
        ps.setLong(5, lease.toMillis());
        ps.setLong(6, retention.toMillis());
    }

    /**
     * Whether {@link #claim(String)} returns the current row when it does not claim (so a replay
     * costs one statement), rather than no row.
     *
     * @return {@code true} on MariaDB
     */
    public boolean claimReturnsCurrentRow() {
        return false;
    }

    /**
     * Whether two concurrent claims of an absent key can both try to insert, one of them then
     * failing with a duplicate key for the statement alone (the transaction stays usable), so
     * that the claim must simply run again.
     *
     * @return {@code true} on H2
     */
    public boolean claimMayRaceOnInsert() {
        return false;
    }

    // ---- find, complete, release, purge -----------------------------------------------------

    /**
     * The statement that reads (replays) a record that has not expired. Parameters:
     * {@code bindKey}. Returns the record (see {@code record}), or no row.
     *
     * @param table the table as rendered by {@link Dialect#identifier(String, String)}
     * @return the SQL
     */
    public @NotNull String find(@NotNull String table) {
        return "SELECT " + RECORD_COLUMNS + ", " + now + " AS " + OBSERVED_AT + " FROM " + table
                + " WHERE scope = ? AND idem_key = ? AND expires_at > " + now;
    }

    /** Binds the find's parameters in the order of its placeholders: scope, key. */
    static void bindKey(PreparedStatement ps, IdempotencyKey key) throws SQLException {
        ps.setString(1, key.scope());
        ps.setString(2, key.key());
    }

    /**
     * The statement that completes a key, fenced on the owner token: it changes the row only
     * while it is in progress and held by that token. Parameters: {@code bindComplete}. Update
     * count 1 when applied, 0 when the lease was lost.
     *
     * @param table the table as rendered by {@link Dialect#identifier(String, String)}
     * @return the SQL
     */
    public @NotNull String complete(@NotNull String table) {
        return "UPDATE " + table + " SET state = ?, lease_expires_at = NULL, expires_at = " + nowPlusMillis
                + ", completed_at = " + now + ", response_status = ?, response_type = ?, response_body = ?"
                + " WHERE scope = ? AND idem_key = ? AND owner_token = ? AND state = 'P'";
    }

    /**
     * Binds the completion's parameters in the order of its placeholders: the new state
     * ({@code "C"} completed, {@code "F"} completed with a stored failure), retention in
     * milliseconds, response status, content type (nullable: SQL {@code NULL}), body, then scope,
     * key, owner token.
     */
    static void bindComplete(PreparedStatement ps, IdempotencyKey key, OwnerToken owner, StoredResponse response,
                             Duration retention) throws SQLException {
        ps.setString(1, response.isFailure() ? "F" : "C");
        ps.setLong(2, retention.toMillis());
        ps.setInt(3, response.status());
        Statements.bind(ps, 4, response.contentType());
        ps.setBytes(5, response.body());
        ps.setString(6, key.scope());
        ps.setString(7, key.key());
        ps.setString(8, owner.value());
    }

    /**
     * The statement that renews the lease of a key in progress, fenced on the owner token and on
     * the lease not having lapsed; the record's expiry moves along if it would come first.
     * Parameters: {@code bindRenew}. Update count 1 when applied, 0 when the lease was lost.
     *
     * @param table the table as rendered by {@link Dialect#identifier(String, String)}
     * @return the SQL
     */
    public @NotNull String renew(@NotNull String table) {
        return "UPDATE " + table + " SET lease_expires_at = " + nowPlusMillis + ", expires_at = GREATEST(expires_at, "
                + nowPlusMillis + ") WHERE scope = ? AND idem_key = ? AND owner_token = ? AND state = 'P' "
                + "AND lease_expires_at > " + now;
    }

    /** Binds the renewal's parameters in the order of its placeholders: lease twice, scope, key, owner token. */
    static void bindRenew(PreparedStatement ps, IdempotencyKey key, OwnerToken owner, Duration lease)
            throws SQLException {
        ps.setLong(1, lease.toMillis());
        ps.setLong(2, lease.toMillis());
        ps.setString(3, key.scope());
        ps.setString(4, key.key());
        ps.setString(5, owner.value());
    }

    /**
     * The statement that releases a key, fenced on the owner token. Parameters:
     * {@code bindRelease}. Update count 1 when applied, 0 when the lease was lost.
     *
     * @param table the table as rendered by {@link Dialect#identifier(String, String)}
     * @return the SQL
     */
    public @NotNull String release(@NotNull String table) {
        return "DELETE FROM " + table + " WHERE scope = ? AND idem_key = ? AND owner_token = ? AND state = 'P'";
    }

    /** Binds the release's parameters in the order of its placeholders: scope, key, owner token. */
    static void bindRelease(PreparedStatement ps, IdempotencyKey key, OwnerToken owner) throws SQLException {
        ps.setString(1, key.scope());
        ps.setString(2, key.key());
        ps.setString(3, owner.value());
    }

    /**
     * One round of purging: deletes at most a given number of expired records, oldest expiry
     * first, re-checking expiry on each row it deletes. Parameters: {@code bindPurge}. Update
     * count: the rows deleted.
     *
     * @param table the table as rendered by {@link Dialect#identifier(String, String)}
     * @return the SQL
     */
    public abstract @NotNull String purge(@NotNull String table);

    /**
     * A purge that deletes the oldest expired rows it can lock without waiting: a subquery
     * {@code FOR UPDATE SKIP LOCKED}, expiry re-checked on the rows deleted. The order ends with the
     * primary key so that the batch is one definite set: H2 evaluates the subquery more than once,
     * and with ties on {@code expires_at} it deleted fewer or more rows than the limit.
     *
     * @param limitClause how this database limits the subquery's rows, with the one placeholder
     */
    final String purgeSkippingLocked(String table, String limitClause) {
        return "DELETE FROM " + table + " WHERE (scope, idem_key) IN (SELECT scope, idem_key FROM " + table
                + " WHERE expires_at <= " + now + " ORDER BY expires_at, scope, idem_key " + limitClause
                + " FOR UPDATE SKIP LOCKED)"
                + " AND expires_at <= " + now;
    }

    /**
     * The query of the largest packet the server accepts, one row and one column in bytes, when
     * that limits a response body more than the column does (a statement larger than MariaDB's
     * {@code max_allowed_packet} fails with 1153); {@code null} when only the column limits it.
     *
     * @return the SQL, or {@code null}
     */
    public @Nullable String maxPacketQuery() {
        return null;
    }

    /** Binds the purge's one parameter: the most rows to delete. */
    static void bindPurge(PreparedStatement ps, int limit) throws SQLException {
        ps.setInt(1, limit);
    }

    // ---- the returned record ----------------------------------------------------------------

    /**
     * Reads the record a claim or find returned, by position: every record-returning statement
     * lists {@code RECORD_COLUMNS} in order, then {@code observed_at}.
     *
     * @param rs the result set, on a row
     * @param key the key the statement was for
     * @param expected the request's fingerprint, which the record keeps instead of a copy of its own
     *        when they are equal; {@code null} when there is no request
     * @param table the table, for the error message of a corrupt state
     * @return the record
     * @throws SQLException on a driver error
     */
    final IdempotencyRecord record(ResultSet rs, IdempotencyKey key, @Nullable Fingerprint expected, String table)
            throws SQLException {
        OwnerToken owner = new OwnerToken(rs.getString(OWNER_TOKEN));
        int attempt = rs.getInt(ATTEMPT);
        String state = rs.getString(STATE);
        byte[] stored = rs.getBytes(FINGERPRINT);
        Fingerprint fingerprint = expected != null && stored != null && expected.matches(stored) ? expected
                : Fingerprint.fromBytes(stored);
        Instant leaseExpiresAt = instant(rs, LEASE_EXPIRES_AT);
        Instant expiresAt = Objects.requireNonNull(instant(rs, EXPIRES_AT), "expires_at");
        Instant observedAt = Objects.requireNonNull(instant(rs, OBSERVED_AT_COLUMN), "current time");
        switch (state) {
            case "P":
                return new IdempotencyRecord(key, fingerprint, IdempotencyState.IN_PROGRESS, owner, attempt,
                        leaseExpiresAt, expiresAt, null, observedAt);
            case "C":
            case "F":
                StoredResponse response = StoredResponse.restore(rs.getInt(RESPONSE_STATUS),
                        rs.getString(RESPONSE_TYPE), rs.getBytes(RESPONSE_BODY), state.equals("F"));
                return new IdempotencyRecord(key, fingerprint, IdempotencyState.COMPLETED, owner, attempt, null,
                        expiresAt, response, observedAt);
            default:
                throw new IllegalStateException("unknown state '" + state + "' in " + table + " for key " + key);
        }
    }

    /**
     * Reads a timestamp of the table.
     *
     * @param rs the result set, on a row
     * @param column the column's position
     * @return the instant, or {@code null} for SQL {@code NULL}
     * @throws SQLException on a driver error
     */
    @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}

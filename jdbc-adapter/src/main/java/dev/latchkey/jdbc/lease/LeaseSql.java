package dev.latchkey.jdbc.lease;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.lease.spi.LeaseGrant;
import org.jetbrains.annotations.Nullable;

/**
 * The statements of the lease table on one database, with their parameters and the columns they
 * return: the whole contract between {@link JdbcLeaseBackend} and its SQL. Every statement is one
 * round trip and takes every time from the database's clock ({@link #now}). Statements that grant
 * return {@code token}, {@code expires_at} and the database's time as {@code backend_now}. A
 * database's subclass supplies its clock and its upsert; release and the fence check are shared.
 * Immutable and thread-safe.
 */
abstract class LeaseSql {
    static final String UNSUPPORTED = "JDBC leases (their acquisition is one upsert that returns the row: "
            + "PostgreSQL's INSERT ... ON CONFLICT ... RETURNING, MariaDB 10.5+'s INSERT ... ON DUPLICATE KEY UPDATE "
            + "... RETURNING or H2's MERGE in a FINAL TABLE)";

    /** The database's current time as the table stores it: an SQL expression without parameters. */
    final String now;
    /** The database's current time plus a number of milliseconds: one {@code BIGINT} parameter. */
    final String nowPlusMillis;
    /** What a fenced transaction appends to its check to lock the row against an acquisition. */
    private final String fenceLock;

    LeaseSql(String now, String nowPlusMillis, String fenceLock) {
        this.now = now;
        this.nowPlusMillis = nowPlusMillis;
        this.fenceLock = fenceLock;
    }

    static LeaseSql of(Dialect dialect) {
        switch (Objects.requireNonNull(dialect, "dialect").product()) {
            case POSTGRESQL:
                return new PostgresLeaseSql();
            case MARIADB:
                if (dialect.versionAtLeast(10, 5)) {
                    return new MariaDbLeaseSql();
                }
                break;
            case H2:
                return new H2LeaseSql();
            default:
                break;
        }
        throw dialect.unsupported(UNSUPPORTED);
    }

    /**
     * Acquires the name when it is absent or expired: token + 1 (1 when new), holder, times.
     * Returns the grant's row only when it acquired (MariaDB: always a row, told apart by
     * {@code attempt_id}).
     */
    abstract String acquire(String table);

    abstract List<Object> acquireParams(String name, String owner, String attemptId, long atMostMillis,
                                        long atLeastMillis);

    /** The grant in the acquisition's row, or {@code null} when the row says another holds it. */
    @Nullable LeaseGrant acquired(ResultSet rs, String attemptId) throws SQLException {
        return grant(rs);
    }

    /** Extends an unexpired acquisition to the later of now + the parameter and hold_until. */
    abstract String extend(String table);

    List<Object> extendParams(String name, String owner, long token, long byMillis) {
        return List.of(byMillis, name, token, owner);
    }

    /** The grant in the extension's row, or {@code null} when it was not extended. */
    @Nullable LeaseGrant extended(ResultSet rs, long token) throws SQLException {
        return grant(rs);
    }

    /** Releases an unexpired acquisition: expires at the later of now and hold_until. An update count. */
    String release(String table) {
        return "UPDATE " + table + " SET expires_at = GREATEST(" + now + ", hold_until) WHERE lease_name = ? "
                + "AND token = ? AND holder = ? AND expires_at > " + now;
    }

    static List<Object> releaseParams(String name, String owner, long token) {
        return List.of(name, token, owner);
    }

    /**
     * A fenced transaction's first statement: a row only when the acquisition is still current and
     * unexpired, locked so that an acquisition (which changes the token) waits for the transaction.
     */
    String fence(String table) {
        return "SELECT token FROM " + table + " WHERE lease_name = ? AND token = ? AND expires_at > " + now
                + " " + fenceLock;
    }

    static List<Object> fenceParams(String name, long token) {
        return List.of(name, token);
    }

    final LeaseGrant grant(ResultSet rs) throws SQLException {
        return new LeaseGrant(rs.getLong("token"), instant(rs, "expires_at"), instant(rs, "backend_now"));
    }

    /** Reads a timestamp of the table (never null in this table). */
    Instant instant(ResultSet rs, String column) throws SQLException {
        return Objects.requireNonNull(rs.getObject(column, OffsetDateTime.class), column).toInstant();
    }
}

package dev.latchkey.jdbc.dialect;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * How one database renders what Latchkey needs, and which features it has.
 *
 * <p>A dialect is an immutable, thread-safe value: one per product and server version. Obtain
 * it with {@link #detect(Connection)} (what {@code Latchkey.of(dataSource)} does) or
 * {@link #of(DatabaseProduct, int, int)}. A feature the database lacks is reported by the
 * capability methods and, when used anyway, by an {@link UnsupportedOperationException} that
 * names the dialect, never by silently different SQL.
 */
public abstract class Dialect {
    private final int majorVersion;
    private final int minorVersion;

    Dialect(int majorVersion, int minorVersion) {
        this.majorVersion = majorVersion;
        this.minorVersion = minorVersion;
    }

    /**
     * Detects the dialect of the database a connection talks to, from its {@link DatabaseMetaData}.
     *
     * @param connection an open connection; not closed by this method
     * @return the dialect
     * @throws SQLException if the metadata cannot be read
     * @throws UnsupportedOperationException if the database is not PostgreSQL, MariaDB, MySQL or H2
     */
    public static @NotNull Dialect detect(@NotNull Connection connection) throws SQLException {
        DatabaseMetaData md = connection.getMetaData();
        DatabaseProduct product = DatabaseProduct.fromProductName(md.getDatabaseProductName());
        if (product == DatabaseProduct.MYSQL && md.getDatabaseProductVersion().toLowerCase(java.util.Locale.ROOT)
                .contains("mariadb")) {
            product = DatabaseProduct.MARIADB;
        }
        return of(product, md.getDatabaseMajorVersion(), md.getDatabaseMinorVersion());
    }

    /**
     * The dialect for a product and server version.
     *
     * @param product the product
     * @param majorVersion the server's major version
     * @param minorVersion the server's minor version
     * @return the dialect
     * @throws UnsupportedOperationException if the product is not PostgreSQL, MariaDB, MySQL or H2
     */
    public static @NotNull Dialect of(@NotNull DatabaseProduct product, int majorVersion, int minorVersion) {
        switch (Objects.requireNonNull(product, "product")) {
            case POSTGRESQL:
                return new PostgresDialect(majorVersion, minorVersion);
            case MARIADB:
                return new MySqlDialect(false, majorVersion, minorVersion);
            case MYSQL:
                return new MySqlDialect(true, majorVersion, minorVersion);
            case H2:
                return new H2Dialect(majorVersion, minorVersion);
            default:
                throw new UnsupportedOperationException("Latchkey supports PostgreSQL, MariaDB, MySQL and H2; "
                        + product + " is supported by the error translator only");
        }
    }

    /** @return the product this dialect renders for */
    public abstract @NotNull DatabaseProduct product();

    /** @return a human-readable name with the version, e.g. {@code "PostgreSQL 15.4"} */
    public @NotNull String name() {
        return productName() + " " + majorVersion + "." + minorVersion;
    }

    abstract String productName();

    /** @return the server's major version */
    public int majorVersion() {
        return majorVersion;
    }

    /** @return the server's minor version */
    public int minorVersion() {
        return minorVersion;
    }

    /**
     * Whether the server version is at least the given one.
     *
     * @param major the major version
     * @param minor the minor version
     * @return {@code true} when {@code (majorVersion, minorVersion) >= (major, minor)}
     */
    public boolean versionAtLeast(int major, int minor) {
        return majorVersion > major || (majorVersion == major && minorVersion >= minor);
    }

    /**
     * Validates a table or column name and renders it, quoting the parts that are reserved
     * words.
     *
     * @param what what the name is for, used in the error message (e.g. {@code "table"})
     * @param name the name, {@code name} or {@code schema.name}
     * @return the rendered identifier
     * @throws IllegalArgumentException naming the bad input if it is not a valid identifier
     */
    public @NotNull String identifier(@NotNull String what, @NotNull String name) {
        Identifiers.require(what, name);
        int dot = name.indexOf('.');
        if (dot < 0) {
            return quoteIfReserved(name);
        }
        return quoteIfReserved(name.substring(0, dot)) + "." + quoteIfReserved(name.substring(dot + 1));
    }

    private String quoteIfReserved(String part) {
        return Identifiers.isReserved(part) ? quote(part) : part;
    }

    /**
     * Quotes one identifier part with the dialect's quote character.
     *
     * @param part a validated identifier part
     * @return the quoted part
     */
    abstract String quote(String part);

    /**
     * The SQL expression for the database's current time, used wherever expiry or a timestamp
     * version is computed: the database's clock, not the application's, decides.
     *
     * @return e.g. {@code CURRENT_TIMESTAMP}
     */
    public abstract @NotNull String currentTimestamp();

    /**
     * Builds the exception for a feature this database lacks.
     *
     * @param feature the feature, e.g. {@code "SKIP LOCKED"}
     * @return an exception naming the feature and this dialect
     */
    public @NotNull UnsupportedOperationException unsupported(@NotNull String feature) {
        return new UnsupportedOperationException(feature + " is not supported by " + name());
    }

    // ---- row locks ------------------------------------------------------------------------

    /**
     * Whether a shared row lock can be rendered: {@code FOR SHARE}
     * on PostgreSQL and MySQL 8, {@code LOCK IN SHARE MODE} on MariaDB; not on H2.
     *
     * @return {@code true} when shared row locks are available
     */
    public abstract boolean supportsForShare();

    /**
     * Whether {@code FOR NO KEY UPDATE}
     * can be rendered: PostgreSQL only.
     *
     * @return {@code true} on PostgreSQL
     */
    public boolean supportsForNoKeyUpdate() {
        return false;
    }

    /**
     * Whether {@code NOWAIT} is available: PostgreSQL, MariaDB 10.3+, MySQL 8+, H2 2.2+.
     *
     * @return {@code true} when a locking read can fail at once instead of waiting
     */
    public abstract boolean supportsNowait();

    /**
     * Whether {@code SKIP LOCKED} is available: PostgreSQL, MariaDB 10.6+, MySQL 8+, H2 2.2+.
     *
     * @return {@code true} when a locking read can skip locked rows
     */
    public abstract boolean supportsSkipLocked();

    /**
     * Whether a per-statement lock timeout is available (see {@link #lockTimeoutResolution()}).
     *
     * @return {@code true} on PostgreSQL, MariaDB, MySQL and H2 2.2+
     */
    public abstract boolean supportsLockTimeout();

    /**
     * The granularity a lock timeout is applied with: requested timeouts are rounded up to a
     * multiple of it, never down. One millisecond on PostgreSQL ({@code lock_timeout}), MariaDB
     * ({@code max_statement_time}) and H2 ({@code WAIT n.nnn}); one second on MySQL
     * ({@code innodb_lock_wait_timeout}).
     *
     * @return the resolution
     */
    public abstract @NotNull Duration lockTimeoutResolution();

    /**
     * Whether transaction-scoped advisory (named) locks are available:
     * {@code pg_advisory_xact_lock} on PostgreSQL, {@code GET_LOCK} released at transaction end
     * on MariaDB and MySQL; not on H2.
     *
     * @return {@code true} when {@code latchkey.advisoryLock(name)} works
     */
    public abstract boolean supportsAdvisoryLocks();

    // ---- idempotency store ----------------------------------------------------------------

    /**
     * The columns of an idempotency record in the order the JDBC idempotency store reads them,
     * after which every statement that returns a record adds the database's current time.
     */
    static final String IDEMPOTENCY_RECORD_COLUMNS = "owner_token, attempt, state, fingerprint, lease_expires_at, "
            + "expires_at, response_status, response_type, response_body";

    /**
     * Whether the JDBC idempotency store runs on this database.
     *
     * @return {@code true} for PostgreSQL, MariaDB 10.5+ and H2
     */
    public boolean supportsIdempotencyStore() {
        return false;
    }

    /**
     * The schema file of the idempotency table for this database, a resource in
     * {@code dev/latchkey/jdbc/idempotency/}.
     *
     * @return e.g. {@code "postgresql.sql"}
     * @throws UnsupportedOperationException if this database cannot host the store
     */
    public @NotNull String idempotencySchemaResource() {
        throw unsupported("the JDBC idempotency store");
    }

    /**
     * The database's current time as the idempotency table stores it. Expiry of leases and
     * records is always decided by this expression, never by the application's clock.
     *
     * @return an SQL expression without parameters
     * @throws UnsupportedOperationException if this database cannot host the store
     */
    public @NotNull String idempotencyNow() {
        throw unsupported("the JDBC idempotency store");
    }

    /**
     * The database's current time plus a number of milliseconds.
     *
     * @return an SQL expression with one {@code BIGINT} parameter: the milliseconds
     * @throws UnsupportedOperationException if this database cannot host the store
     */
    public @NotNull String idempotencyNowPlusMillis() {
        throw unsupported("the JDBC idempotency store");
    }

    /**
     * The one statement that claims an idempotency key: it inserts the record when the key is
     * absent, and takes the record over when it has expired, or is in progress with a lapsed
     * lease and the same fingerprint (or already held by the same owner token, so that a retried
     * claim recognises itself). It never raises a duplicate-key error for a key that exists.
     *
     * <p>Parameters: scope, key, fingerprint (32 bytes), owner token, lease in milliseconds,
     * retention in milliseconds. It returns the record's columns ({@code owner_token, attempt,
     * state, fingerprint, lease_expires_at, expires_at, response_status, response_type,
     * response_body}) and the database's current time: the claimed row when it claimed, and,
     * when it did not, the current row if {@link #idempotencyClaimReturnsCurrentRow()} or no row.
     *
     * @param table the idempotency table as rendered by {@link #identifier(String, String)}
     * @return the SQL
     * @throws UnsupportedOperationException if this database cannot host the store
     */
    public @NotNull String idempotencyClaim(@NotNull String table) {
        throw unsupported("the JDBC idempotency store");
    }

    /**
     * Whether {@link #idempotencyClaim(String)} returns the current row when it does not claim
     * (so a replay costs one statement), rather than no row.
     *
     * @return {@code true} on MariaDB
     */
    public boolean idempotencyClaimReturnsCurrentRow() {
        return false;
    }

    /**
     * The statement that reads (replays) an idempotency record that has not expired.
     *
     * <p>Parameters: scope, key. Returns the record's columns (as {@link #idempotencyClaim}
     * does) and the database's current time, or no row.
     *
     * @param table the idempotency table as rendered by {@link #identifier(String, String)}
     * @return the SQL
     * @throws UnsupportedOperationException if this database cannot host the store
     */
    public @NotNull String idempotencyFind(@NotNull String table) {
        String now = idempotencyNow();
        return "SELECT " + IDEMPOTENCY_RECORD_COLUMNS + ", " + now + " FROM " + table
                + " WHERE scope = ? AND idem_key = ? AND expires_at > " + now;
    }

    /**
     * The statement that completes an idempotency key, fenced on the owner token: it changes
     * the row only while it is in progress and held by that token.
     *
     * <p>Parameters: the new state ({@code "C"} completed, {@code "F"} completed with a stored
     * failure), retention in milliseconds, response status, content type, body, then scope,
     * key, owner token. Update count 1 when applied, 0 when the lease was lost.
     *
     * @param table the idempotency table as rendered by {@link #identifier(String, String)}
     * @return the SQL
     * @throws UnsupportedOperationException if this database cannot host the store
     */
    public @NotNull String idempotencyComplete(@NotNull String table) {
        return "UPDATE " + table + " SET state = ?, lease_expires_at = NULL, expires_at = " + idempotencyNowPlusMillis()
                + ", completed_at = " + idempotencyNow() + ", response_status = ?, response_type = ?, response_body = ?"
                + " WHERE scope = ? AND idem_key = ? AND owner_token = ? AND state = 'P'";
    }

    /**
     * The statement that releases an idempotency key, fenced on the owner token.
     *
     * <p>Parameters: scope, key, owner token. Update count 1 when applied, 0 when the lease was
     * lost.
     *
     * @param table the idempotency table as rendered by {@link #identifier(String, String)}
     * @return the SQL
     * @throws UnsupportedOperationException if this database cannot host the store
     */
    public @NotNull String idempotencyRelease(@NotNull String table) {
        idempotencyNow(); // refuses a database that cannot host the store
        return "DELETE FROM " + table + " WHERE scope = ? AND idem_key = ? AND owner_token = ? AND state = 'P'";
    }

    /**
     * One round of purging: deletes at most a given number of expired idempotency records,
     * oldest expiry first, re-checking expiry on each row it deletes.
     *
     * @param table the idempotency table as rendered by {@link #identifier(String, String)}
     * @return the SQL, with one parameter: the most rows to delete
     * @throws UnsupportedOperationException if this database cannot host the store
     */
    public @NotNull String idempotencyPurge(@NotNull String table) {
        throw unsupported("the JDBC idempotency store");
    }

    /**
     * Reads a timestamp of the idempotency table.
     *
     * @param rs the result set, on a row
     * @param column the 1-based column index
     * @return the instant, or {@code null} for SQL {@code NULL}
     * @throws SQLException on a driver error
     */
    public @Nullable Instant idempotencyInstant(@NotNull ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    @Override
    public String toString() {
        return name();
    }
}

package dev.latchkey.jdbc.dialect;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import org.jetbrains.annotations.NotNull;

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

    /**
     * Returns the product this dialect renders for.
     *
     * @return the product this dialect renders for
     */
    public abstract @NotNull DatabaseProduct product();

    /**
     * Returns a human-readable name with the version, e.g. {@code "PostgreSQL 15.4"}.
     *
     * @return a human-readable name with the version, e.g. {@code "PostgreSQL 15.4"}
     */
    public @NotNull String name() {
        return productName() + " " + majorVersion + "." + minorVersion;
    }

    abstract String productName();

    /**
     * Returns the server's major version.
     *
     * @return the server's major version
     */
    public int majorVersion() {
        return majorVersion;
    }

    /**
     * Returns the server's minor version.
     *
     * @return the server's minor version
     */
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
     * Validates a table or column name and renders it so that it denotes the same object as the
     * name written unquoted would.
     *
     * <p>A plain part ({@code status}, {@code Balance}) is rendered as written unless it is one of
     * this database's keywords (from the database's own keyword catalogue, e.g. PostgreSQL's
     * {@code pg_get_keywords()}); a keyword is quoted, and its case is folded as the database
     * folds unquoted names (lower case on PostgreSQL, upper case on H2, unchanged on MariaDB and
     * MySQL, where quoting does not affect case), so {@code set("Order", ..)} still names the
     * column created as {@code order}.
     *
     * <p>A part written in double quotes is a quoted, case-sensitive identifier, for tables and
     * columns that were created with a quoted mixed-case name: {@code "\"OrderLines\""} or
     * {@code "shop.\"OrderLines\""} is rendered with this dialect's quote character and the exact
     * case ({@code "OrderLines"} on PostgreSQL and H2, {@code `OrderLines`} on MariaDB and MySQL).
     * Its text must be 1 to 63 bytes of UTF-8 without quote characters, dots, control characters,
     * or leading or trailing white space (see {@link Identifiers}).
     *
     * @param what what the name is for, used in the error message (e.g. {@code "table"})
     * @param name the name, {@code name} or {@code schema.name}, each part plain or in double quotes
     * @return the rendered identifier
     * @throws IllegalArgumentException naming the bad input if it is not a valid identifier
     */
    public @NotNull String identifier(@NotNull String what, @NotNull String name) {
        return Identifiers.render(product(), keywords(), what, name);
    }

    /**
     * The words this database treats as keywords, lower case: a plain name that is one of them
     * is quoted when rendered. Loaded once from the dialect's resource list (see {@link Keywords}).
     *
     * @return the unmodifiable set
     */
    abstract Set<String> keywords();

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

    @Override
    public String toString() {
        return name();
    }
}

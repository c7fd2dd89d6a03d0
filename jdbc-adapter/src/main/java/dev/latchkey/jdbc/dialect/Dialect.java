package dev.latchkey.jdbc.dialect;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
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
        Identifiers.require(what, name);
        int dot = name.indexOf('.');
        if (dot < 0) {
            return renderPart(name);
        }
        return renderPart(name.substring(0, dot)) + "." + renderPart(name.substring(dot + 1));
    }

    private String renderPart(String part) {
        if (Identifiers.isQuoted(part)) {
            return quote(part.substring(1, part.length() - 1));
        }
        return keywords().contains(part.toLowerCase(java.util.Locale.ROOT)) ? quote(foldCase(part)) : part;
    }

    /**
     * The words this database treats as keywords, lower case: a plain name that is one of them
     * is quoted when rendered. Loaded once from the dialect's resource list (see {@link Keywords}).
     *
     * @return the unmodifiable set
     */
    abstract java.util.Set<String> keywords();

    /**
     * Folds a plain name as the database folds unquoted names, so that the quoted form denotes
     * the same object: lower case on PostgreSQL ({@code "Status"} would be another column than
     * {@code Status}), upper case on H2, unchanged on MariaDB and MySQL.
     *
     * @param part a validated plain identifier part
     * @return the part in the case the database stores it
     */
    String foldCase(String part) {
        switch (product()) {
            case POSTGRESQL:
                return part.toLowerCase(java.util.Locale.ROOT);
            case H2:
                return part.toUpperCase(java.util.Locale.ROOT);
            default:
                return part;
        }
    }

    /**
     * Quotes one identifier part, keeping its case: double quotes (standard SQL), backticks on
     * MariaDB and MySQL.
     *
     * @param part a validated identifier part, without quotes
     * @return the quoted part
     */
    String quote(String part) {
        return '"' + part + '"';
    }

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

    // ---- atomic updates and optimistic versions -------------------------------------------

    /**
     * Whether an {@code UPDATE} can hand back the values it wrote in the same statement:
     * PostgreSQL's {@code UPDATE ... RETURNING} and H2's {@code SELECT ... FROM FINAL TABLE (UPDATE
     * ...)}. MariaDB (10.11 included) and MySQL have no such form; the update builder then reads
     * the written row back in the same transaction, while the row lock of the {@code UPDATE} is
     * held (see {@code dev.latchkey.jdbc.update.Update#returning}).
     *
     * @return whether {@link #updateReturning(String, String)} is supported
     */
    public abstract boolean supportsUpdateReturning();

    /**
     * Renders an {@code UPDATE} that returns columns of the row it updated, in one statement.
     *
     * @param update a rendered {@code UPDATE} statement
     * @param columns the rendered, comma-separated columns to return
     * @return the statement, run with {@code executeQuery}
     * @throws UnsupportedOperationException when {@link #supportsUpdateReturning()} is {@code false}
     */
    public @NotNull String updateReturning(@NotNull String update, @NotNull String columns) {
        throw unsupported("UPDATE ... RETURNING");
    }

    /**
     * Whether the assignments of one {@code SET} clause run left to right, each seeing the values
     * assigned before it (MySQL and MariaDB without {@code SIMULTANEOUS_ASSIGNMENT}), rather than
     * all reading the row as it was (the SQL standard, PostgreSQL, H2). Builders order the
     * assignments so that both give the standard result, and refuse the cycles (a swap) that
     * no order can render.
     *
     * @return {@code true} for MySQL and MariaDB
     */
    public boolean assignsSequentially() {
        return false;
    }

    /**
     * The value a timestamp version column is set to on every versioned update: the database's
     * current time, or one microsecond after the old value when the clock has not moved past it
     * (same microsecond, or PostgreSQL's transaction-start time inside one transaction), so that
     * each write changes the version. The column needs microsecond precision.
     *
     * @param column the rendered version column
     * @return the SQL expression
     */
    public abstract @NotNull String nextTimestampVersion(@NotNull String column);

    /**
     * What to append to a {@code SELECT} that must see the latest committed row from inside a
     * transaction, where a plain read may see an older snapshot (MySQL and MariaDB at their
     * default {@code REPEATABLE READ}: {@code LOCK IN SHARE MODE}). Empty where a statement in a
     * read-committed transaction already reads the latest row.
     *
     * @return the suffix, with a leading space, or empty
     */
    public @NotNull String latestRowReadSuffix() {
        return "";
    }

    /**
     * Renders an insert-or-update of one row keyed by a unique key: PostgreSQL's
     * {@code INSERT ... ON CONFLICT (key) DO UPDATE}, MariaDB's and MySQL's
     * {@code INSERT ... ON DUPLICATE KEY UPDATE} (which fires on a conflict in any unique index),
     * H2's {@code MERGE INTO ... USING (VALUES ...)}. Its parameters are the insert values, in
     * the order of {@code insertColumns}, followed by the parameters of {@code assignments}.
     *
     * @param table the rendered table
     * @param keyColumns the rendered unique-key columns (also among {@code insertColumns})
     * @param insertColumns the rendered columns inserted when the key is new
     * @param assignments the rendered {@code SET} list applied when the key exists, written with
     *        {@link #upsertExisting(String)} and {@link #upsertProposed(String)}
     * @return the statement
     */
    public abstract @NotNull String upsert(@NotNull String table, java.util.@NotNull List<String> keyColumns,
                                           java.util.@NotNull List<String> insertColumns,
                                           @NotNull String assignments);

    /**
     * How an upsert's assignment refers to a column of the row already in the table.
     *
     * @param column the rendered column
     * @return e.g. {@code t.n}
     */
    public abstract @NotNull String upsertExisting(@NotNull String column);

    /**
     * How an upsert's assignment refers to the value the statement tried to insert.
     *
     * @param column the rendered column
     * @return e.g. {@code EXCLUDED.n}
     */
    public abstract @NotNull String upsertProposed(@NotNull String column);

    /**
     * Whether an upsert can return the row's final values in the same statement.
     *
     * @return {@code true} for PostgreSQL, MariaDB 10.5+ and H2
     */
    public abstract boolean supportsUpsertReturning();

    /**
     * Renders an upsert that returns columns of the row it inserted or updated.
     *
     * @param upsert the statement from {@link #upsert(String, java.util.List, java.util.List, String)}
     * @param columns the rendered, comma-separated columns to return
     * @return the statement, run with {@code executeQuery}
     * @throws UnsupportedOperationException when {@link #supportsUpsertReturning()} is {@code false}
     */
    public @NotNull String upsertReturning(@NotNull String upsert, @NotNull String columns) {
        throw unsupported("upsert ... RETURNING");
    }

    /**
     * Whether two concurrent upserts of the same new key can make one fail with a duplicate key
     * instead of updating (H2's {@code MERGE}: both see no row and both insert). The builder then
     * re-runs the statement, which finds the row.
     *
     * @return {@code true} for H2
     */
    public boolean upsertMayRaceOnInsert() {
        return false;
    }

    // ---- row locks ------------------------------------------------------------------------

    /**
     * Whether {@link dev.latchkey.jdbc.lock.LockStrength#SHARE} can be rendered: {@code FOR SHARE}
     * on PostgreSQL and MySQL 8, {@code LOCK IN SHARE MODE} on MariaDB; not on H2.
     *
     * @return {@code true} when shared row locks are available
     */
    public abstract boolean supportsForShare();

    /**
     * Whether {@link dev.latchkey.jdbc.lock.LockStrength#NO_KEY_UPDATE} ({@code FOR NO KEY UPDATE})
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
    public abstract @NotNull java.time.Duration lockTimeoutResolution();

    /**
     * Whether transaction-scoped advisory (named) locks are available:
     * {@code pg_advisory_xact_lock} on PostgreSQL, {@code GET_LOCK} released at transaction end
     * on MariaDB and MySQL; not on H2.
     *
     * @return {@code true} when {@code latchkey.advisoryLock(name)} works
     */
    public abstract boolean supportsAdvisoryLocks();

    /**
     * Checks that this database can honour a lock strength and wait policy.
     *
     * @param strength the lock strength
     * @param wait the wait policy
     * @param timeout the lock timeout, or {@code null} for none
     * @throws UnsupportedOperationException naming the feature and this dialect
     */
    public void requireLockSupport(@NotNull dev.latchkey.jdbc.lock.LockStrength strength,
                                   @NotNull dev.latchkey.jdbc.lock.WaitPolicy wait,
                                   @org.jetbrains.annotations.Nullable java.time.Duration timeout) {
        if (strength == dev.latchkey.jdbc.lock.LockStrength.SHARE && !supportsForShare()) {
            throw unsupported("FOR SHARE");
        }
        if (strength == dev.latchkey.jdbc.lock.LockStrength.NO_KEY_UPDATE && !supportsForNoKeyUpdate()) {
            throw unsupported("FOR NO KEY UPDATE");
        }
        if (wait == dev.latchkey.jdbc.lock.WaitPolicy.NOWAIT && !supportsNowait()) {
            throw unsupported("NOWAIT");
        }
        if (wait == dev.latchkey.jdbc.lock.WaitPolicy.SKIP_LOCKED && !supportsSkipLocked()) {
            throw unsupported("SKIP LOCKED");
        }
        if (timeout != null && !supportsLockTimeout()) {
            throw unsupported("a lock timeout");
        }
    }

    /**
     * Renders a locking read: the given {@code SELECT} followed by the locking clause, plus
     * whatever this database needs in the statement to apply a lock timeout (MariaDB:
     * {@code SET STATEMENT max_statement_time=.. FOR .. WAIT n}; H2: {@code WAIT n.nnn}).
     *
     * @param select a complete {@code SELECT} without a locking clause
     * @param strength the lock strength
     * @param wait the wait policy
     * @param timeout the lock timeout (only with {@link dev.latchkey.jdbc.lock.WaitPolicy#WAIT}), or
     *        {@code null}
     * @return the SQL
     * @throws UnsupportedOperationException if this database cannot honour the options
     */
    public @NotNull String lockingSelect(@NotNull String select,
                                         @NotNull dev.latchkey.jdbc.lock.LockStrength strength,
                                         @NotNull dev.latchkey.jdbc.lock.WaitPolicy wait,
                                         @org.jetbrains.annotations.Nullable java.time.Duration timeout) {
        requireLockSupport(strength, wait, timeout);
        StringBuilder sql = new StringBuilder(select.length() + 48);
        sql.append(select).append(' ').append(strengthClause(strength));
        switch (wait) {
            case NOWAIT:
                sql.append(" NOWAIT");
                break;
            case SKIP_LOCKED:
                sql.append(" SKIP LOCKED");
                break;
            default:
                if (timeout != null) {
                    sql.append(statementTimeoutSuffix(lockTimeoutMillis(timeout)));
                }
                break;
        }
        return timeout == null ? sql.toString() : statementTimeoutPrefix(lockTimeoutMillis(timeout)) + sql;
    }

    /** The locking clause of a strength, e.g. {@code FOR UPDATE}. */
    String strengthClause(dev.latchkey.jdbc.lock.LockStrength strength) {
        return strength.sql();
    }

    /** What a statement starts with to carry a lock timeout; empty when the statement cannot. */
    String statementTimeoutPrefix(long millis) {
        return "";
    }

    /** What a locking clause ends with to carry a lock timeout; empty when the statement cannot. */
    String statementTimeoutSuffix(long millis) {
        return "";
    }

    /**
     * Applies a lock timeout that the locking statement cannot carry itself, for the statements
     * that follow on the connection (PostgreSQL: {@code set_config('lock_timeout', .., true)};
     * MySQL: the session's {@code innodb_lock_wait_timeout}). Returns how to put the previous
     * setting back. Where the statement carries the timeout ({@link #lockingSelect}, MariaDB and
     * H2) this does nothing.
     *
     * @param connection the connection, inside a transaction
     * @param timeout the lock timeout, or {@code null} for none (nothing is done)
     * @return the restore action; run it after the locking statement
     * @throws SQLException if the setting cannot be changed
     */
    public @NotNull LockTimeoutSetting applyLockTimeout(@NotNull Connection connection,
            @org.jetbrains.annotations.Nullable java.time.Duration timeout) throws SQLException {
        return LockTimeoutSetting.NONE;
    }

    /**
     * Applies the timeout of an advisory lock request where the lock statement cannot carry it
     * (PostgreSQL: {@code lock_timeout}, as for row locks); {@code GET_LOCK} takes its timeout as
     * an argument, so MariaDB and MySQL do nothing here.
     *
     * @param connection the connection, inside a transaction
     * @param timeout the timeout, or {@code null} for none (nothing is done)
     * @return the restore action; run it after the lock statement
     * @throws SQLException if the setting cannot be changed
     */
    public @NotNull LockTimeoutSetting applyAdvisoryLockTimeout(@NotNull Connection connection,
            @org.jetbrains.annotations.Nullable java.time.Duration timeout) throws SQLException {
        return applyLockTimeout(connection, timeout);
    }

    /**
     * Whether a failure of a locking statement means the lock was not available: NOWAIT found a
     * row locked, or a lock wait ran out of time.
     *
     * @param e the failure
     * @param timeoutSet whether a lock timeout was requested for the statement
     * @return {@code true} for lock-not-available and lock-wait-timeout failures
     */
    public boolean isLockUnavailable(@NotNull SQLException e, boolean timeoutSet) {
        dev.latchkey.jdbc.error.ErrorCategory c = dev.latchkey.jdbc.error.SqlErrorTranslator.forProduct(product()).classify(e);
        return c == dev.latchkey.jdbc.error.ErrorCategory.LOCK_NOT_AVAILABLE
                || c == dev.latchkey.jdbc.error.ErrorCategory.LOCK_WAIT_TIMEOUT;
    }

    /**
     * The value bound as the advisory lock's identity: a 64-bit key on PostgreSQL (see
     * {@link #advisoryLockKey(String)}), the name itself on MariaDB and MySQL.
     *
     * @param name the lock name, 1 to 64 characters
     * @return the value to bind
     * @throws UnsupportedOperationException if advisory locks are not supported
     */
    public @NotNull Object advisoryLockIdentity(@NotNull String name) {
        throw unsupported("advisory locking");
    }

    /**
     * The 64-bit key PostgreSQL's advisory lock functions are called with for a name: the first
     * eight bytes of the SHA-256 of its UTF-8 form, big-endian. Stable across versions and
     * processes, so every application using the same name locks the same key.
     *
     * @param name the lock name
     * @return the key
     */
    public static long advisoryLockKey(@NotNull String name) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(h, 0, Long.BYTES).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /**
     * Renders the statement that takes an advisory lock; it returns one row of one column, read
     * by {@link #advisoryLockAcquired(Object, boolean)}.
     *
     * @param tryOnly {@code true} for the form that never waits
     * @return the SQL with placeholders for {@link #advisoryLockParameters(String, boolean, java.time.Duration)}
     * @throws UnsupportedOperationException if advisory locks are not supported
     */
    public @NotNull String advisoryLockSql(boolean tryOnly) {
        throw unsupported("advisory locking");
    }

    /**
     * The parameters of {@link #advisoryLockSql(boolean)}.
     *
     * @param name the lock name
     * @param tryOnly {@code true} for the form that never waits
     * @param timeout how long to wait, or {@code null} to wait indefinitely; ignored when
     *        {@code tryOnly}; where the statement cannot carry it, apply it with
     *        {@link #applyLockTimeout(Connection, java.time.Duration)}
     * @return the values to bind, in order
     */
    public @NotNull java.util.List<Object> advisoryLockParameters(@NotNull String name, boolean tryOnly,
            @org.jetbrains.annotations.Nullable java.time.Duration timeout) {
        throw unsupported("advisory locking");
    }

    /**
     * Whether the lock was taken, from the value the lock statement returned.
     *
     * @param result the first column of the statement's row
     * @param tryOnly whether the try form was used
     * @return {@code true} when the lock is now held
     * @throws IllegalStateException if the database reported an error as a result (MariaDB's
     *         {@code GET_LOCK} returns {@code NULL})
     */
    public boolean advisoryLockAcquired(@org.jetbrains.annotations.Nullable Object result, boolean tryOnly) {
        throw unsupported("advisory locking");
    }

    /**
     * The statement that releases one acquisition of an advisory lock, for databases whose
     * advisory locks outlive the transaction (MariaDB and MySQL {@code GET_LOCK} locks belong to
     * the session); {@code null} where the lock ends with the transaction (PostgreSQL's
     * {@code pg_advisory_xact_lock}).
     *
     * @return the SQL with one placeholder for {@link #advisoryLockIdentity(String)}, or {@code null}
     */
    public @org.jetbrains.annotations.Nullable String advisoryUnlockSql() {
        return null;
    }

    /**
     * The lock timeout in whole milliseconds, rounded up.
     *
     * @param timeout a positive timeout
     * @return at least 1
     */
    static long lockTimeoutMillis(java.time.Duration timeout) {
        long ms;
        try {
            ms = timeout.toMillis();
            if (timeout.minusMillis(ms).isZero()) {
                return Math.max(1, ms);
            }
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2;
        }
        return ms + 1;
    }

    /** Seconds with three decimals, e.g. {@code 0.300}, for databases that take decimal seconds. */
    static String decimalSeconds(long millis) {
        return (millis / 1000) + "." + String.format(java.util.Locale.ROOT, "%03d", millis % 1000);
    }

    /** Whole seconds, rounded up, at least 1. */
    static long wholeSecondsUp(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /** Puts back a lock timeout setting changed by {@link #applyLockTimeout(Connection, java.time.Duration)}. */
    @FunctionalInterface
    public interface LockTimeoutSetting {
        /** Nothing to put back. */
        LockTimeoutSetting NONE = statementSucceeded -> { };

        /**
         * Restores the previous setting.
         *
         * @param statementSucceeded whether the locking statement succeeded; after a failure
         *        PostgreSQL's transaction is aborted and its {@code SET LOCAL} ends with it
         * @throws SQLException if the setting cannot be restored
         */
        void restore(boolean statementSucceeded) throws SQLException;
    }

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

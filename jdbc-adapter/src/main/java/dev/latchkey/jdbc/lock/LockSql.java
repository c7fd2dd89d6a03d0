package dev.latchkey.jdbc.lock;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.error.ErrorCategory;
import dev.latchkey.jdbc.error.SqlErrorTranslator;
import dev.latchkey.jdbc.internal.Session;
import org.jetbrains.annotations.Nullable;

/**
 * How one database takes row locks and advisory locks: the locking clause, where a lock timeout
 * goes (in the statement, or a setting around it), which failures mean "lock not available", and
 * the advisory lock statements. The contract of each method is written here, beside the code
 * that binds it ({@link RowLockQuery}, {@link AdvisoryLock}); the capability flags it checks
 * ({@link Dialect#supportsNowait()} etc.) stay on {@link Dialect}, which users query.
 *
 * <p>Adding a database: one subclass, chosen in {@link #of(Dialect)}. Immutable and thread-safe.
 */
abstract class LockSql {
    final Dialect dialect;

    LockSql(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * The strategy for a dialect, by product (the version is the dialect's).
     *
     * @throws UnsupportedOperationException for a product with no strategy
     */
    static LockSql of(Dialect dialect) {
        switch (dialect.product()) {
            case POSTGRESQL:
                return new PostgresLockSql(dialect);
            case MARIADB:
            case MYSQL:
                return new MySqlLockSql(dialect);
            case H2:
                return new H2LockSql(dialect);
            default:
                throw dialect.unsupported("row locking");
        }
    }

    /**
     * Checks that this database can honour a lock strength and wait policy.
     *
     * @param timeout the lock timeout, or {@code null} for none
     * @throws UnsupportedOperationException naming the feature and the dialect
     */
    final void requireSupport(LockStrength strength, WaitPolicy wait, @Nullable Duration timeout) {
        if (strength == LockStrength.SHARE && !dialect.supportsForShare()) {
            throw dialect.unsupported("FOR SHARE");
        }
        if (strength == LockStrength.NO_KEY_UPDATE && !dialect.supportsForNoKeyUpdate()) {
            throw dialect.unsupported("FOR NO KEY UPDATE");
        }
        if (wait == WaitPolicy.NOWAIT && !dialect.supportsNowait()) {
            throw dialect.unsupported("NOWAIT");
        }
        if (wait == WaitPolicy.SKIP_LOCKED && !dialect.supportsSkipLocked()) {
            throw dialect.unsupported("SKIP LOCKED");
        }
        if (timeout != null && !dialect.supportsLockTimeout()) {
            throw dialect.unsupported("a lock timeout");
        }
        if (timeout != null) {
            requireWithinLimit(timeout);
        }
    }

    /**
     * Checks that this database accepts a lock timeout (row lock or advisory lock), so that a
     * timeout it would reject at run time (PostgreSQL: 22023; H2: a syntax error) or silently
     * shorten (MariaDB truncates {@code max_statement_time} with a warning) is refused when the
     * builder is told it.
     *
     * @param timeout the lock timeout, as {@link #lockTimeoutMillis(Duration)} rounds it
     * @throws IllegalArgumentException naming the limit, what sets it, and the dialect
     */
    final void requireWithinLimit(Duration timeout) {
        long max = maxLockTimeoutMillis();
        if (lockTimeoutMillis(timeout) > max) {
            throw new IllegalArgumentException("timeout must be at most " + Duration.ofMillis(max) + " (" + max
                    + " ms) on " + dialect.name() + ", the limit of " + lockTimeoutLimit() + ": timeout=" + timeout);
        }
    }

    /**
     * The longest lock timeout this database takes, in milliseconds after rounding up to whole
     * milliseconds (and to whole seconds where the database counts in seconds): by default a
     * 32-bit count of milliseconds (PostgreSQL's {@code lock_timeout} fails with 22023 above it,
     * H2's {@code WAIT} takes 0 to 2147483.647 seconds).
     */
    long maxLockTimeoutMillis() {
        return Integer.MAX_VALUE;
    }

    /** What sets {@link #maxLockTimeoutMillis()}, for the failure message, e.g. PostgreSQL's {@code lock_timeout}. */
    abstract String lockTimeoutLimit();

    /**
     * Renders a locking read: the given {@code SELECT} followed by the locking clause, plus
     * whatever this database needs in the statement to apply a lock timeout (MariaDB:
     * {@code SET STATEMENT max_statement_time=.. FOR .. WAIT n}; H2: {@code WAIT n.nnn}).
     *
     * @param select a complete {@code SELECT} without a locking clause
     * @param timeout the lock timeout (only with {@link WaitPolicy#WAIT}), or {@code null}
     * @throws UnsupportedOperationException if this database cannot honour the options
     */
    final String lockingSelect(String select, LockStrength strength, WaitPolicy wait, @Nullable Duration timeout) {
        requireSupport(strength, wait, timeout);
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
    String strengthClause(LockStrength strength) {
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
     * that follow on the session's connection (PostgreSQL: {@code set_config('lock_timeout', ..,
     * true)}; MySQL: the session's {@code innodb_lock_wait_timeout}). Where the statement carries
     * the timeout ({@link #lockingSelect}: MariaDB and H2) this does nothing.
     *
     * @param session the session, inside a transaction
     * @param timeout the lock timeout, or {@code null} for none (nothing is done)
     * @return how to put the previous setting back; run it after the locking statement
     */
    LockTimeoutSetting applyLockTimeout(Session session, @Nullable Duration timeout) {
        return LockTimeoutSetting.NONE;
    }

    /**
     * Applies the timeout of an advisory lock request where the lock statement cannot carry it
     * (PostgreSQL: {@code lock_timeout}, as for row locks); {@code GET_LOCK} takes its timeout as
     * an argument, so MariaDB and MySQL do nothing here.
     */
    LockTimeoutSetting applyAdvisoryLockTimeout(Session session, @Nullable Duration timeout) {
        return applyLockTimeout(session, timeout);
    }

    /**
     * Whether a failure of a locking statement means the lock was not available: NOWAIT found a
     * row locked, or a lock wait ran out of time.
     *
     * @param timeoutSet whether a lock timeout was requested for the statement
     */
    boolean isLockUnavailable(SqlErrorTranslator errors, SQLException e, boolean timeoutSet) {
        ErrorCategory c = errors.classify(e);
        return c == ErrorCategory.LOCK_NOT_AVAILABLE || c == ErrorCategory.LOCK_WAIT_TIMEOUT;
    }

    /**
     * The value bound as the advisory lock's identity: a 64-bit key on PostgreSQL (see
     * {@link AdvisoryLock#postgresKey(String)}), the name itself on MariaDB and MySQL.
     *
     * @throws UnsupportedOperationException if advisory locks are not supported
     */
    Object advisoryLockIdentity(String name) {
        throw dialect.unsupported("advisory locking");
    }

    /**
     * The statement that takes an advisory lock; it returns one row of one column, read by
     * {@link #advisoryLockAcquired(Object, boolean)}, and has placeholders for
     * {@link #advisoryLockParameters(String, boolean, Duration)}.
     *
     * @param tryOnly {@code true} for the form that never waits
     */
    String advisoryLockSql(boolean tryOnly) {
        throw dialect.unsupported("advisory locking");
    }

    /**
     * The parameters of {@link #advisoryLockSql(boolean)}, in order.
     *
     * @param timeout how long to wait, or {@code null} to wait indefinitely; ignored when
     *        {@code tryOnly}; where the statement cannot carry it,
     *        {@link #applyAdvisoryLockTimeout} applies it
     */
    List<Object> advisoryLockParameters(String name, boolean tryOnly, @Nullable Duration timeout) {
        throw dialect.unsupported("advisory locking");
    }

    /**
     * Whether the lock was taken, from the value the lock statement returned.
     *
     * @throws IllegalStateException if the database reported an error as a result (MariaDB's
     *         {@code GET_LOCK} returns {@code NULL})
     */
    boolean advisoryLockAcquired(@Nullable Object result, boolean tryOnly) {
        throw dialect.unsupported("advisory locking");
    }

    /**
     * The statement that releases one acquisition of an advisory lock, for databases whose
     * advisory locks outlive the transaction (MariaDB and MySQL {@code GET_LOCK} locks belong to
     * the session), with one placeholder for {@link #advisoryLockIdentity(String)}; {@code null}
     * where the lock ends with the transaction (PostgreSQL's {@code pg_advisory_xact_lock}).
     */
    @Nullable String advisoryUnlockSql() {
        return null;
    }

    /** The lock timeout in whole milliseconds, rounded up; at least 1. */
    static long lockTimeoutMillis(Duration timeout) {
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
        return (millis / 1000) + "." + String.format(Locale.ROOT, "%03d", millis % 1000);
    }

    /** Whole seconds, rounded up, at least 1. */
    static long wholeSecondsUp(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /** Puts back a lock timeout setting changed by {@link #applyLockTimeout(Session, Duration)}. */
    @FunctionalInterface
    interface LockTimeoutSetting {
        /** Nothing to put back. */
        LockTimeoutSetting NONE = statementSucceeded -> { };

        /**
         * Restores the previous setting; a failure is thrown translated.
         *
         * @param statementSucceeded whether the locking statement succeeded; after a failure
         *        PostgreSQL's transaction is aborted and its {@code SET LOCAL} ends with it
         */
        void restore(boolean statementSucceeded);
    }
}

package dev.latchkey.jdbc.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.latchkey.jdbc.error.SqlErrorTranslator;
import dev.latchkey.ConcurrencyListener;
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.Statements;
import dev.latchkey.jdbc.internal.TransactionScope;
import org.jetbrains.annotations.NotNull;

/**
 * A named (advisory) lock held until the end of the caller's transaction: mutual exclusion
 * between transactions, on any connection to the same database, over something that is not a
 * row (a report run, a tenant's migration, a singleton job). Obtain one from
 * {@code latchkey.advisoryLock("nightly-report")}.
 *
 * <pre>{@code
 * latchkey.transactions().run(tx -> {
 *     if (!latchkey.advisoryLock("nightly-report").tryLock(tx)) {
 *         return false;                          // another instance is running it
 *     }
 *     runReport(tx);
 *     return true;                               // released at commit (or rollback)
 * });
 * }</pre>
 *
 * <p><b>Per database.</b>
 * <ul>
 *   <li>PostgreSQL: {@code pg_advisory_xact_lock(key)} / {@code pg_try_advisory_xact_lock(key)},
 *       released by the database at commit or rollback. The 64-bit key is derived from the name
 *       ({@link Dialect#advisoryLockKey(String)}). A timeout is {@code lock_timeout} for the
 *       statement. May be used in any transaction on the connection.</li>
 *   <li>MariaDB and MySQL: {@code GET_LOCK(name, seconds)}, a lock of the session, released
 *       with {@code RELEASE_LOCK} by the Latchkey transaction runner when the transaction ends,
 *       after commit or rollback and before the connection returns to its pool. It is therefore
 *       refused ({@link IllegalStateException}) outside a transaction run by
 *       {@code latchkey.transactions()}: a session lock must never leak into a pooled
 *       connection.</li>
 *   <li>H2 has no named locks: {@code latchkey.advisoryLock(..)} throws
 *       {@link UnsupportedOperationException}.</li>
 * </ul>
 *
 * <p>Locks are re-entrant within a transaction: taking the same name twice needs no other
 * transaction's cooperation, and both acquisitions end with the transaction. Immutable and
 * thread-safe.
 */
public final class AdvisoryLock {
    private static final int MAX_NAME_LENGTH = 64;

    private final Dialect dialect;
    private final ConcurrencyListener listener;
    private final String name;

    private AdvisoryLock(Dialect dialect, ConcurrencyListener listener, String name) {
        this.dialect = dialect;
        this.listener = listener;
        this.name = name;
    }

    /**
     * A named lock for a Latchkey's context; see {@link #of(Dialect, ConcurrencyListener, String)}.
     *
     * @param ctx the context
     * @param name the lock name, 1 to 64 characters
     * @return the lock
     * @throws IllegalArgumentException if the name is empty or too long
     * @throws UnsupportedOperationException if the database has no advisory locks
     */
    public static @NotNull AdvisoryLock of(@NotNull JdbcContext ctx, @NotNull String name) {
        return of(ctx.dialect(), ctx.listener(), name);
    }

    /**
     * An advisory lock of the given name.
     *
     * @param dialect the database's dialect
     * @param listener told about every lock request
     * @param name the lock name, 1 to 64 characters; use a prefix per application
     * @return the lock
     * @throws IllegalArgumentException if the name is empty or longer than 64 characters
     * @throws UnsupportedOperationException if the database has no advisory locks (H2)
     */
    public static @NotNull AdvisoryLock of(@NotNull Dialect dialect, @NotNull ConcurrencyListener listener,
                                           @NotNull String name) {
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(listener, "listener");
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an advisory lock name must not be empty: name=" + name);
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("an advisory lock name is at most " + MAX_NAME_LENGTH
                    + " characters: name=" + name.substring(0, MAX_NAME_LENGTH) + "... (" + name.length()
                    + " characters)");
        }
        if (!dialect.supportsAdvisoryLocks()) {
            throw dialect.unsupported("advisory locking");
        }
        return new AdvisoryLock(dialect, listener, name);
    }

    /** @return the lock's name */
    public @NotNull String name() {
        return name;
    }

    /**
     * Takes the lock, waiting as long as it takes (or until the database's own lock timeout).
     *
     * @param connection a connection inside a transaction
     * @throws IllegalStateException outside a transaction (on MariaDB/MySQL: outside a Latchkey transaction)
     * @throws dev.latchkey.LockWaitTimeoutException if the database's own lock timeout expired
     * @throws dev.latchkey.DeadlockException if the wait closed a deadlock (PostgreSQL)
     */
    public void lock(@NotNull Connection connection) {
        acquire(connection, false, null);
    }

    /**
     * Takes the lock, waiting at most the given time.
     *
     * @param connection a connection inside a transaction
     * @param timeout at least one millisecond
     * @throws IllegalArgumentException if the timeout is under 1 ms
     * @throws IllegalStateException outside a transaction (on MariaDB/MySQL: outside a Latchkey transaction)
     * @throws dev.latchkey.LockWaitTimeoutException when the time ran out; on PostgreSQL the
     *         transaction is then aborted
     */
    public void lock(@NotNull Connection connection, @NotNull Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("timeout must be at least 1 ms (use tryLock() not to wait): timeout="
                    + timeout);
        }
        acquire(connection, false, timeout);
    }

    /**
     * Takes the lock if no other transaction holds it, without waiting.
     *
     * @param connection a connection inside a transaction
     * @return {@code true} when the lock is now held (until the transaction ends), {@code false}
     *         when another transaction holds it
     * @throws IllegalStateException outside a transaction (on MariaDB/MySQL: outside a Latchkey transaction)
     */
    public boolean tryLock(@NotNull Connection connection) {
        return acquire(connection, true, null);
    }

    private boolean acquire(Connection connection, boolean tryOnly, Duration timeout) {
        Objects.requireNonNull(connection, "connection");
        LockFailures.requireTransaction(connection, dialect, "an advisory lock");
        String unlockSql = dialect.advisoryUnlockSql();
        TransactionScope scope = null;
        if (unlockSql != null) {
            scope = TransactionScope.of(connection);
            if (scope == null) {
                throw new IllegalStateException("advisory lock '" + name + "' on " + dialect.name() + " is a "
                        + "session lock (GET_LOCK) that Latchkey releases when the transaction ends; take it "
                        + "inside latchkey.transactions().run(..) on the connection it passes, so it can never "
                        + "leak into a pooled connection");
            }
        }
        Dialect.LockTimeoutSetting setting;
        try {
            setting = tryOnly ? Dialect.LockTimeoutSetting.NONE : dialect.applyAdvisoryLockTimeout(connection, timeout);
        } catch (SQLException e) {
            throw SqlErrorTranslator.forProduct(dialect.product()).translate(e);
        }
        List<Object> params = dialect.advisoryLockParameters(name, tryOnly, timeout);
        boolean acquired;
        long start = System.nanoTime();
        try (PreparedStatement ps = connection.prepareStatement(dialect.advisoryLockSql(tryOnly))) {
            Statements.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                acquired = dialect.advisoryLockAcquired(rs.getObject(1), tryOnly);
            }
        } catch (SQLException e) {
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            RuntimeException failure = LockFailures.translate(dialect, e, describe(), name, List.of(),
                    WaitPolicy.WAIT, timeout, waited);
            LockFailures.notifyLockWait(listener, name, List.of(), waited, false);
            try {
                setting.restore(false);
            } catch (SQLException | RuntimeException restoreFailure) {
                failure.addSuppressed(restoreFailure);
            }
            throw failure;
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        if (acquired && scope != null) {
            Object identity = dialect.advisoryLockIdentity(name);
            scope.onCompletion(c -> {
                try (PreparedStatement ps = c.prepareStatement(unlockSql)) {
                    ps.setObject(1, identity);
                    ps.executeQuery().close();
                }
            });
        }
        try {
            setting.restore(true);
        } catch (SQLException e) {
            throw SqlErrorTranslator.forProduct(dialect.product()).translate(e);
        }
        LockFailures.notifyLockWait(listener, name, List.of(), waited, acquired);
        if (!acquired && !tryOnly) {
            throw LockFailures.timedOut(describe(), name, List.of(), timeout, waited, null, "");
        }
        return acquired;
    }

    private String describe() {
        return "advisory lock '" + name + "'";
    }

    @Override
    public String toString() {
        return "AdvisoryLock[" + name + " on " + dialect.name() + "]";
    }
}

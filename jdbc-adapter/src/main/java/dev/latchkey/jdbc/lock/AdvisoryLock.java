package dev.latchkey.jdbc.lock;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.latchkey.ConcurrencyListener;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.Session;
import dev.latchkey.jdbc.internal.Statements;
import dev.latchkey.jdbc.internal.JoinedTransaction;
import dev.latchkey.jdbc.internal.Participation;
import dev.latchkey.jdbc.lock.LockSql.LockTimeoutSetting;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

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
 *       ({@link #postgresKey(String)}). A timeout is {@code lock_timeout} for the
 *       statement. May be used in any transaction on the connection.</li>
 *   <li>MariaDB and MySQL: {@code GET_LOCK(name, seconds)}, a lock of the session, released
 *       with {@code RELEASE_LOCK} when the transaction it was taken in ends, after commit or
 *       rollback and before the connection returns to its pool: Latchkey's runner's, a bound
 *       connection's (when the binding closes) or a joined framework transaction's (Spring: after
 *       completion). It is therefore refused ({@link IllegalStateException}) on a connection in
 *       no transaction Latchkey knows of: a session lock must never leak into a pooled
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

    private final JdbcContext ctx;
    private final LockSql lockSql;
    private final String name;

    private AdvisoryLock(JdbcContext ctx, LockSql lockSql, String name) {
        this.ctx = ctx;
        this.lockSql = lockSql;
        this.name = name;
    }

    /**
     * An advisory lock of the given name, for a Latchkey's context.
     *
     * @param ctx the context: its dialect renders the lock, its listener is told about every
     *        lock request, its nano clock times the wait
     * @param name the lock name, 1 to 64 characters; use a prefix per application
     * @return the lock
     * @throws IllegalArgumentException if the name is empty or longer than 64 characters
     * @throws UnsupportedOperationException if the database has no advisory locks (H2)
     */
    public static @NotNull AdvisoryLock of(@NotNull JdbcContext ctx, @NotNull String name) {
        Objects.requireNonNull(ctx, "ctx");
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an advisory lock name must not be empty: name=" + name);
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("an advisory lock name is at most " + MAX_NAME_LENGTH
                    + " characters: name=" + name.substring(0, MAX_NAME_LENGTH) + "... (" + name.length()
                    + " characters)");
        }
        if (!ctx.dialect().supportsAdvisoryLocks()) {
            throw ctx.dialect().unsupported("advisory locking");
        }
        return new AdvisoryLock(ctx, LockSql.of(ctx.dialect()), name);
    }

    /**
     * The 64-bit key PostgreSQL's advisory lock functions are called with for a name: the first
     * eight bytes of the SHA-256 of its UTF-8 form, big-endian. Stable across versions and
     * processes, so every application using the same name locks the same key (and a monitoring
     * query can find it in {@code pg_locks}).
     *
     * @param name the lock name
     * @return the key
     */
    public static long postgresKey(@NotNull String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(h, 0, Long.BYTES).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /**
     * Returns the lock's name.
     *
     * @return the lock's name
     */
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
     * @param timeout at least one millisecond, at most the database's limit (PostgreSQL:
     *        {@code lock_timeout}, 2147483647 ms; MariaDB: one year; MySQL: 1073741824 s)
     * @throws IllegalArgumentException if the timeout is under 1 ms or over the database's limit,
     *         naming the limit and the dialect
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
        lockSql.requireWithinLimit(timeout);
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

    private boolean acquire(Connection connection, boolean tryOnly, @Nullable Duration timeout) {
        Session session = Session.on(Objects.requireNonNull(connection, "connection"), ctx.errors());
        LockFailures.requireTransaction(session, "an advisory lock");
        String unlockSql = lockSql.advisoryUnlockSql();
        JoinedTransaction scope = null;
        if (unlockSql != null) {
            scope = Participation.of(ctx, connection);
            if (scope == null) {
                throw new IllegalStateException("advisory lock '" + name + "' on " + ctx.dialect().name() + " is a "
                        + "session lock (GET_LOCK) that Latchkey releases when the transaction ends; take it inside "
                        + "a transaction Latchkey knows of (latchkey.transactions().run(..), a connection bound with "
                        + "latchkey.bind(..), or a joined framework transaction), so it can never leak into a "
                        + "pooled connection");
            }
        }
        LockTimeoutSetting setting = tryOnly ? LockTimeoutSetting.NONE
                : lockSql.applyAdvisoryLockTimeout(session, timeout);
        LockRequest request = new LockRequest(this::describe, name, List.of(), WaitPolicy.WAIT, timeout);
        LockStatement.Result<Boolean> result = LockStatement.run(ctx, lockSql, session, request, setting,
                lockSql.advisoryLockSql(tryOnly), lockSql.advisoryLockParameters(name, tryOnly, timeout),
                rs -> lockSql.advisoryLockAcquired(rs.getObject(1), tryOnly));
        boolean acquired = result.rows().get(0);
        if (acquired && scope != null) {
            List<Object> identity = List.of(lockSql.advisoryLockIdentity(name));
            scope.onCompletion(c -> Statements.query(c, unlockSql, identity, rs -> rs.getObject(1)));
        }
        setting.restore(true);
        ConcurrencyListener listener = ctx.listener();
        if (listener != ConcurrencyListener.NONE) {
            listener.onLockWait(name, List.of(), result.waited(), acquired);
        }
        if (!acquired && !tryOnly) {
            throw LockFailures.timedOut(request, result.waited(), null, "");
        }
        return acquired;
    }

    private String describe() {
        return "advisory lock '" + name + "'";
    }

    @Override
    public String toString() {
        return "AdvisoryLock[" + name + " on " + ctx.dialect().name() + "]";
    }
}

package dev.latchkey.jdbc;

import dev.latchkey.jdbc.error.JdbcException;
import java.sql.Connection;
import java.util.Objects;


import dev.latchkey.ConcurrencyListener;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.Transaction;
import dev.latchkey.jdbc.sql.SqlWork;
import dev.latchkey.jdbc.sql.TransactionRunner;
import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;

/**
 * Runs units of work in their own transactions, re-running the whole unit when it fails
 * transiently (deadlock, serialization failure, lock not available, connection lost before
 * commit).
 *
 * <p>Each attempt takes a connection from the {@link javax.sql.DataSource}, switches it to manual commit
 * at the configured isolation level and read-only flag, runs the work, and commits. On failure it
 * rolls back, and if the {@link RetryPolicy} allows, runs the work again on a fresh connection
 * and transaction. Before the connection is closed (returned to its pool) its auto-commit,
 * isolation and read-only settings are restored, and then the actions registered on the
 * transaction's {@code TransactionScope} run (after the commit or the rollback).
 *
 * <p><b>Propagation.</b> Called while this thread already runs a transaction on the same data
 * source (this runner's, a connection bound with {@code latchkey.bind(connection)}, or a
 * framework's such as Spring's {@code @Transactional} when the Latchkey was built with its
 * {@code ExternalTransactions}), {@code run} joins it ({@code REQUIRED}): the work runs on that
 * transaction's connection; there is no commit, no rollback and no retry inside; whatever the work
 * throws marks the transaction rollback-only (the outer work cannot catch it and commit the inner
 * work half done) and propagates, and only the outermost boundary
 * retries. {@link #withRequiresNew(boolean)} opts into a separate transaction instead.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>A commit whose outcome is unknown (the connection died during {@code COMMIT}) is never
 *       retried, whatever the policy says: {@link dev.latchkey.CommitOutcomeUnknownException} is
 *       thrown.</li>
 *   <li>Never reports success for a transaction that did not commit: when a failure inside it
 *       aborted it (a deadlock anywhere; on PostgreSQL any failed statement) and the work caught
 *       the failure and returned normally, the transaction is rolled back and that failure is
 *       thrown (and retried when transient).</li>
 *   <li>Whatever the work throws, checked exceptions smuggled out of a lambda included, the
 *       transaction is rolled back, the connection's settings restored, the connection given
 *       back (evicted from the pool when it broke) and the thread left with no open scope; the
 *       throwable reaches the caller unchanged.</li>
 *   <li>A pool that hands out connections with auto-commit off is fine: the runner commits or
 *       rolls back and leaves auto-commit as it found it.</li>
 *   <li>Because the work may run more than once, it must not have side effects outside the
 *       transaction (or must make them idempotent).</li>
 * </ul>
 *
 * <p>The runner's {@link ConcurrencyListener} is told about every retry
 * ({@link ConcurrencyListener#onRetry}) and every transient failure of an attempt
 * ({@link ConcurrencyListener#onConflict}), in addition to the retry policy's own listener.
 *
 * <p>Instances are immutable and thread-safe; each {@code with...} method returns a new value.
 */
public final class Transactions implements TransactionRunner {
    private final JdbcContext ctx;
    private final Isolation isolation;
    private final boolean readOnly;
    private final RetryPolicy retryPolicy;
    private final boolean requiresNew;

    Transactions(@NotNull JdbcContext ctx, @NotNull Isolation isolation, boolean readOnly,
                 @NotNull RetryPolicy retryPolicy) {
        this(ctx, isolation, readOnly, retryPolicy, false);
    }

    private Transactions(@NotNull JdbcContext ctx, @NotNull Isolation isolation, boolean readOnly,
                         @NotNull RetryPolicy retryPolicy, boolean requiresNew) {
        this.requiresNew = requiresNew;
        this.ctx = ctx;
        this.isolation = isolation;
        this.readOnly = readOnly;
        this.retryPolicy = retryPolicy;
    }

    /**
     * A runner with the given isolation level.
     *
     * @param isolation the level; {@link Isolation#DEFAULT} keeps the connection's
     * @return a new runner
     */
    public @NotNull Transactions withIsolation(@NotNull Isolation isolation) {
        return new Transactions(ctx, Objects.requireNonNull(isolation, "isolation"),
                readOnly, retryPolicy, requiresNew);
    }

    /**
     * A runner whose transactions are read-only (or not).
     *
     * @param readOnly whether to call {@link Connection#setReadOnly(boolean)} with {@code true}
     * @return a new runner
     */
    public @NotNull Transactions withReadOnly(boolean readOnly) {
        return new Transactions(ctx, isolation, readOnly, retryPolicy, requiresNew);
    }

    /**
     * A runner with the given retry policy.
     *
     * @param retryPolicy the policy; {@link RetryPolicy#none()} for a single attempt
     * @return a new runner
     */
    public @NotNull Transactions withRetry(@NotNull RetryPolicy retryPolicy) {
        return new Transactions(ctx, isolation, readOnly,
                Objects.requireNonNull(retryPolicy, "retryPolicy"), requiresNew);
    }

    /**
     * A runner whose transactions are always separate (propagation {@code REQUIRES_NEW}): inside
     * a transaction this thread already runs on the data source, {@code run} does not join it but
     * takes a second connection from the pool and commits on its own, whatever the outer
     * transaction does afterwards. The cost: two connections held at once by one thread (on a pool
     * of size one the inner {@code run} waits out the pool's connection timeout, then fails with a
     * {@link dev.latchkey.jdbc.error.JdbcException}, not retried; a pool of n is exhausted by n such
     * threads), and the inner transaction blocks on any row lock the outer one holds. Use it only for work that must
     * survive the outer transaction's rollback (an audit record).
     *
     * @param requiresNew {@code true} for separate transactions; {@code false} (the default) joins
     * @return a new runner
     */
    public @NotNull Transactions withRequiresNew(boolean requiresNew) {
        return new Transactions(ctx, isolation, readOnly, retryPolicy, requiresNew);
    }

    /**
     * Returns whether this runner always runs a separate transaction ({@code REQUIRES_NEW}).
     *
     * @return whether this runner always runs a separate transaction ({@code REQUIRES_NEW})
     */
    public boolean requiresNew() {
        return requiresNew;
    }

    /**
     * Returns the isolation level of this runner's transactions.
     *
     * @return the isolation level of this runner's transactions
     */
    public @NotNull Isolation isolation() {
        return isolation;
    }

    /**
     * Returns whether this runner's transactions are read-only.
     *
     * @return whether this runner's transactions are read-only
     */
    public boolean readOnly() {
        return readOnly;
    }

    /**
     * Returns the retry policy.
     *
     * @return the retry policy
     */
    public @NotNull RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * Runs the work in a transaction at the given isolation level, with this runner's other
     * settings.
     *
     * @param isolation the isolation level
     * @param work the unit of work; may run more than once
     * @param <T> the result type
     * @return what the work returned in the attempt that committed
     * @see #run(SqlWork)
     */
    public <T> T run(@NotNull Isolation isolation, @NotNull SqlWork<T> work) {
        return withIsolation(isolation).run(work);
    }

    /**
     * Runs the work in a transaction, committing it, and re-running it when it fails
     * transiently and the retry policy allows.
     *
     * @param work the unit of work; receives the transaction's connection, which it must not
     *        commit, roll back or close; may run more than once
     * @param <T> the result type
     * @return what the work returned in the attempt that committed
     * @throws dev.latchkey.RetriesExhaustedException when every allowed attempt failed
     *         transiently; its cause is the last failure (a policy of one attempt rethrows the
     *         failure itself)
     * @throws dev.latchkey.CommitOutcomeUnknownException when the connection failed during
     *         COMMIT; never retried, whatever the policy
     * @throws dev.latchkey.ConcurrencyException a non-retried concurrency failure (e.g. a duplicate key)
     * @throws JdbcException any other database error, translated
     * @throws IllegalStateException when PostgreSQL aborted the transaction after a failed
     *         statement the work caught, or when the transaction committed but an action
     *         registered to run on completion failed (the cause); never retried
     * @throws RuntimeException whatever the work threw, after rolling back
     */
    @Override
    public <T> T run(@NotNull SqlWork<T> work) {
        Objects.requireNonNull(work, "work");
        return Transaction.run(ctx, new Transaction.Settings(isolation.jdbcLevel(), readOnly, retryPolicy, requiresNew),
                work::apply);
    }
}

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
 * <p>Guarantees and refusals:
 * <ul>
 *   <li>A commit whose outcome is unknown (the connection died during {@code COMMIT}) is never
 *       retried, whatever the policy says: {@link dev.latchkey.CommitOutcomeUnknownException} is
 *       thrown.</li>
 *   <li>Starting a transaction while this thread already runs one on the same data source, or
 *       on a connection that arrives with auto-commit off (someone else's transaction may be
 *       open on it; it is given back untouched), is refused with {@link IllegalStateException}:
 *       nested transactions would silently not be atomic.</li>
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

    Transactions(@NotNull JdbcContext ctx, @NotNull Isolation isolation, boolean readOnly,
                 @NotNull RetryPolicy retryPolicy) {
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
                readOnly, retryPolicy);
    }

    /**
     * A runner whose transactions are read-only (or not).
     *
     * @param readOnly whether to call {@link Connection#setReadOnly(boolean)} with {@code true}
     * @return a new runner
     */
    public @NotNull Transactions withReadOnly(boolean readOnly) {
        return new Transactions(ctx, isolation, readOnly, retryPolicy);
    }

    /**
     * A runner with the given retry policy.
     *
     * @param retryPolicy the policy; {@link RetryPolicy#none()} for a single attempt
     * @return a new runner
     */
    public @NotNull Transactions withRetry(@NotNull RetryPolicy retryPolicy) {
        return new Transactions(ctx, isolation, readOnly,
                Objects.requireNonNull(retryPolicy, "retryPolicy"));
    }

    /** @return the isolation level of this runner's transactions */
    public @NotNull Isolation isolation() {
        return isolation;
    }

    /** @return whether this runner's transactions are read-only */
    public boolean readOnly() {
        return readOnly;
    }

    /** @return the retry policy */
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
     * @throws IllegalStateException when called inside a transaction this thread already holds
     *         on the same data source, when the data source hands out a connection with
     *         auto-commit off, or when the transaction committed but an action registered to
     *         run on completion failed (the cause); never retried
     * @throws RuntimeException whatever the work threw, after rolling back
     */
    @Override
    public <T> T run(@NotNull SqlWork<T> work) {
        Objects.requireNonNull(work, "work");
        return Transaction.run(ctx, new Transaction.Settings(isolation.jdbcLevel(), readOnly, retryPolicy), work::apply);
    }
}

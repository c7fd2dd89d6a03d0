package dev.latchkey.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.ConcurrencyListener;
import dev.latchkey.ConcurrencyException;
import dev.latchkey.ConnectionFailureException;
import dev.latchkey.LockNotAvailableException;
import dev.latchkey.StaleVersionException;
import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The transaction engine behind {@code Transactions.run} and every feature that runs a
 * transaction of its own (transactional idempotency): take a connection, switch it to manual
 * commit at the requested isolation and read-only flag, run the work, commit; on failure roll
 * back and, when the retry policy allows, run everything again on a fresh connection. Before the
 * connection goes back to its pool its settings are restored and the actions registered on the
 * transaction's {@link TransactionScope} run. Stateless.
 */
public final class Transaction {
    /** Isolation left as the connection has it. */
    public static final int DEFAULT_ISOLATION = -1;

    private Transaction() {
    }

    /**
     * The settings of a transaction.
     *
     * @param isolation a {@code Connection.TRANSACTION_*} level, or {@link #DEFAULT_ISOLATION}
     * @param readOnly whether the transaction is read-only
     * @param retryPolicy the retry policy of the whole transaction
     * @param requiresNew whether to run a separate transaction on a connection of its own even when
     *        the thread already runs one on the data source (otherwise that one is joined)
     * @param verification how to learn the outcome of a {@code COMMIT} that lost its connection, or
     *        {@code null} to throw {@link CommitOutcomeUnknownException} at once (plain commits)
     */
    public record Settings(int isolation, boolean readOnly, @NotNull RetryPolicy retryPolicy, boolean requiresNew,
                           TransactionOutcome.@Nullable Verification verification) {
        /**
         * Checks the policy.
         *
         * @param isolation a {@code Connection.TRANSACTION_*} level, or {@link #DEFAULT_ISOLATION}
         * @param readOnly whether the transaction is read-only
         * @param retryPolicy the retry policy of the whole transaction
         * @param requiresNew whether to run a separate transaction even inside one
         * @param verification verified commits, or {@code null} for plain ones
         */
        public Settings {
            Objects.requireNonNull(retryPolicy, "retryPolicy");
        }

        /**
         * Settings with plain commits.
         *
         * @param isolation a {@code Connection.TRANSACTION_*} level, or {@link #DEFAULT_ISOLATION}
         * @param readOnly whether the transaction is read-only
         * @param retryPolicy the retry policy of the whole transaction
         * @param requiresNew whether to run a separate transaction even inside one
         */
        public Settings(int isolation, boolean readOnly, @NotNull RetryPolicy retryPolicy, boolean requiresNew) {
            this(isolation, readOnly, retryPolicy, requiresNew, null);
        }

        /**
         * Settings that join a running transaction: default isolation, read-write.
         *
         * @param retryPolicy the retry policy when no transaction runs
         * @return the settings
         */
        public static @NotNull Settings defaults(@NotNull RetryPolicy retryPolicy) {
            return new Settings(DEFAULT_ISOLATION, false, retryPolicy, false);
        }
    }

    /**
     * Runs the work in a transaction, committing it, and re-running it when it fails
     * transiently and the retry policy allows. See {@code Transactions.run} for the contract.
     *
     * @param ctx the context (data source, translator, listener)
     * @param settings isolation, read-only flag and retry policy
     * @param work the work; may run more than once
     * @param <T> the result type
     * @return what the work returned in the attempt that committed
     */
    public static <T> T run(@NotNull JdbcContext ctx, @NotNull Settings settings, @NotNull ConnectionWork<T> work) {
        return run(ctx, settings, work, ConnectionWork::apply);
    }

    /**
     * Like {@link #run(JdbcContext, Settings, ConnectionWork)} for work of another type, which an
     * invoker applies to the connection: a caller holding its own functional type passes a method
     * reference that captures nothing (one shared instance), so no adapter is allocated per call.
     *
     * @param ctx the context (data source, translator, listener)
     * @param settings isolation, read-only flag and retry policy
     * @param work the work; may run more than once
     * @param invoker applies the work to the transaction's connection
     * @param <W> the work's type
     * @param <T> the result type
     * @return what the work returned in the attempt that committed
     */
    public static <W, T> T run(@NotNull JdbcContext ctx, @NotNull Settings settings, @NotNull W work,
                               @NotNull Invoker<? super W, ? extends T> invoker) {
        Objects.requireNonNull(work, "work");
        JoinedTransaction joined = settings.requiresNew() ? null : Participation.current(ctx);
        if (joined != null) {
            try {
                return Participation.runJoined(ctx, joined, session -> {
                    try {
                        return invoker.apply(work, session.connection());
                    } catch (SQLException e) {
                        throw ctx.errors().translate(e);
                    }
                });
            } catch (Throwable t) {
                // REQUIRED: a unit of work that failed must not commit half-done because the outer
                // work caught its failure; whatever it threw makes the whole transaction rollback-only
                joined.setRollbackOnly(t);
                throw t;
            }
        }
        Run<W, T> committed = settings.retryPolicy().execute(new Run<>(ctx, settings, work, invoker), ctx.listener());
        if (committed.completionFailure != null) {
            throw new IllegalStateException("the transaction committed, but an action registered to run on its "
                    + "completion failed: " + committed.completionFailure, committed.completionFailure);
        }
        return committed.result;
    }

    /**
     * Applies work of some type to a connection.
     *
     * @param <W> the work's type
     * @param <T> the result type
     */
    @FunctionalInterface
    public interface Invoker<W, T> {
        /**
         * Runs the work on the connection.
         *
         * @param work the work
         * @param connection the transaction's connection
         * @return what the work returned
         * @throws SQLException on a database error
         */
        T apply(@NotNull W work, @NotNull Connection connection) throws SQLException;
    }

    /**
     * One call of {@link #run}: the retry policy's attempt, what the running attempt changed on its
     * connection and must put back, and what the committed attempt produced (a completion failure
     * there must not cause a retry). One object per call, reset by each attempt.
     */
    private static final class Run<W, T> implements RetryPolicy.Attempt<Run<W, T>> {
        final JdbcContext ctx;
        final Settings settings;
        final W work;
        final Invoker<? super W, ? extends T> invoker;
        boolean autoCommitChanged;
        int previousIsolation;
        boolean readOnlyChanged;
        @Nullable T result;
        @Nullable Throwable completionFailure;

        Run(JdbcContext ctx, Settings settings, W work, Invoker<? super W, ? extends T> invoker) {
            this.ctx = ctx;
            this.settings = settings;
            this.work = work;
            this.invoker = invoker;
        }

        @Override
        public Run<W, T> run(int attempt) {
            autoCommitChanged = false;
            previousIsolation = DEFAULT_ISOLATION;
            readOnlyChanged = false;
            result = null;
            completionFailure = null;
            return runOnce(this, attempt);
        }
    }

    /** The start of an attempt, for the listener's duration: the clock is read only when a listener is set. */
    private static long start(JdbcContext ctx) {
        return ctx.listener() == ConcurrencyListener.NONE ? 0L : ctx.nanoTime();
    }

    /** Tells the listener that an attempt ended; reads the clock and allocates only when a listener is set. */
    private static void ended(JdbcContext ctx, boolean committed, long start, int attempt) {
        ConcurrencyListener listener = ctx.listener();
        if (listener != ConcurrencyListener.NONE) {
            listener.onTransactionEnd(committed, Duration.ofNanos(ctx.nanoTime() - start), attempt);
        }
    }

    private static <W, T> Run<W, T> runOnce(Run<W, T> run, int attempt) {
        JdbcContext ctx = run.ctx;
        Settings settings = run.settings;
        long start = start(ctx);
        Connection c;
        try {
            c = ctx.dataSource().getConnection();
        } catch (SQLException e) {
            throw ctx.errors().translate(e);
        }
        TransactionScope scope = null;
        T result = null;
        RuntimeException failure = null;
        RuntimeException commitFailure = null;
        TransactionOutcome.Probe probe = null;
        try {
            if (c.getAutoCommit()) {
                // a pool may hand out manual-commit connections (next to Hibernate): then leave it so
                c.setAutoCommit(false);
                run.autoCommitChanged = true;
            }
            if (settings.isolation() != DEFAULT_ISOLATION) {
                int current = c.getTransactionIsolation();
                if (current != settings.isolation()) {
                    c.setTransactionIsolation(settings.isolation());
                    run.previousIsolation = current;
                }
            }
            if (c.isReadOnly() != settings.readOnly()) {
                c.setReadOnly(settings.readOnly());
                run.readOnlyChanged = true;
            }
            scope = TransactionScope.open(ctx.key(), c);
            try {
                result = run.invoker.apply(run.work, c);
            } catch (SQLException e) {
                throw ctx.errors().translate(e);
            }
            refuseAborted(ctx, scope, c);
            if (settings.verification() != null) {
                probe = TransactionOutcome.beforeCommit(ctx, settings.verification(), settings.readOnly(), c);
            }
            try {
                c.commit();
            } catch (SQLException e) {
                commitFailure = ctx.errors().translate(e, true);
                throw commitFailure;
            }
        } catch (SQLException e) {
            failure = ctx.errors().translate(e);
            Statements.rollbackQuietly(c, failure);
        } catch (Throwable e) {
            // only our own COMMIT's lost connection leaves nothing to roll back; an unknown outcome
            // the work threw (from another connection) must not leave this transaction open, or
            // restoring auto-commit below would commit it
            if (!(e == commitFailure && e instanceof CommitOutcomeUnknownException)) {
                Statements.rollbackQuietly(c, e);
            }
            if (!(e instanceof RuntimeException)) {
                // an Error, or a checked exception the work smuggled out: no retry, cleaned up all the same
                finish(run, c, scope, e);
                ended(ctx, false, start, attempt);
                throw Connections.sneakyThrow(e);
            }
            failure = (RuntimeException) e;
        }
        if (failure != null && probe != null && failure == commitFailure
                && failure instanceof CommitOutcomeUnknownException) {
            return resolveLostCommit(run, c, scope, probe, (CommitOutcomeUnknownException) failure, result, start,
                    attempt);
        }
        if (failure != null) {
            if (failure instanceof ConcurrencyException && ((ConcurrencyException) failure).isTransient()) {
                notifyConflict(ctx, (ConcurrencyException) failure);
            }
            finish(run, c, scope, failure);
            ended(ctx, false, start, attempt);
            throw failure;
        }
        run.completionFailure = finish(run, c, scope, null);
        run.result = result;
        ended(ctx, true, start, attempt);
        return run;
    }

    /**
     * Verified commits: after the connection was lost during {@code COMMIT}, gives the broken
     * connection back (evicted) and learns the outcome from the database on new connections.
     * Committed: the work's result (completion actions that failed on the dead connection are
     * dropped with it). Rolled back: a transient {@link ConnectionFailureException}, which the
     * retry policy may retry. Still unknown after the bounded wait: the original
     * {@link CommitOutcomeUnknownException}.
     */
    private static <W, T> Run<W, T> resolveLostCommit(Run<W, T> run, Connection c, @Nullable TransactionScope scope,
                                                      TransactionOutcome.Probe probe,
                                                      CommitOutcomeUnknownException lost, @Nullable T result,
                                                      long start, int attempt) {
        JdbcContext ctx = run.ctx;
        finish(run, c, scope, lost);
        TransactionOutcome.Status status = TransactionOutcome.resolve(ctx,
                Objects.requireNonNull(run.settings.verification(), "verification"), probe, lost);
        boolean committed = status == TransactionOutcome.Status.COMMITTED;
        ended(ctx, committed, start, attempt);
        if (committed) {
            run.result = result;
            run.completionFailure = null;
            return run;
        }
        if (status == TransactionOutcome.Status.ABORTED) {
            ConnectionFailureException aborted = new ConnectionFailureException("connection failed during COMMIT, "
                    + "and the database reports that the transaction was rolled back: nothing of it was kept",
                    lost.getCause(), lost.sqlState(), lost.vendorCode());
            notifyConflict(ctx, aborted);
            throw aborted;
        }
        throw lost;
    }

    /** Tells the listener about a conflict, with the table and key when the failure names them. */
    private static void notifyConflict(JdbcContext ctx, ConcurrencyException failure) {
        if (failure instanceof StaleVersionException) {
            StaleVersionException stale = (StaleVersionException) failure;
            ctx.listener().onConflict(stale.table(), stale.key(), failure);
        } else if (failure instanceof LockNotAvailableException) {
            LockNotAvailableException lock = (LockNotAvailableException) failure;
            ctx.listener().onConflict(lock.table(), lock.keys().size() == 1 ? lock.keys().get(0) : null, failure);
        } else {
            ctx.listener().onConflict(null, null, failure);
        }
    }

    /**
     * Refuses to commit a transaction that cannot commit: an operation inside it failed in a way
     * that aborted it (the work caught the failure and returned normally), or PostgreSQL reports
     * it failed (a statement of the work's own failed and was caught). Committing would silently
     * roll back while the runner reported success.
     */
    private static void refuseAborted(JdbcContext ctx, TransactionScope scope, Connection c) {
        Throwable cause = scope.rollbackCause();
        if (cause instanceof RuntimeException) {
            throw (RuntimeException) cause;
        }
        if (cause != null) {
            throw new IllegalStateException("the transaction was marked rollback-only by a failure inside it", cause);
        }
        if (ctx.dialect().product() == DatabaseProduct.POSTGRESQL && Connections.postgresTransactionFailed(c)) {
            throw new IllegalStateException("PostgreSQL aborted this transaction: a statement inside it failed and "
                    + "the work caught the failure and returned normally; the transaction was rolled back, not "
                    + "committed (let the failure propagate, or use a savepoint around a statement you expect to fail)");
        }
    }

    /**
     * Ends an attempt after its commit or rollback: closes the scope, restores the connection's
     * settings, runs the completion actions (so they see the connection in auto-commit mode when
     * it could be restored), and gives the connection back. A failure is added to the primary
     * failure when there is one; otherwise the first failure is returned.
     */
    private static @Nullable Throwable finish(Run<?, ?> run, Connection c, @Nullable TransactionScope scope,
                                              @Nullable Throwable primary) {
        Throwable first = null;
        if (scope != null) {
            scope.close();
        }
        if (primary != null && Connections.isBroken(primary)) {
            Connections.evict(run.ctx.dataSource(), c);
        }
        try {
            if (!c.isClosed()) {
                if (run.readOnlyChanged) {
                    c.setReadOnly(!run.settings.readOnly());
                }
                if (run.previousIsolation != DEFAULT_ISOLATION) {
                    c.setTransactionIsolation(run.previousIsolation);
                }
                if (run.autoCommitChanged) {
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException | RuntimeException e) {
            first = e;
        }
        if (scope != null) {
            Exception actions = scope.runCompletionActions();
            if (actions != null) {
                first = collect(first, actions);
            }
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            first = collect(first, e);
        }
        if (primary != null && first != null) {
            primary.addSuppressed(first);
            return null;
        }
        return first;
    }

    private static Throwable collect(@Nullable Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}

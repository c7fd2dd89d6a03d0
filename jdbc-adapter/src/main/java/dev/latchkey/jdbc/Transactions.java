package dev.latchkey.jdbc;

import dev.latchkey.jdbc.error.JdbcException;
import java.sql.Connection;
import java.time.Duration;
import java.util.Objects;


import dev.latchkey.ConcurrencyListener;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.OwnConnection;
import dev.latchkey.jdbc.internal.Transaction;
import dev.latchkey.jdbc.internal.TransactionMarkers;
import dev.latchkey.jdbc.internal.TransactionOutcome;
import dev.latchkey.jdbc.sql.SqlWork;
import dev.latchkey.jdbc.sql.TransactionRunner;
import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

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
 *       thrown. With {@link #withVerifiedCommit(boolean) verified commits} the runner first asks the
 *       database on a new connection: committed returns the result, rolled back is retried like
 *       any transient failure, and only an outcome still unknown after a bounded wait throws.</li>
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
    /** How long a runner with verified commits waits by default for the outcome of a lost {@code COMMIT}: 10 seconds. */
    public static final Duration DEFAULT_OUTCOME_WAIT = TransactionOutcome.DEFAULT_WAIT;

    /** The commit-marker table of verified commits by default, as the shipped DDL names it. */
    public static final String DEFAULT_COMMIT_MARKER_TABLE = TransactionMarkers.DEFAULT_TABLE;

    private final JdbcContext ctx;
    private final Isolation isolation;
    private final boolean readOnly;
    private final RetryPolicy retryPolicy;
    private final boolean requiresNew;
    private final TransactionOutcome.@Nullable Verification verification;
    /** The settings every {@link #run(SqlWork)} passes on, made once rather than per call. */
    private final Transaction.Settings settings;

    Transactions(@NotNull JdbcContext ctx, @NotNull Isolation isolation, boolean readOnly,
                 @NotNull RetryPolicy retryPolicy) {
        this(ctx, isolation, readOnly, retryPolicy, false, null);
    }

    private Transactions(@NotNull JdbcContext ctx, @NotNull Isolation isolation, boolean readOnly,
                         @NotNull RetryPolicy retryPolicy, boolean requiresNew,
                         TransactionOutcome.@Nullable Verification verification) {
        this.requiresNew = requiresNew;
        this.verification = verification;
        this.ctx = ctx;
        this.isolation = isolation;
        this.readOnly = readOnly;
        this.retryPolicy = retryPolicy;
        this.settings = new Transaction.Settings(isolation.jdbcLevel(), readOnly, retryPolicy, requiresNew,
                verification);
    }

    /**
     * A runner with the given isolation level.
     *
     * @param isolation the level; {@link Isolation#DEFAULT} keeps the connection's
     * @return a new runner
     */
    public @NotNull Transactions withIsolation(@NotNull Isolation isolation) {
        return new Transactions(ctx, Objects.requireNonNull(isolation, "isolation"),
                readOnly, retryPolicy, requiresNew, verification);
    }

    /**
     * A runner whose transactions are read-only (or not).
     *
     * @param readOnly whether to call {@link Connection#setReadOnly(boolean)} with {@code true}
     * @return a new runner
     */
    public @NotNull Transactions withReadOnly(boolean readOnly) {
        return new Transactions(ctx, isolation, readOnly, retryPolicy, requiresNew, verification);
    }

    /**
     * A runner with the given retry policy.
     *
     * @param retryPolicy the policy; {@link RetryPolicy#none()} for a single attempt
     * @return a new runner
     */
    public @NotNull Transactions withRetry(@NotNull RetryPolicy retryPolicy) {
        return new Transactions(ctx, isolation, readOnly,
                Objects.requireNonNull(retryPolicy, "retryPolicy"), requiresNew, verification);
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
        return new Transactions(ctx, isolation, readOnly, retryPolicy, requiresNew, verification);
    }

    /**
     * A runner with verified commits ({@code true}) or plain ones ({@code false}, the default).
     * Verified commits wait at most {@link #DEFAULT_OUTCOME_WAIT} for an outcome and use the marker
     * table {@value #DEFAULT_COMMIT_MARKER_TABLE} (MariaDB, MySQL, H2); see
     * {@link #withVerifiedCommit(Duration, String)} for what they do and cost.
     *
     * @param verified whether to verify commits
     * @return a new runner
     */
    public @NotNull Transactions withVerifiedCommit(boolean verified) {
        return verified ? withVerifiedCommit(DEFAULT_OUTCOME_WAIT, DEFAULT_COMMIT_MARKER_TABLE)
                : new Transactions(ctx, isolation, readOnly, retryPolicy, requiresNew, null);
    }

    /**
     * A runner with verified commits: when the connection is lost while {@code COMMIT} is in
     * flight, the runner learns from the database whether the transaction committed instead of
     * leaving the caller in doubt. It gives the broken connection back, then checks on a new
     * connection from the data source; while the database says the lost transaction is still in
     * progress (its session has not yet noticed the disconnect, or a {@code COMMIT} is still being
     * processed) or cannot be reached, it checks again with pauses growing from 20 ms to 500 ms,
     * for at most {@code maxWait} by the runner's clock (plus the time the data source takes to
     * hand out or refuse a connection, and up to one second per marker check). Then:
     * <ul>
     *   <li>committed: {@code run} returns the work's result, as after an acknowledged commit;</li>
     *   <li>rolled back: the attempt failed with a transient
     *       {@link dev.latchkey.ConnectionFailureException} (cause: the driver's exception), and
     *       the retry policy re-runs the work on a fresh connection when it allows; otherwise that
     *       exception (or {@link dev.latchkey.RetriesExhaustedException} around it) is thrown;</li>
     *   <li>still unknown when the wait ends, or the thread is interrupted (the interrupt flag stays
     *       set): {@link dev.latchkey.CommitOutcomeUnknownException}, never retried, the failed
     *       checks attached as suppressed exceptions.</li>
     * </ul>
     *
     * <p>How, and the cost per committed transaction (the work's own statements aside):
     * <ul>
     *   <li>PostgreSQL: one query, {@code SELECT pg_current_xact_id_if_assigned()}, before
     *       {@code COMMIT}, so one extra round trip (the id cannot ride with {@code COMMIT}: a reply
     *       lost with the {@code COMMIT} would be lost with it); none for a read-only runner. A
     *       transaction that wrote nothing has no id and nothing to lose: its lost commit returns
     *       the result. The check is one {@code pg_xact_status(xid)} query. No table.</li>
     *   <li>MariaDB, MySQL and H2: one {@code INSERT} of a marker row with a random id into the
     *       marker table, in the transaction, just before {@code COMMIT}: one extra round trip and
     *       one row (plus its index entries) written per transaction, read-only runners included
     *       (MariaDB Connector/J and H2 only record the read-only flag, so the work may write). The check inserts the same id on a new
     *       connection and rolls back: accepted means the lost transaction rolled back; a duplicate
     *       key that a read confirms means it committed; a wait on its row lock means it is still
     *       open. Create the table once with {@link #createCommitMarkerTableIfNotExists()} (or run
     *       the shipped {@code dev/latchkey/jdbc/internal/commit-marker-*.sql}), and delete old rows
     *       with {@link #purgeCommitMarkers(Duration, int)}.</li>
     * </ul>
     * The plain mode costs nothing and throws {@link dev.latchkey.CommitOutcomeUnknownException}
     * at once. Verification relies on the same server answering after the failure: after a
     * failover to a replica that had not received the commit, the answer is the replica's.
     *
     * @param maxWait how long to keep checking an outcome that is still in progress, {@code >= 0}
     * @param markerTable the marker table, {@code name} or {@code schema.name} (unused on PostgreSQL)
     * @return a new runner
     * @throws IllegalArgumentException if {@code maxWait} is negative or the table name invalid
     */
    public @NotNull Transactions withVerifiedCommit(@NotNull Duration maxWait, @NotNull String markerTable) {
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(markerTable, "markerTable");
        return new Transactions(ctx, isolation, readOnly, retryPolicy, requiresNew,
                new TransactionOutcome.Verification(maxWait, new TransactionMarkers(ctx.dialect(), markerTable)));
    }

    /**
     * Returns whether this runner verifies commits (see {@link #withVerifiedCommit(Duration, String)}).
     *
     * @return whether this runner verifies commits
     */
    public boolean verifiedCommit() {
        return verification != null;
    }

    /**
     * Creates the commit-marker table of verified commits when it does not exist: this runner's
     * table, or {@value #DEFAULT_COMMIT_MARKER_TABLE} for a runner with plain commits. Runs the
     * shipped DDL (one {@code CREATE TABLE IF NOT EXISTS} and, on H2, one
     * {@code CREATE INDEX IF NOT EXISTS}) on a connection of its own; does nothing on PostgreSQL,
     * which needs no table.
     *
     * @throws dev.latchkey.jdbc.error.JdbcException if the DDL fails
     */
    public void createCommitMarkerTableIfNotExists() {
        TransactionMarkers markers = markers();
        OwnConnection.call(ctx.dataSource(), ctx.errors(), c -> {
            markers.createTableIfNotExists(c);
            return null;
        });
    }

    /**
     * Deletes up to {@code limit} commit markers older than {@code olderThan}, by the database's
     * clock, in one {@code DELETE} on a connection of its own; nothing on PostgreSQL. A marker is
     * needed only until the outcome check of its transaction is over (at most the outcome wait
     * after its {@code COMMIT}), so {@code olderThan} must be at least one hour: a marker deleted
     * while a check may still look for it would make a committed transaction look rolled back.
     * Call it again while it returns {@code limit}.
     *
     * @param olderThan the age of the markers to delete, at least one hour
     * @param limit the most markers to delete, {@code >= 1}
     * @return the number of markers deleted
     * @throws IllegalArgumentException if {@code olderThan} is under one hour or {@code limit < 1}
     * @throws dev.latchkey.jdbc.error.JdbcException if the delete fails (e.g. no such table)
     */
    public int purgeCommitMarkers(@NotNull Duration olderThan, int limit) {
        Objects.requireNonNull(olderThan, "olderThan");
        if (olderThan.compareTo(TransactionMarkers.MIN_PURGE_AGE) < 0) {
            throw new IllegalArgumentException("olderThan must be >= " + TransactionMarkers.MIN_PURGE_AGE
                    + " (a marker may be needed until its transaction's outcome is checked): olderThan=" + olderThan);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1: limit=" + limit);
        }
        TransactionMarkers markers = markers();
        return OwnConnection.call(ctx.dataSource(), ctx.errors(), c -> markers.purge(c, olderThan, limit));
    }

    private TransactionMarkers markers() {
        return verification != null ? verification.markers()
                : new TransactionMarkers(ctx.dialect(), DEFAULT_COMMIT_MARKER_TABLE);
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
     *         COMMIT (with verified commits: and the database could not tell the outcome within the
     *         wait); never retried, whatever the policy
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
        return Transaction.run(ctx, settings, work, SqlWork::apply);
    }
}

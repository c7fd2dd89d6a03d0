package dev.latchkey.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

import javax.sql.DataSource;

import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.ConcurrencyException;
import dev.latchkey.ConcurrencyListener;
import dev.latchkey.jdbc.internal.TransactionScope;
import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Runs units of work in their own transactions, re-running the whole unit when it fails
 * transiently (deadlock, serialization failure, lock not available, connection lost before
 * commit).
 *
 * <p>Each attempt takes a connection from the {@link DataSource}, switches it to manual commit
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
public final class Transactions {
    private static final System.Logger LOG = System.getLogger(Transactions.class.getName());

    private final DataSource dataSource;
    private final SqlErrorTranslator errors;
    private final ConcurrencyListener listener;
    private final Isolation isolation;
    private final boolean readOnly;
    private final RetryPolicy retryPolicy;

    Transactions(@NotNull DataSource dataSource, @NotNull SqlErrorTranslator errors,
                 @NotNull ConcurrencyListener listener, @NotNull Isolation isolation, boolean readOnly,
                 @NotNull RetryPolicy retryPolicy) {
        this.dataSource = dataSource;
        this.errors = errors;
        this.listener = listener;
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
        return new Transactions(dataSource, errors, listener, Objects.requireNonNull(isolation, "isolation"),
                readOnly, retryPolicy);
    }

    /**
     * A runner whose transactions are read-only (or not).
     *
     * @param readOnly whether to call {@link Connection#setReadOnly(boolean)} with {@code true}
     * @return a new runner
     */
    public @NotNull Transactions withReadOnly(boolean readOnly) {
        return new Transactions(dataSource, errors, listener, isolation, readOnly, retryPolicy);
    }

    /**
     * A runner with the given retry policy.
     *
     * @param retryPolicy the policy; {@link RetryPolicy#none()} for a single attempt
     * @return a new runner
     */
    public @NotNull Transactions withRetry(@NotNull RetryPolicy retryPolicy) {
        return new Transactions(dataSource, errors, listener, isolation, readOnly,
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
     * @see #run(SqlFunction)
     */
    public <T> T run(@NotNull Isolation isolation, @NotNull SqlFunction<T> work) {
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
     * @throws ConcurrencyException a non-retried concurrency failure (e.g. a duplicate key)
     * @throws JdbcException any other database error, translated
     * @throws IllegalStateException when called inside a transaction this thread already holds
     *         on the same data source, when the data source hands out a connection with
     *         auto-commit off, or when the transaction committed but an action registered to
     *         run on completion failed (the cause); never retried
     * @throws RuntimeException whatever the work threw, after rolling back
     */
    public <T> T run(@NotNull SqlFunction<T> work) {
        Objects.requireNonNull(work, "work");
        if (TransactionScope.isActive(dataSource)) {
            throw new IllegalStateException("already inside a Latchkey transaction on this data source on "
                    + "this thread; nested transactions are not supported: use the Connection passed to "
                    + "the outer unit of work");
        }
        Committed<T> committed = retryPolicy.execute(attempt -> runOnce(work), listener);
        if (committed.completionFailure != null) {
            throw new IllegalStateException("the transaction committed, but an action registered to run on its "
                    + "completion failed: " + committed.completionFailure, committed.completionFailure);
        }
        return committed.result;
    }

    /** What a committed attempt produced; a completion failure here must not cause a retry. */
    private static final class Committed<T> {
        final T result;
        final @Nullable Throwable completionFailure;

        Committed(T result, @Nullable Throwable completionFailure) {
            this.result = result;
            this.completionFailure = completionFailure;
        }
    }

    private <T> Committed<T> runOnce(SqlFunction<T> work) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw errors.translate(e);
        }
        try {
            if (!c.getAutoCommit()) {
                throw new IllegalStateException("the connection from the data source has auto-commit off, so "
                        + "another transaction may be open on it; Latchkey refuses to start a transaction "
                        + "inside one it does not own (configure the pool with auto-commit on)");
            }
        } catch (SQLException | RuntimeException e) {
            // not ours: neither roll back nor reconfigure it, only give it back
            RuntimeException failure = e instanceof SQLException ? errors.translate((SQLException) e)
                    : (RuntimeException) e;
            closeQuietly(c, failure);
            throw failure;
        }
        Settings settings = new Settings();
        TransactionScope scope = null;
        T result = null;
        RuntimeException failure = null;
        RuntimeException commitFailure = null;
        try {
            c.setAutoCommit(false);
            settings.autoCommitChanged = true;
            if (isolation != Isolation.DEFAULT) {
                int current = c.getTransactionIsolation();
                if (current != isolation.jdbcLevel()) {
                    c.setTransactionIsolation(isolation.jdbcLevel());
                    settings.previousIsolation = current;
                }
            }
            if (c.isReadOnly() != readOnly) {
                c.setReadOnly(readOnly);
                settings.readOnlyChanged = true;
            }
            scope = TransactionScope.open(dataSource, c);
            try {
                result = work.apply(c);
            } catch (SQLException e) {
                throw errors.translate(e);
            }
            try {
                c.commit();
            } catch (SQLException e) {
                commitFailure = errors.translate(e, true);
                throw commitFailure;
            }
        } catch (SQLException e) {
            failure = errors.translate(e);
            rollbackQuietly(c, failure);
        } catch (RuntimeException | Error e) {
            // only our own COMMIT's lost connection leaves nothing to roll back; an unknown outcome
            // the work threw (from another connection) must not leave this transaction open, or
            // restoring auto-commit below would commit it
            if (!(e == commitFailure && e instanceof CommitOutcomeUnknownException)) {
                rollbackQuietly(c, e);
            }
            if (e instanceof Error) {
                finish(c, scope, settings, e);
                throw (Error) e;
            }
            failure = (RuntimeException) e;
        }
        if (failure != null) {
            if (failure instanceof ConcurrencyException && ((ConcurrencyException) failure).isTransient()) {
                notifyConflict((ConcurrencyException) failure);
            }
            finish(c, scope, settings, failure);
            throw failure;
        }
        return new Committed<>(result, finish(c, scope, settings, null));
    }

    /** What {@link #runOnce} changed on the connection and must put back. */
    private static final class Settings {
        boolean autoCommitChanged;
        int previousIsolation = -1;
        boolean readOnlyChanged;
    }

    private void notifyConflict(ConcurrencyException e) {
        try {
            listener.onConflict(null, null, e);
        } catch (RuntimeException listenerFailure) {
            LOG.log(System.Logger.Level.WARNING, "concurrency listener threw; ignored", listenerFailure);
        }
    }

    private static void rollbackQuietly(Connection c, Throwable primary) {
        try {
            if (!c.isClosed() && !c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    /**
     * Ends an attempt after its commit or rollback: closes the scope, restores the connection's
     * settings, runs the completion actions (so they see the connection in auto-commit mode when
     * it could be restored), and gives the connection back. A failure is added to the primary
     * failure when there is one; otherwise the first failure is returned.
     */
    private @Nullable Throwable finish(Connection c, @Nullable TransactionScope scope, Settings settings,
                                       @Nullable Throwable primary) {
        Throwable first = null;
        if (scope != null) {
            scope.close();
        }
        try {
            if (!c.isClosed()) {
                if (settings.readOnlyChanged) {
                    c.setReadOnly(!readOnly);
                }
                if (settings.previousIsolation != -1) {
                    c.setTransactionIsolation(settings.previousIsolation);
                }
                if (settings.autoCommitChanged) {
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
        Throwable closeFailure = closeQuietly(c, null);
        if (closeFailure != null) {
            first = collect(first, closeFailure);
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

    /** Closes the connection; its failure is suppressed on the primary failure or returned. */
    private static @Nullable Throwable closeQuietly(Connection c, @Nullable Throwable primary) {
        try {
            c.close();
            return null;
        } catch (SQLException | RuntimeException e) {
            if (primary != null) {
                primary.addSuppressed(e);
                return null;
            }
            return e;
        }
    }
}

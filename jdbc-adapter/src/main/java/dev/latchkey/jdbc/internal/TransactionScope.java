package dev.latchkey.jdbc.internal;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A transaction this thread runs on a data source that Latchkey knows of: one its runner opened,
 * or a connection the user bound ({@code latchkey.bind(connection)}). Operations on the same data
 * source join it; helpers register work that must happen when it ends (releasing a MariaDB
 * {@code GET_LOCK} so it never leaks into a pooled connection); a failure that aborted it marks it
 * rollback-only so it is never reported as committed.
 *
 * <p>Thread-confined: opened, used and closed on the thread that runs the transaction. Scopes
 * nest (a separate transaction inside another one): the innermost scope of a data source wins.
 */
public final class TransactionScope implements JoinedTransaction {
    private static final ThreadLocal<TransactionScope> CURRENT = new ThreadLocal<>();

    private final Object owner;
    private final Connection connection;
    private final boolean bound;
    private final @Nullable TransactionScope outer;
    private final Thread thread = Thread.currentThread();
    /** Made on the first registration: most transactions register none. */
    private @Nullable List<CompletionAction> onCompletion;
    private @Nullable Throwable rollbackCause;

    private TransactionScope(Object owner, Connection connection, boolean bound, @Nullable TransactionScope outer) {
        this.owner = owner;
        this.connection = connection;
        this.bound = bound;
        this.outer = outer;
    }

    /**
     * Opens a scope for a transaction Latchkey's runner opened on this thread.
     *
     * @param owner the data source (its key) the transaction belongs to
     * @param connection the transaction's connection
     * @return the scope; close it with {@link #close()} on the same thread
     */
    public static @NotNull TransactionScope open(@NotNull Object owner, @NotNull Connection connection) {
        return push(owner, connection, false);
    }

    /**
     * Opens a scope for a connection the user manages (commits, rolls back, closes) and binds so
     * that Latchkey's operations on the data source join it.
     *
     * @param owner the data source (its key)
     * @param connection the user's connection
     * @return the scope; close it with {@link #close()} on the same thread
     */
    public static @NotNull TransactionScope bind(@NotNull Object owner, @NotNull Connection connection) {
        return push(owner, connection, true);
    }

    private static TransactionScope push(Object owner, Connection connection, boolean bound) {
        TransactionScope scope = new TransactionScope(owner, connection, bound, CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /**
     * The innermost scope of a data source on this thread.
     *
     * @param owner the data source (its key)
     * @return the scope, or {@code null} when this thread runs no transaction on it known to Latchkey
     */
    public static @Nullable TransactionScope current(@NotNull Object owner) {
        for (TransactionScope s = CURRENT.get(); s != null; s = s.outer) {
            if (s.owner == owner) {
                return s;
            }
        }
        return null;
    }

    /**
     * Whether this thread is already inside a transaction of the given owner.
     *
     * @param owner the data source (its key)
     * @return {@code true} when a scope of that owner is open on this thread
     */
    public static boolean isActive(@NotNull Object owner) {
        return current(owner) != null;
    }

    /**
     * The scope whose transaction runs on the given connection, on this thread.
     *
     * @param connection a connection
     * @return the scope, or {@code null} when the connection is not in a scope
     */
    public static @Nullable TransactionScope of(@NotNull Connection connection) {
        for (TransactionScope s = CURRENT.get(); s != null; s = s.outer) {
            if (s.connection == connection) {
                return s;
            }
        }
        return null;
    }

    @Override
    public @NotNull Connection connection() {
        return connection;
    }

    /**
     * Returns whether the user bound this connection (Latchkey neither commits nor closes it).
     *
     * @return whether the user bound this connection (Latchkey neither commits nor closes it)
     */
    public boolean bound() {
        return bound;
    }

    /**
     * Registers an action to run after the transaction commits or rolls back, before the
     * connection goes back to its pool (for a bound connection: when the binding is closed).
     * Actions run in reverse order of registration.
     *
     * @param action the action
     */
    @Override
    public void onCompletion(@NotNull CompletionAction action) {
        if (onCompletion == null) {
            onCompletion = new ArrayList<>(2);
        }
        onCompletion.add(action);
    }

    @Override
    public void setRollbackOnly(@NotNull Throwable cause) {
        if (rollbackCause == null) {
            rollbackCause = cause;
        }
    }

    /**
     * Returns the first failure that made the transaction rollback-only, or {@code null}.
     *
     * @return the first failure that made the transaction rollback-only, or {@code null}
     */
    public @Nullable Throwable rollbackCause() {
        return rollbackCause;
    }

    /**
     * Runs the completion actions; failures are collected as suppressed exceptions of the
     * returned throwable.
     *
     * @return the first failure, with later ones suppressed, or {@code null} when all succeeded
     */
    public @Nullable Exception runCompletionActions() {
        List<CompletionAction> onCompletion = this.onCompletion;
        if (onCompletion == null) {
            return null;
        }
        Exception failure = null;
        for (int i = onCompletion.size() - 1; i >= 0; i--) {
            try {
                onCompletion.get(i).run(connection);
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        onCompletion.clear();
        return failure;
    }

    /**
     * Closes the scope, restoring the enclosing one. Closing a scope that is not the innermost
     * (a caller forgot to close an inner one) closes the inner ones too.
     *
     * @throws IllegalStateException when called on another thread than the one that opened it
     */
    public void close() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("a transaction scope (a binding) must be closed on the thread that "
                    + "opened it, " + thread.getName() + "; closing it on " + Thread.currentThread().getName()
                    + " would leave that thread joined to a finished transaction");
        }
        TransactionScope top = CURRENT.get();
        while (top != null && top != this) {
            top = top.outer;
        }
        if (top == null) {
            return; // already closed
        }
        // set, never remove: the thread's entry stays, so the next scope's set allocates no new entry
        // (the value is null: nothing is retained; the ThreadLocal is a static, never collected)
        CURRENT.set(outer);
    }

    /** Work run when a transaction ends. */
    @FunctionalInterface
    public interface CompletionAction {
        /**
         * Runs the action.
         *
         * @param connection the transaction's connection, after its commit or rollback, with
         *        the runner's settings undone (back in auto-commit mode) unless restoring them
         *        failed because the connection broke
         * @throws Exception on failure; reported, never hides the transaction's own outcome
         */
        void run(@NotNull Connection connection) throws Exception;
    }
}

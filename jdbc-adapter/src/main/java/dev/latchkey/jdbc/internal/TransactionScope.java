package dev.latchkey.jdbc.internal;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The transaction the current thread is running through {@code Transactions}, so that helpers
 * can register work that must happen when it ends (releasing a MariaDB {@code GET_LOCK} session
 * lock so it never leaks into a pooled connection) and so that nesting is detected.
 *
 * <p>Thread-confined: created, used and closed on the thread that runs the transaction.
 */
public final class TransactionScope {
    private static final ThreadLocal<TransactionScope> CURRENT = new ThreadLocal<>();

    private final Object owner;
    private final Connection connection;
    private final @Nullable TransactionScope outer;
    private final List<CompletionAction> onCompletion = new ArrayList<>(0);

    private TransactionScope(Object owner, Connection connection, @Nullable TransactionScope outer) {
        this.owner = owner;
        this.connection = connection;
        this.outer = outer;
    }

    /**
     * Opens a scope for a transaction on this thread.
     *
     * @param owner the data source (or other owner) the transaction belongs to
     * @param connection the transaction's connection
     * @return the scope; close it with {@link #close()} on the same thread
     */
    public static @NotNull TransactionScope open(@NotNull Object owner, @NotNull Connection connection) {
        TransactionScope scope = new TransactionScope(owner, connection, CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /**
     * Whether this thread is already inside a transaction of the given owner.
     *
     * @param owner the data source
     * @return {@code true} when a scope of that owner is open on this thread
     */
    public static boolean isActive(@NotNull Object owner) {
        for (TransactionScope s = CURRENT.get(); s != null; s = s.outer) {
            if (s.owner == owner) {
                return true;
            }
        }
        return false;
    }

    /**
     * The scope whose transaction runs on the given connection, on this thread.
     *
     * @param connection a connection
     * @return the scope, or {@code null} when the connection is not in a Latchkey transaction
     */
    public static @Nullable TransactionScope of(@NotNull Connection connection) {
        for (TransactionScope s = CURRENT.get(); s != null; s = s.outer) {
            if (s.connection == connection) {
                return s;
            }
        }
        return null;
    }

    /**
     * Registers an action to run after the transaction commits or rolls back, before the
     * connection goes back to its pool. Actions run in reverse order of registration.
     *
     * @param action the action
     */
    public void onCompletion(@NotNull CompletionAction action) {
        onCompletion.add(action);
    }

    /**
     * Runs the completion actions; failures are collected as suppressed exceptions of the
     * returned throwable.
     *
     * @return the first failure, with later ones suppressed, or {@code null} when all succeeded
     */
    public @Nullable Exception runCompletionActions() {
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

    /** Closes the scope, restoring the enclosing one. */
    public void close() {
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
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

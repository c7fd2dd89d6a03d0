package dev.latchkey.jdbc.internal;

import java.sql.Connection;

import org.jetbrains.annotations.NotNull;

/**
 * A transaction some code on this thread already runs, which a Latchkey operation joins instead
 * of taking a connection of its own: Latchkey's own runner's, a connection the user bound, or a
 * framework's (Spring). Thread-confined.
 */
public interface JoinedTransaction {
    /**
     * Returns the transaction's connection; not to be committed, rolled back or closed.
     *
     * @return the transaction's connection; not to be committed, rolled back or closed
     */
    @NotNull Connection connection();

    /**
     * Registers an action to run after the transaction commits or rolls back, before its
     * connection goes back to its pool (e.g. releasing a MariaDB {@code GET_LOCK}).
     *
     * @param action the action
     */
    void onCompletion(@NotNull TransactionScope.CompletionAction action);

    /**
     * Marks the transaction rollback-only: an operation inside it failed in a way the database
     * may already have undone, so it must not be reported as committed.
     *
     * @param cause the failure
     */
    void setRollbackOnly(@NotNull Throwable cause);
}

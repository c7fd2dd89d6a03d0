package dev.latchkey.jdbc;

import java.util.Objects;

import dev.latchkey.jdbc.internal.TransactionScope;
import org.jetbrains.annotations.NotNull;

/**
 * A connection of yours that Latchkey's operations on the same data source join until you close
 * this binding: obtained from {@link Latchkey#bind(java.sql.Connection)}, for transactions Latchkey
 * does not run (a connection from jOOQ, JPA's {@code Session.doWork}, hand-managed JDBC).
 *
 * <pre>{@code
 * try (BoundConnection bound = latchkey.bind(connection)) {   // connection.getAutoCommit() == false
 *     latchkey.update("product").set("stock", col("stock").minus(1)).whereId(7).execute();   // joins
 *     latchkey.transactions().run(tx -> ...);                                                 // joins
 * }                                                                                            // you commit
 * connection.commit();
 * }</pre>
 *
 * <p>You commit, roll back and close the connection; Latchkey never does. Actions Latchkey
 * registers on the transaction (releasing a MariaDB {@code GET_LOCK}) run when the binding is
 * closed, so close it after your commit or rollback. A failure inside that aborted the
 * transaction is remembered: {@link #rollbackCause()}. Thread-confined: bind, use and close on
 * one thread.
 */
public final class BoundConnection implements AutoCloseable {
    private final TransactionScope scope;

    BoundConnection(@NotNull TransactionScope scope) {
        this.scope = Objects.requireNonNull(scope);
    }

    /**
     * The first failure of a Latchkey operation inside the transaction that aborted it (a
     * deadlock; on PostgreSQL any failed statement): the transaction can no longer commit.
     *
     * @return the failure, or {@code null} when none
     */
    public @org.jetbrains.annotations.Nullable Throwable rollbackCause() {
        return scope.rollbackCause();
    }

    /**
     * Unbinds the connection and runs the completion actions Latchkey registered (e.g. releasing
     * MariaDB advisory locks taken inside).
     *
     * @throws IllegalStateException if a completion action failed (the cause), or when called on
     *         another thread than the one that bound the connection (the binding stays open)
     */
    @Override
    public void close() {
        scope.close();
        Exception failure = scope.runCompletionActions();
        if (failure != null) {
            throw new IllegalStateException("an action registered on the bound transaction failed: " + failure, failure);
        }
    }
}

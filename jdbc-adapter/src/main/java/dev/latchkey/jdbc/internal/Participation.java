package dev.latchkey.jdbc.internal;

import java.sql.Connection;
import java.util.Objects;
import java.util.function.Function;

import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.ConcurrencyException;
import dev.latchkey.ConnectionFailureException;
import dev.latchkey.DeadlockException;
import dev.latchkey.SerializationFailureException;
import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.error.JdbcException;
import dev.latchkey.jdbc.sql.ExternalTransactions;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * How an operation finds the transaction the calling thread already runs on its data source, and
 * joins it: Latchkey's own runner's or a bound connection ({@link TransactionScope}) first, then a
 * framework's ({@link ExternalTransactions}). Latchkey never takes a second connection from a
 * data source whose transaction the thread holds. Stateless.
 */
public final class Participation {
    private Participation() {
    }

    /**
     * The transaction this thread runs on the context's data source.
     *
     * @param ctx the context
     * @return the transaction to join, or {@code null} when there is none
     */
    public static @Nullable JoinedTransaction current(@NotNull JdbcContext ctx) {
        TransactionScope scope = TransactionScope.current(ctx.key());
        if (scope != null) {
            return scope;
        }
        Connection c = ctx.external().currentConnection(ctx.key());
        return c == null ? null : new External(ctx, c);
    }

    /**
     * The transaction a connection the caller passed belongs to, if Latchkey can tell.
     *
     * @param ctx the context
     * @param connection the caller's connection
     * @return the transaction, or {@code null} when the connection is in none Latchkey knows
     */
    public static @Nullable JoinedTransaction of(@NotNull JdbcContext ctx, @NotNull Connection connection) {
        TransactionScope scope = TransactionScope.of(connection);
        if (scope != null) {
            return scope;
        }
        Connection c = ctx.external().currentConnection(ctx.key());
        return c == connection ? new External(ctx, c) : null;
    }

    /**
     * Runs work inside a joined transaction: no commit, no rollback, no retry (only the outermost
     * boundary retries). A failure that the database may already have undone the transaction
     * for marks it rollback-only, then propagates.
     *
     * @param ctx the context
     * @param tx the joined transaction
     * @param work the work
     * @param <T> the result type
     * @return what the work returned
     */
    public static <T> T runJoined(@NotNull JdbcContext ctx, @NotNull JoinedTransaction tx,
                                  @NotNull Function<Session, T> work) {
        try {
            return work.apply(Session.on(tx.connection(), ctx.errors()));
        } catch (Throwable t) {
            markIfAborted(ctx, tx, t);
            throw t;
        }
    }

    /**
     * Marks a joined transaction rollback-only when a failure inside it means the database has
     * aborted it (PostgreSQL: any failed statement; every database: deadlock, serialization
     * failure, lost connection).
     *
     * @param ctx the context
     * @param tx the transaction
     * @param failure what failed
     */
    public static void markIfAborted(@NotNull JdbcContext ctx, @NotNull JoinedTransaction tx,
                                     @NotNull Throwable failure) {
        if (abortsTransaction(ctx.dialect().product(), failure)) {
            tx.setRollbackOnly(failure);
        }
    }

    /**
     * Whether a failure inside a transaction leaves it aborted, so that it can no longer commit.
     *
     * @param product the database
     * @param failure the translated failure
     * @return {@code true} when the transaction must be rolled back
     */
    public static boolean abortsTransaction(@NotNull DatabaseProduct product, @NotNull Throwable failure) {
        if (failure instanceof DeadlockException || failure instanceof SerializationFailureException
                || failure instanceof ConnectionFailureException || failure instanceof CommitOutcomeUnknownException) {
            return true;
        }
        // on PostgreSQL every failed statement aborts the transaction; a failure that no statement
        // raised (a stale version, a key in use) leaves it usable
        return product == DatabaseProduct.POSTGRESQL && (failure instanceof JdbcException
                || failure instanceof ConcurrencyException && ((ConcurrencyException) failure).sqlState() != null);
    }

    /** A framework's transaction, seen through {@link ExternalTransactions}. */
    private static final class External implements JoinedTransaction {
        private final JdbcContext ctx;
        private final Connection connection;

        External(JdbcContext ctx, Connection connection) {
            this.ctx = ctx;
            this.connection = Objects.requireNonNull(connection);
        }

        @Override
        public @NotNull Connection connection() {
            return connection;
        }

        @Override
        public void onCompletion(@NotNull TransactionScope.CompletionAction action) {
            ctx.external().onCompletion(ctx.key(), () -> {
                try {
                    action.run(connection);
                } catch (Exception e) {
                    throw new IllegalStateException("a completion action of a joined transaction failed", e);
                }
            });
        }

        @Override
        public void setRollbackOnly(@NotNull Throwable cause) {
            ctx.external().setRollbackOnly(ctx.key());
        }
    }
}

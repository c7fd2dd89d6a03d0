package dev.latchkey.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Function;

import javax.sql.DataSource;

import dev.latchkey.jdbc.error.SqlErrorTranslator;
import org.jetbrains.annotations.NotNull;

/**
 * The operations the caller gives no connection for ({@code execute()}, the idempotency store's):
 * inside a transaction the thread already runs on the data source they join it (see
 * {@link Participation}); otherwise each attempt takes a connection of its own, runs in auto-commit
 * mode (or in one short transaction when the pool hands out manual-commit connections), and gives
 * it back. Stateless.
 */
public final class OwnConnection {
    private static final System.Logger LOG = System.getLogger(OwnConnection.class.getName());

    private OwnConnection() {
    }

    /**
     * Runs an operation that the caller gave no connection for. Inside a transaction this thread
     * runs on the data source, the operation joins it and makes one attempt (the transaction's
     * boundary retries). Otherwise it runs under the context's retry policy, each attempt on a
     * connection of its own: a deadlock or lock timeout there rolls back only the failed statement
     * (or the short transaction the work opened with {@link Session#inTransaction}), so re-running
     * is safe; a connection lost during a write is reported as
     * {@link dev.latchkey.CommitOutcomeUnknownException}, never retried.
     *
     * @param ctx the context
     * @param operation what runs, for messages (e.g. {@code "update of product"})
     * @param work the operation
     * @param <T> the result type
     * @return what the work returned
     */
    public static <T> T run(@NotNull JdbcContext ctx, @NotNull String operation, @NotNull Function<Session, T> work) {
        Objects.requireNonNull(operation, "operation");
        JoinedTransaction tx = Participation.current(ctx);
        if (tx != null) {
            return Participation.runJoined(ctx, tx, work);
        }
        return ctx.retryPolicy().execute(attempt -> once(ctx, work), ctx.listener());
    }

    /**
     * One attempt on a connection of its own (see {@link #call}).
     *
     * @param ctx the context
     * @param work the operation
     * @param <T> the result type
     * @return what the work returned
     */
    public static <T> T once(@NotNull JdbcContext ctx, @NotNull Function<Session, T> work) {
        return call(ctx.dataSource(), ctx.errors(), c -> work.apply(Session.on(c, ctx.errors(), ctx.dataSource())));
    }

    /**
     * Runs the work on a fresh connection and closes it. A connection the pool hands out with
     * auto-commit off is used as one short transaction: committed after the work, rolled back
     * when it fails. Whatever the work throws (checked exceptions included) leaves the connection
     * rolled back and closed; a broken connection is evicted from the pool rather than handed
     * back. A failure to close the connection after the work completed is logged, never thrown:
     * the outcome is known, and reporting it as a (retryable) connection failure would let a
     * retry policy run the work again.
     *
     * @param dataSource the data source
     * @param errors the translator of the data source's database
     * @param work the operation; its {@link SQLException} is translated
     * @param <T> the result type
     * @return what the work returned
     * @throws RuntimeException the translated failure of getting the connection or of the work, or
     *         whatever the work threw, unchanged
     */
    public static <T> T call(@NotNull DataSource dataSource, @NotNull SqlErrorTranslator errors,
                             @NotNull ConnectionWork<T> work) {
        Objects.requireNonNull(work, "work");
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw errors.translate(e);
        }
        T result;
        boolean manualCommit = false;
        boolean committing = false;
        try {
            manualCommit = !c.getAutoCommit();
            result = work.apply(c);
            if (manualCommit) {
                committing = true;
                c.commit();
            }
        } catch (Throwable t) {
            Throwable failure = t instanceof SQLException ? errors.translate((SQLException) t, committing) : t;
            if (manualCommit && !committing) {
                Statements.rollbackQuietly(c, failure);
            }
            release(dataSource, c, failure);
            throw Connections.sneakyThrow(failure);
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the connection after a completed operation failed; "
                    + "the operation's outcome stands", e);
        }
        return result;
    }

    /** Gives a connection back after a failure, evicting it from the pool when the failure broke it. */
    static void release(DataSource dataSource, Connection c, Throwable failure) {
        if (Connections.isBroken(failure)) {
            Connections.evict(dataSource, c);
        }
        Statements.closeQuietly(c, failure);
    }
}

package dev.latchkey.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Function;

import javax.sql.DataSource;

import dev.latchkey.jdbc.error.SqlErrorTranslator;
import org.jetbrains.annotations.NotNull;

/**
 * One operation on a connection of its own, taken from a data source in auto-commit mode and
 * given back after it, for the operations that take no connection from the caller (the update
 * builders' and the idempotency store's). Stateless.
 */
public final class OwnConnection {
    private static final System.Logger LOG = System.getLogger(OwnConnection.class.getName());

    private OwnConnection() {
    }

    /**
     * Runs an operation that the caller gave no connection for, under the context's retry
     * policy, each attempt on a connection of its own in auto-commit mode: a deadlock or lock
     * timeout there rolls back only the failed statement (or the short transaction the work
     * opened with {@link Session#inTransaction}), so re-running is safe; a connection lost during
     * a write is reported as {@link dev.latchkey.CommitOutcomeUnknownException}, never retried.
     *
     * @param ctx the context
     * @param operation what runs, for the refusal's message (e.g. {@code "execute()"})
     * @param work the operation
     * @param <T> the result type
     * @return what the work returned
     * @throws IllegalStateException inside a Latchkey transaction on the same data source (see
     *         {@link #refuseInsideTransaction})
     */
    public static <T> T run(@NotNull JdbcContext ctx, @NotNull String operation, @NotNull Function<Session, T> work) {
        refuseInsideTransaction(ctx, operation);
        return ctx.retryPolicy().execute(attempt -> once(ctx, work), ctx.listener());
    }

    /**
     * Refuses to run an operation on a connection of its own while this thread is inside a
     * Latchkey transaction on the same data source: it would silently run outside that
     * transaction, and could wait forever on a row lock the transaction holds.
     *
     * @param ctx the context
     * @param operation what would run
     * @throws IllegalStateException when inside such a transaction
     */
    public static void refuseInsideTransaction(@NotNull JdbcContext ctx, @NotNull String operation) {
        if (TransactionScope.isActive(ctx.dataSource())) {
            throw new IllegalStateException(operation + " without a connection runs on its own connection in "
                    + "auto-commit mode, but this thread is inside a Latchkey transaction on the same data source; "
                    + "pass the transaction's connection: execute(connection)");
        }
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
        return call(ctx.dataSource(), ctx.errors(), c -> work.apply(Session.on(c, ctx.errors())));
    }

    /**
     * Runs the work on a fresh connection and closes it. A failure to close the connection after
     * the work returned is logged, never thrown: the work's auto-commit writes have committed and
     * its outcome is known, so reporting it as a (retryable) connection failure would let a retry
     * policy run the work again.
     *
     * @param dataSource the data source
     * @param errors the translator of the data source's database
     * @param work the operation; its {@link SQLException} is translated
     * @param <T> the result type
     * @return what the work returned
     * @throws IllegalStateException if the data source hands out a connection with auto-commit off
     *         (another transaction may be open on it); the connection is given back untouched
     * @throws RuntimeException the translated failure of getting the connection or of the work, or
     *         whatever unchecked exception the work threw
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
        try {
            if (!c.getAutoCommit()) {
                throw new IllegalStateException("the connection from the data source has auto-commit off, so "
                        + "another transaction may be open on it; Latchkey runs this operation on a connection of "
                        + "its own in auto-commit mode: configure the pool with auto-commit on, or pass the "
                        + "connection of your transaction");
            }
            result = work.apply(c);
        } catch (SQLException e) {
            RuntimeException failure = errors.translate(e);
            Statements.closeQuietly(c, failure);
            throw failure;
        } catch (RuntimeException | Error e) {
            Statements.closeQuietly(c, e);
            throw e;
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the connection after a completed operation failed; "
                    + "the operation's outcome stands", e);
        }
        return result;
    }
}

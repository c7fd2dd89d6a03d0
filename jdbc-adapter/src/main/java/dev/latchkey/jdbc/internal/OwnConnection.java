package dev.latchkey.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

import javax.sql.DataSource;

import dev.latchkey.jdbc.SqlErrorTranslator;
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
                             @NotNull Work<T> work) {
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
            closeAfterFailure(c, failure);
            throw failure;
        } catch (RuntimeException | Error e) {
            closeAfterFailure(c, e);
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

    private static void closeAfterFailure(Connection c, Throwable primary) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    /**
     * An operation on the connection.
     *
     * @param <T> the result type
     */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Runs the operation.
         *
         * @param connection the connection, in auto-commit mode; not to be closed
         * @return the result
         * @throws SQLException on a database error; translated by {@link #call}
         */
        T apply(@NotNull Connection connection) throws SQLException;
    }
}

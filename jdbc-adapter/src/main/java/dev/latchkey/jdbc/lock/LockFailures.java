package dev.latchkey.jdbc.lock;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import dev.latchkey.jdbc.error.SqlErrorTranslator;
import dev.latchkey.ConcurrencyListener;
import dev.latchkey.LockNotAvailableException;
import dev.latchkey.LockWaitTimeoutException;
import dev.latchkey.jdbc.dialect.Dialect;

/** Builds the exceptions of the lock helpers, with the lock's context, and checks preconditions. */
final class LockFailures {
    private static final System.Logger LOG = System.getLogger(LockFailures.class.getName());

    private LockFailures() {
    }

    /**
     * Refuses a connection in auto-commit mode: every lock Latchkey takes lasts until the end of
     * the transaction, and in auto-commit mode that is the end of the statement.
     */
    static void requireTransaction(Connection c, Dialect dialect, String what) {
        boolean autoCommit;
        try {
            autoCommit = c.getAutoCommit();
        } catch (SQLException e) {
            throw SqlErrorTranslator.forProduct(dialect.product()).translate(e);
        }
        if (autoCommit) {
            throw new IllegalStateException(what + " cannot be used outside a transaction: the connection is in "
                    + "auto-commit mode, so the lock would be released as soon as the statement ends; run it "
                    + "inside latchkey.transactions().run(..) or after connection.setAutoCommit(false)");
        }
    }

    /**
     * The exception for a locking statement that failed: a lock-not-available or lock-timeout
     * failure gets the lock's context, anything else is translated as usual.
     *
     * @param what e.g. {@code "rows of product with keys [1, 2]"} or {@code "advisory lock 'x'"}
     * @param table the table or lock name
     * @param keys the keys requested, empty when not by key
     * @param wait the wait policy used
     * @param timeout the timeout requested, or {@code null}
     */
    static RuntimeException translate(Dialect dialect, SQLException e, String what, String table, List<?> keys,
                                      WaitPolicy wait, Duration timeout, Duration waited) {
        if (!dialect.isLockUnavailable(e, timeout != null)) {
            return SqlErrorTranslator.forProduct(dialect.product()).translate(e);
        }
        String cause = " (SQLSTATE " + e.getSQLState() + ", vendor code " + e.getErrorCode() + ": " + e.getMessage()
                + ")";
        if (wait == WaitPolicy.NOWAIT) {
            return new LockNotAvailableException("could not lock " + what + " with NOWAIT: held by another "
                    + "transaction" + cause, e, e.getSQLState(), e.getErrorCode(), table, keys, waited);
        }
        return timedOut(what, table, keys, timeout, waited, e, cause);
    }

    /** The exception for a lock wait that ran out of time. */
    static LockWaitTimeoutException timedOut(String what, String table, List<?> keys, Duration timeout,
                                             Duration waited, SQLException e, String cause) {
        String limit = timeout == null ? "the database's own lock timeout" : "timeout " + timeout.toMillis() + " ms";
        return new LockWaitTimeoutException("could not lock " + what + ": lock wait timed out after "
                + waited.toMillis() + " ms (" + limit + ")" + cause, e,
                e == null ? null : e.getSQLState(), e == null ? 0 : e.getErrorCode(), table, keys, waited);
    }

    /** Tells the listener; a listener must never change the outcome. */
    static void notifyLockWait(ConcurrencyListener listener, String table, List<?> keys, Duration waited,
                               boolean acquired) {
        try {
            listener.onLockWait(table, keys, waited, acquired);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ConcurrencyListener.onLockWait threw; ignored", e);
        }
    }
}

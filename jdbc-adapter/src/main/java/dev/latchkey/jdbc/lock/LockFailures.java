package dev.latchkey.jdbc.lock;

import java.sql.SQLException;
import java.time.Duration;

import dev.latchkey.LockNotAvailableException;
import dev.latchkey.LockWaitTimeoutException;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.Session;
import org.jetbrains.annotations.Nullable;

/** Builds the exceptions of the lock helpers, with the lock's context, and checks preconditions. */
final class LockFailures {

    private LockFailures() {
    }

    /**
     * Refuses a session in auto-commit mode: every lock Latchkey takes lasts until the end of
     * the transaction, and in auto-commit mode that is the end of the statement.
     */
    static void requireTransaction(Session session, String what) {
        if (session.autoCommit()) {
            throw new IllegalStateException(what + " cannot be used outside a transaction: the connection is in "
                    + "auto-commit mode, so the lock would be released as soon as the statement ends; run it "
                    + "inside latchkey.transactions().run(..) or after connection.setAutoCommit(false)");
        }
    }

    /**
     * The exception for a locking statement that failed: a lock-not-available or lock-timeout
     * failure gets the lock's context, anything else is translated as usual.
     */
    static RuntimeException translate(JdbcContext ctx, LockSql lockSql, SQLException e, LockRequest request,
                                      Duration waited) {
        if (!lockSql.isLockUnavailable(ctx.errors(), e, request.timeout() != null)) {
            return ctx.errors().translate(e);
        }
        String cause = " (SQLSTATE " + e.getSQLState() + ", vendor code " + e.getErrorCode() + ": " + e.getMessage()
                + ")";
        if (request.waitPolicy() == WaitPolicy.NOWAIT) {
            return new LockNotAvailableException("could not lock " + request.what().get() + " with NOWAIT: held by another "
                    + "transaction" + cause, e, e.getSQLState(), e.getErrorCode(), request.target(), request.keys(),
                    waited);
        }
        return timedOut(request, waited, e, cause);
    }

    /** The exception for a lock wait that ran out of time ({@code e} is {@code null} when none was raised). */
    static LockWaitTimeoutException timedOut(LockRequest request, Duration waited, @Nullable SQLException e,
                                             String cause) {
        Duration timeout = request.timeout();
        String limit = timeout == null ? "the database's own lock timeout" : "timeout " + timeout.toMillis() + " ms";
        return new LockWaitTimeoutException("could not lock " + request.what().get() + ": lock wait timed out after "
                + waited.toMillis() + " ms (" + limit + ")" + cause, e,
                e == null ? null : e.getSQLState(), e == null ? 0 : e.getErrorCode(), request.target(), request.keys(),
                waited);
    }
}

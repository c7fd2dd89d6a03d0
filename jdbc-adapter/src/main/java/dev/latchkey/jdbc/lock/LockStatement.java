package dev.latchkey.jdbc.lock;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.Session;
import dev.latchkey.jdbc.internal.Session.RowReader;
import dev.latchkey.jdbc.internal.Statements;
import dev.latchkey.jdbc.lock.LockSql.LockTimeoutSetting;

/**
 * Runs one locking statement, row lock or advisory lock, timing the wait with the context's nano
 * clock. A failure is translated with the lock's context, reported to the listener (not
 * acquired), and the lock timeout setting is put back before it is thrown; after success the
 * caller puts the setting back and reports the outcome, which only it knows.
 */
final class LockStatement {

    private LockStatement() {
    }

    /**
     * The rows the statement returned, and how long it waited.
     *
     * @param rows the rows
     * @param waitedNanos the time the statement took, in nanoseconds (no {@link Duration} is made
     *        unless a listener or a failure asks for it)
     * @param <T> the row type
     */
    record Result<T>(List<T> rows, long waitedNanos) {
        Duration waited() {
            return Duration.ofNanos(waitedNanos);
        }
    }

    static <T> Result<T> run(JdbcContext ctx, LockSql lockSql, Session session, LockRequest request,
                             LockTimeoutSetting setting, String sql, List<?> params, RowReader<T> reader) {
        long start = ctx.nanoTime();
        List<T> rows;
        try {
            rows = Statements.query(session.connection(), sql, params, reader);
        } catch (SQLException e) {
            Duration waited = Duration.ofNanos(ctx.nanoTime() - start);
            RuntimeException failure = LockFailures.translate(ctx, lockSql, e, request, waited);
            ctx.listener().onLockWait(request.target(), request.keys(), waited, false);
            try {
                setting.restore(false);
            } catch (RuntimeException restoreFailure) {
                failure.addSuppressed(restoreFailure);
            }
            throw session.failed(failure);
        }
        return new Result<>(rows, ctx.nanoTime() - start);
    }
}

package dev.latchkey.test;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * One failure a {@link FaultInjectingDataSource} injected, for a test's assertions and messages.
 *
 * @param fault the failure
 * @param point where it was injected
 * @param number the call's number among the calls of its point, from 1
 * @param sql the statement's SQL, or the call's name ({@code "COMMIT"}, {@code "ROLLBACK"},
 *            {@code "setAutoCommit(true)"}, {@code "close"}, {@code "getConnection"})
 * @param thread the name of the thread that made the call
 */
public record InjectedFault(@NotNull Fault fault, Trigger.@NotNull Point point, long number, @NotNull String sql,
                            @NotNull String thread) {
    /**
     * Checks the parts.
     *
     * @param fault the failure
     * @param point where it was injected
     * @param number the call's number
     * @param sql the SQL or the call's name
     * @param thread the thread's name
     * @throws NullPointerException if a part is {@code null}
     */
    public InjectedFault {
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(thread, "thread");
    }

    /**
     * Returns whether the fault was injected at a COMMIT.
     *
     * @return {@code point() == Trigger.Point.COMMIT}
     */
    public boolean atCommit() {
        return point == Trigger.Point.COMMIT;
    }
}

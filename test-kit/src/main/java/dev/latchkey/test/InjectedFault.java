package dev.latchkey.test;

import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * One failure a {@link FaultInjectingDataSource} injected, for a test's assertions and messages.
 *
 * @param fault the failure
 * @param atCommit whether it was injected at a COMMIT (else before a statement)
 * @param number the statement's or commit's number, from 1
 * @param sql the statement's SQL, or {@code "COMMIT"}
 * @param thread the name of the thread that made the call
 */
public record InjectedFault(@NotNull Fault fault, boolean atCommit, long number, @NotNull String sql,
                            @NotNull String thread) {
    /**
     * Checks the parts.
     *
     * @param fault the failure
     * @param atCommit whether it was injected at a COMMIT
     * @param number the call's number
     * @param sql the SQL
     * @param thread the thread's name
     */
    public InjectedFault {
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(thread, "thread");
    }
}

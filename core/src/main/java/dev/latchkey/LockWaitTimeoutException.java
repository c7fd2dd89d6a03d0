package dev.latchkey;

import java.io.Serial;
import java.time.Duration;
import java.util.List;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A lock wait ran out of time: PostgreSQL {@code lock_timeout} (55P03), MySQL/MariaDB
 * {@code innodb_lock_wait_timeout} (1205), H2 lock timeout (50200), Oracle {@code WAIT n}
 * (ORA-30006), SQL Server {@code LOCK_TIMEOUT} (1222). Transient.
 */
public class LockWaitTimeoutException extends LockNotAvailableException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception without lock context (as the error translator does).
     *
     * @param message what happened
     * @param cause the original {@code SQLException}, or {@code null}
     * @param sqlState the SQLSTATE, or {@code null}
     * @param vendorCode the vendor code, or {@code 0}
     */
    public LockWaitTimeoutException(@NotNull String message, @Nullable Throwable cause,
                                    @Nullable String sqlState, int vendorCode) {
        super(message, cause, sqlState, vendorCode);
    }

    /**
     * Creates the exception with the context of the lock that was requested.
     *
     * @param message what happened
     * @param cause the original {@code SQLException}, or {@code null}
     * @param sqlState the SQLSTATE, or {@code null}
     * @param vendorCode the vendor code, or {@code 0}
     * @param table the table (or lock name) whose lock was requested, or {@code null}
     * @param keys the keys whose rows were requested; empty when not known
     * @param waited how long the request waited, or {@code null} when not measured
     */
    public LockWaitTimeoutException(@NotNull String message, @Nullable Throwable cause,
                                    @Nullable String sqlState, int vendorCode,
                                    @Nullable String table, @NotNull List<?> keys, @Nullable Duration waited) {
        super(message, cause, sqlState, vendorCode, table, keys, waited);
    }
}

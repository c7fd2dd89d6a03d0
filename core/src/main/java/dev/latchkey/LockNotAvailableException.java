package dev.latchkey;

import java.io.Serial;
import java.time.Duration;
import java.util.List;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A row or named lock could not be acquired: {@code NOWAIT} found it held (PostgreSQL 55P03,
 * MySQL 3572, Oracle ORA-00054), or a lock wait ran out of time (see
 * {@link LockWaitTimeoutException}). Nothing was locked by the failing statement.
 *
 * <p>Transient: the holder will eventually release the lock, so retrying later is safe. When
 * raised by a Latchkey lock helper the exception names the table (or lock name), the keys
 * requested and the time waited; when raised by the plain translator those are absent.
 */
public class LockNotAvailableException extends ConcurrencyException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final @Nullable String table;
    // transient: the caller's key values need not be serializable; a deserialized copy keeps
    // them only in its message and reports no keys
    private final transient List<Object> keys;
    private final @Nullable Duration waited;

    /**
     * Creates the exception without lock context (as the error translator does).
     *
     * @param message what happened
     * @param cause the original {@code SQLException}, or {@code null}
     * @param sqlState the SQLSTATE, or {@code null}
     * @param vendorCode the vendor code, or {@code 0}
     */
    public LockNotAvailableException(@NotNull String message, @Nullable Throwable cause,
                                     @Nullable String sqlState, int vendorCode) {
        this(message, cause, sqlState, vendorCode, null, List.of(), null);
    }

    /**
     * Creates the exception with the context of the lock that was requested.
     *
     * @param message what happened
     * @param cause the original {@code SQLException}, or {@code null}
     * @param sqlState the SQLSTATE, or {@code null}
     * @param vendorCode the vendor code, or {@code 0}
     * @param table the table (or lock name) whose lock was requested, or {@code null}
     * @param keys the keys whose rows were requested; copied; empty when not known
     * @param waited how long the request waited before failing, or {@code null} when not measured
     */
    public LockNotAvailableException(@NotNull String message, @Nullable Throwable cause,
                                     @Nullable String sqlState, int vendorCode,
                                     @Nullable String table, @NotNull List<?> keys, @Nullable Duration waited) {
        super(message, cause, true, sqlState, vendorCode);
        this.table = table;
        this.keys = List.copyOf(keys);
        this.waited = waited;
    }

    /**
     * The table or lock name whose lock was requested.
     *
     * @return the table, or {@code null} when the exception came from the plain translator
     */
    public @Nullable String table() {
        return table;
    }

    /**
     * The keys whose rows were requested.
     *
     * @return an immutable list, empty when not known
     */
    public @NotNull List<Object> keys() {
        return keys == null ? List.of() : keys;
    }

    /**
     * How long the request waited before it failed.
     *
     * @return the measured wait, or {@code null} when not measured
     */
    public @Nullable Duration waited() {
        return waited;
    }
}

package dev.latchkey;

import java.io.Serial;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Root of every failure Latchkey reports for a concurrent write that did not go through.
 *
 * <p>Each instance says whether it is {@linkplain #isTransient() transient}: a transient
 * failure was caused by a race with another transaction and re-running the whole unit of work
 * is safe and may succeed. When the failure came from the database, the SQLSTATE and vendor
 * code are carried and the original {@code SQLException} is kept as the {@linkplain #getCause()
 * cause}. Instances are immutable.
 */
public class ConcurrencyException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;
    private final @Nullable String sqlState;
    private final int vendorCode;

    /**
     * Creates an exception.
     *
     * @param message what went wrong, in words a user can act on
     * @param cause the original failure, usually an {@code SQLException}, or {@code null}
     * @param transientFailure whether re-running the unit of work is safe and may succeed
     * @param sqlState the SQLSTATE reported by the database, or {@code null}
     * @param vendorCode the vendor error code reported by the database, or {@code 0}
     */
    protected ConcurrencyException(@NotNull String message, @Nullable Throwable cause,
                                   boolean transientFailure, @Nullable String sqlState, int vendorCode) {
        super(message, cause);
        this.transientFailure = transientFailure;
        this.sqlState = sqlState;
        this.vendorCode = vendorCode;
    }

    /**
     * Creates an exception that did not come from a database error.
     *
     * @param message what went wrong
     * @param cause the original failure, or {@code null}
     * @param transientFailure whether re-running the unit of work is safe and may succeed
     */
    protected ConcurrencyException(@NotNull String message, @Nullable Throwable cause, boolean transientFailure) {
        this(message, cause, transientFailure, null, 0);
    }

    /**
     * Whether the failure was caused by a race and re-running the whole unit of work (in a new
     * transaction) is safe and may succeed. Retry policies retry transient failures by default.
     *
     * @return {@code true} for deadlocks, serialization failures, lock-not-available and similar
     */
    public boolean isTransient() {
        return transientFailure;
    }

    /**
     * The SQLSTATE the database reported, when the failure came from the database.
     *
     * @return the five-character SQLSTATE, or {@code null}
     */
    public @Nullable String sqlState() {
        return sqlState;
    }

    /**
     * The vendor error code the database reported ({@code SQLException.getErrorCode()}).
     *
     * @return the vendor code, or {@code 0} when none was reported
     */
    public int vendorCode() {
        return vendorCode;
    }
}

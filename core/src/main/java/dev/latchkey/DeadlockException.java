package dev.latchkey;

import java.io.Serial;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The database chose this transaction as the victim of a deadlock and rolled it back. Re-running the whole transaction is safe.
 *
 * <p>Transient: {@code true}. Carries the SQLSTATE, vendor code and original {@code SQLException}.
 */
public class DeadlockException extends ConcurrencyException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     * @param cause the original {@code SQLException}, or {@code null}
     * @param sqlState the SQLSTATE, or {@code null}
     * @param vendorCode the vendor code, or {@code 0}
     */
    public DeadlockException(@NotNull String message, @Nullable Throwable cause, @Nullable String sqlState, int vendorCode) {
        super(message, cause, true, sqlState, vendorCode);
    }
}

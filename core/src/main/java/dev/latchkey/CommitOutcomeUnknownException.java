package dev.latchkey;

import java.io.Serial;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The connection failed while {@code COMMIT} was in flight, so whether the transaction was
 * committed cannot be known from this side. Never retried automatically: re-running could apply
 * the work twice. Check the database (or use an idempotency key) before trying again.
 */
public class CommitOutcomeUnknownException extends ConcurrencyException {
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
    public CommitOutcomeUnknownException(@NotNull String message, @Nullable Throwable cause,
                                         @Nullable String sqlState, int vendorCode) {
        super(message, cause, false, sqlState, vendorCode);
    }
}

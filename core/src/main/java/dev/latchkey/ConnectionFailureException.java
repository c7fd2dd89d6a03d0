package dev.latchkey;

import java.io.Serial;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The connection to the database failed (SQLSTATE class 08, a terminated backend, a broken socket) before any commit was attempted, so nothing of the transaction was kept. Re-running on a new connection is safe. A failure during COMMIT is {@link CommitOutcomeUnknownException} instead.
 *
 * <p>Transient: {@code true}. Carries the SQLSTATE, vendor code and original {@code SQLException}.
 */
public class ConnectionFailureException extends ConcurrencyException {
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
    public ConnectionFailureException(@NotNull String message, @Nullable Throwable cause, @Nullable String sqlState, int vendorCode) {
        super(message, cause, true, sqlState, vendorCode);
    }
}

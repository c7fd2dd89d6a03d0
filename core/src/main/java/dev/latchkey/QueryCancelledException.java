package dev.latchkey;

import java.io.Serial;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A statement was cancelled: by {@code Statement.cancel()}, a statement timeout ({@code statement_timeout}, {@code max_statement_time}, {@code setQueryTimeout}) or an operator. Not retried by default: a cancel is usually deliberate.
 *
 * <p>Transient: {@code false}. Carries the SQLSTATE, vendor code and original {@code SQLException}.
 */
public class QueryCancelledException extends ConcurrencyException {
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
    public QueryCancelledException(@NotNull String message, @Nullable Throwable cause, @Nullable String sqlState, int vendorCode) {
        super(message, cause, false, sqlState, vendorCode);
    }
}

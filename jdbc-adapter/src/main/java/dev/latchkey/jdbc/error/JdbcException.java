package dev.latchkey.jdbc.error;

import java.sql.SQLException;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * An {@link SQLException} that is not a concurrency failure (a syntax error, a constraint other
 * than a unique key, a missing table), rethrown unchecked with the SQLSTATE and vendor code it
 * carried. The original exception is the {@linkplain #getCause() cause}. Never retried by the
 * default retry policy.
 */
public class JdbcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final @Nullable String sqlState;
    private final int vendorCode;

    /**
     * Wraps an {@code SQLException}.
     *
     * @param message context for the failure
     * @param cause the original exception
     */
    public JdbcException(@NotNull String message, @NotNull SQLException cause) {
        super(message, cause);
        this.sqlState = cause.getSQLState();
        this.vendorCode = cause.getErrorCode();
    }

    /**
     * Returns the SQLSTATE of the original exception, or {@code null}.
     *
     * @return the SQLSTATE of the original exception, or {@code null}
     */
    public @Nullable String sqlState() {
        return sqlState;
    }

    /**
     * Returns the vendor code of the original exception, or {@code 0}.
     *
     * @return the vendor code of the original exception, or {@code 0}
     */
    public int vendorCode() {
        return vendorCode;
    }
}

package dev.latchkey;

import java.io.Serial;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * An insert or update violated a unique constraint or primary key (PostgreSQL/H2 23505,
 * MySQL 1062, Oracle ORA-00001, SQL Server 2627/2601). Not transient: the same statement
 * fails the same way again.
 */
public class DuplicateKeyException extends ConcurrencyException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final @Nullable String constraint;

    /**
     * Creates the exception.
     *
     * @param message what happened
     * @param cause the original {@code SQLException}, or {@code null}
     * @param sqlState the SQLSTATE, or {@code null}
     * @param vendorCode the vendor code, or {@code 0}
     * @param constraint the violated constraint or index name where the driver reports it, or {@code null}
     */
    public DuplicateKeyException(@NotNull String message, @Nullable Throwable cause,
                                 @Nullable String sqlState, int vendorCode, @Nullable String constraint) {
        super(message, cause, false, sqlState, vendorCode);
        this.constraint = constraint;
    }

    /**
     * The name of the violated constraint or index.
     *
     * @return the name, or {@code null} when the driver did not report it
     */
    public @Nullable String constraint() {
        return constraint;
    }
}

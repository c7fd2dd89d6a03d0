package dev.latchkey.jdbc.lock;

import java.sql.ResultSet;
import java.sql.SQLException;

import org.jetbrains.annotations.NotNull;

/**
 * Maps the current row of a locking read to a value of the caller's type.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface RowMapper<T> {
    /**
     * Maps the current row. Must not move the cursor.
     *
     * @param row the result set, positioned on a row
     * @return the value, not {@code null}
     * @throws SQLException on a database error; translated by Latchkey
     */
    @NotNull T map(@NotNull ResultSet row) throws SQLException;
}

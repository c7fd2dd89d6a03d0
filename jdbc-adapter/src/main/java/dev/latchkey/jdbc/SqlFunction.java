package dev.latchkey.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import org.jetbrains.annotations.NotNull;

/**
 * A unit of work on a JDBC connection that may throw {@link SQLException}; Latchkey translates
 * the exception on the way out, so callers need no try/catch.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface SqlFunction<T> {
    /**
     * Does the work.
     *
     * @param connection the connection, inside the transaction Latchkey opened
     * @return the result, may be {@code null}
     * @throws SQLException on a database error; translated by Latchkey
     */
    T apply(@NotNull Connection connection) throws SQLException;
}

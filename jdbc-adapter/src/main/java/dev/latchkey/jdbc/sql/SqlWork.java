package dev.latchkey.jdbc.sql;

import java.sql.Connection;
import java.sql.SQLException;

import org.jetbrains.annotations.NotNull;

/**
 * A unit of work on a JDBC connection that may throw {@link SQLException}; Latchkey translates
 * the exception on the way out, so callers need no try/catch. Write it as a lambda:
 * {@code tx -> { ...; return value; }}. ({@code dev.latchkey.jdbc.SqlFunction} is the same
 * type under the name the entry package uses.)
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface SqlWork<T> {
    /**
     * Does the work.
     *
     * @param connection the connection, inside the transaction Latchkey opened or joined
     * @return the result, may be {@code null}
     * @throws SQLException on a database error; translated by Latchkey
     */
    T apply(@NotNull Connection connection) throws SQLException;
}

package dev.latchkey.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;

import org.jetbrains.annotations.NotNull;

/**
 * Work on a connection that may throw {@link SQLException}, translated by whoever runs it.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface ConnectionWork<T> {
    /**
     * Runs the work.
     *
     * @param connection the connection; not to be closed
     * @return the result
     * @throws SQLException on a database error
     */
    T apply(@NotNull Connection connection) throws SQLException;
}

package dev.latchkey.jdbc;

import dev.latchkey.jdbc.sql.SqlWork;

/**
 * A unit of work on a JDBC connection that may throw {@link java.sql.SQLException}; Latchkey
 * translates the exception on the way out, so callers need no try/catch. The same contract as
 * {@link SqlWork}, which every Latchkey method takes: a {@code SqlFunction} can be passed
 * wherever a {@code SqlWork} is expected.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface SqlFunction<T> extends SqlWork<T> {
}

package dev.latchkey.bench.stub;

/**
 * How the stub database answers: one {@link Answer} per executed statement. Implementations
 * return answers made in advance (no allocation), choosing by the SQL text and, where one
 * statement must answer differently per call (a claim of a new key against the replay of a
 * completed one), by a bound value.
 */
@FunctionalInterface
public interface Script {
    /**
     * Returns the answer to one execution.
     *
     * @param sql the statement's SQL
     * @param params the bound values, from index 1 ({@code params[0]} is unused); not to be kept
     * @return the answer
     * @throws IllegalStateException for a statement the script does not expect
     */
    Answer answer(String sql, Object[] params);
}

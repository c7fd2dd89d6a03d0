package dev.latchkey.bench.stub;

import java.util.Arrays;
import java.util.List;

/**
 * A canned answer of the stub driver to one statement: an update count, or rows with column
 * labels. Made once when a benchmark is set up and handed out again on every execution, so the
 * stub allocates nothing of its own per statement. A cell may be {@link #param(int)}: the value
 * the statement bound to that parameter (an idempotency claim returns the owner token it was
 * given). Immutable.
 */
public final class Answer {
    private final int updateCount;
    private final String[] labels;
    private final Object[][] rows;
    private final StubResultSetMetaData metaData;

    private Answer(int updateCount, String[] labels, Object[][] rows) {
        this.updateCount = updateCount;
        this.labels = labels;
        this.rows = rows;
        this.metaData = new StubResultSetMetaData(labels);
    }

    /**
     * An update count, for {@code executeUpdate}, each statement of {@code executeBatch}, and a
     * query run with {@code executeUpdate}.
     *
     * @param count the count
     * @return the answer
     */
    public static Answer updated(int count) {
        return new Answer(count, new String[0], new Object[0][]);
    }

    /**
     * Rows, for {@code executeQuery}; their number is also the update count.
     *
     * @param labels the column labels
     * @param rows the rows, each as long as {@code labels}
     * @return the answer
     */
    public static Answer rows(List<String> labels, Object[]... rows) {
        String[] l = labels.toArray(new String[0]);
        for (Object[] r : rows) {
            if (r.length != l.length) {
                throw new IllegalArgumentException("row " + Arrays.toString(r) + " does not match " + labels);
            }
        }
        return new Answer(rows.length, l, rows.clone());
    }

    /**
     * A cell that stands for the value bound to a parameter of the statement.
     *
     * @param index the parameter's index, from 1
     * @return the marker
     */
    public static Object param(int index) {
        return new Param(index);
    }

    int updateCount() {
        return updateCount;
    }

    String[] labels() {
        return labels;
    }

    Object[][] rows() {
        return rows;
    }

    StubResultSetMetaData metaData() {
        return metaData;
    }

    /** The marker {@link #param(int)} returns. */
    record Param(int index) {
    }
}

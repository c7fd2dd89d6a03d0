package dev.latchkey.jdbc.update;

import java.util.Collections;
import java.util.List;

import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.sql.SqlRenderer;
import org.jetbrains.annotations.NotNull;

/**
 * How one database spells what the update builders render: {@code RETURNING}, the order of
 * {@code SET} assignments, the next timestamp version, a latest-row read, and the upsert
 * statement with its column references ({@link SqlRenderer.ColumnReferences}: {@code col(..)} is
 * the existing row, {@code excluded(..)} the proposed one). The contract sits beside the code that
 * binds it; adding a database is one subclass and one line in {@link #of(Dialect)}. Immutable.
 */
abstract class UpdateSql implements SqlRenderer.ColumnReferences {
    final Dialect dialect;
    private final Returning updateReturning;
    private final Returning upsertReturning;
    private final String existingColumn;
    private final String proposedColumn;
    private final String oneMicrosecondLater;

    /**
     * Creates the value from its parts.
     *
     * @param updateReturning how an {@code UPDATE} returns the row it wrote
     * @param upsertReturning how an upsert returns the row it wrote
     * @param existingColumn how an upsert's assignment refers to a column of the row in the table,
     *        {@code %s} standing for the rendered column (e.g. {@code t.%s})
     * @param proposedColumn how it refers to the value the statement tried to insert ({@code EXCLUDED.%s})
     * @param oneMicrosecondLater a timestamp column plus one microsecond, {@code %s} standing for the column
     */
    UpdateSql(Dialect dialect, Returning updateReturning, Returning upsertReturning, String existingColumn,
              String proposedColumn, String oneMicrosecondLater) {
        this.dialect = dialect;
        this.updateReturning = updateReturning;
        this.upsertReturning = upsertReturning;
        this.existingColumn = existingColumn;
        this.proposedColumn = proposedColumn;
        this.oneMicrosecondLater = oneMicrosecondLater;
    }

    /**
     * The strategy for a dialect's product (and version).
     *
     * @throws UnsupportedOperationException for a product Latchkey renders no updates for
     */
    static UpdateSql of(Dialect dialect) {
        switch (dialect.product()) {
            case POSTGRESQL:
                return new PostgresUpdateSql(dialect);
            case MARIADB:
            case MYSQL:
                return new MySqlUpdateSql(dialect);
            case H2:
                return new H2UpdateSql(dialect);
            default:
                throw dialect.unsupported("updates");
        }
    }

    /**
     * Whether an {@code UPDATE} can hand back the values it wrote in the same statement:
     * PostgreSQL's {@code UPDATE ... RETURNING} and H2's {@code SELECT ... FROM FINAL TABLE (UPDATE
     * ...)}. MariaDB (10.11 included) and MySQL have no such form; the update builder then reads
     * the written row back in the same transaction, while the row lock of the {@code UPDATE} is held.
     */
    final boolean supportsUpdateReturning() {
        return updateReturning != Returning.NONE;
    }

    /**
     * Renders an {@code UPDATE} that returns columns of the row it updated, in one statement, run
     * with {@code executeQuery}.
     *
     * @param update a rendered {@code UPDATE} statement
     * @param columns the rendered, comma-separated columns to return
     * @throws UnsupportedOperationException when {@link #supportsUpdateReturning()} is {@code false}
     */
    final String updateReturning(String update, String columns) {
        return updateReturning.render(dialect, "UPDATE ... RETURNING", update, columns);
    }

    /** Whether an upsert can return the row's final values in the same statement. */
    final boolean supportsUpsertReturning() {
        return upsertReturning != Returning.NONE;
    }

    /**
     * Renders an upsert that returns columns of the row it inserted or updated, run with
     * {@code executeQuery}.
     *
     * @param upsert the statement from {@link #upsert}
     * @param columns the rendered, comma-separated columns to return
     * @throws UnsupportedOperationException when {@link #supportsUpsertReturning()} is {@code false}
     */
    final String upsertReturning(String upsert, String columns) {
        return upsertReturning.render(dialect, "INSERT ... RETURNING", upsert, columns);
    }

    @Override
    public final @NotNull String existing(@NotNull String column) {
        return fill(existingColumn, column);
    }

    @Override
    public final @NotNull String proposed(@NotNull String column) {
        return fill(proposedColumn, column);
    }

    /** The pattern with its one {@code %s} replaced by the column: what {@code String.format} did, without its parser. */
    private static String fill(String pattern, String column) {
        int at = pattern.indexOf("%s");
        return pattern.substring(0, at) + column + pattern.substring(at + 2);
    }

    /**
     * Whether the assignments of one {@code SET} clause run left to right, each seeing the values
     * assigned before it (MySQL and MariaDB without {@code SIMULTANEOUS_ASSIGNMENT}), rather than
     * all reading the row as it was (the SQL standard, PostgreSQL, H2). The builders order the
     * assignments so that both give the standard result ({@link AssignmentOrder}).
     */
    boolean assignsSequentially() {
        return false;
    }

    /**
     * The value a timestamp version column is set to on every versioned update: the database's
     * current time, or one microsecond after the old value when the clock has not moved past it
     * (same microsecond, or PostgreSQL's transaction-start time inside one transaction), so that
     * each write changes the version. The column needs microsecond precision.
     *
     * @param column the rendered version column
     */
    final String nextTimestampVersion(String column) {
        return "GREATEST(" + dialect.currentTimestamp() + ", " + fill(oneMicrosecondLater, column) + ")";
    }

    /**
     * What to append to a {@code SELECT} that must see the latest committed row from inside a
     * transaction, where a plain read may see an older snapshot (MySQL and MariaDB at their
     * default {@code REPEATABLE READ}: {@code LOCK IN SHARE MODE}); with a leading space, or empty
     * where a statement in a read-committed transaction already reads the latest row.
     */
    String latestRowReadSuffix() {
        return "";
    }

    /**
     * Renders an insert-or-update of one row keyed by a unique key. Its parameters are the insert
     * values, in the order of {@code insertColumns}, followed by the parameters of {@code assignments}.
     *
     * @param table the rendered table
     * @param keyColumns the rendered unique-key columns (also among {@code insertColumns})
     * @param insertColumns the rendered columns inserted when the key is new
     * @param assignments the rendered {@code SET} list applied when the key exists, written with
     *        this strategy's column references
     */
    abstract String upsert(String table, List<String> keyColumns, List<String> insertColumns, String assignments);

    /**
     * Whether two concurrent upserts of the same new key can make one fail with a duplicate key
     * instead of updating (H2's {@code MERGE}: both see no row and both insert); the builder then
     * re-runs the statement, which finds the row.
     */
    boolean upsertMayRaceOnInsert() {
        return false;
    }

    /** {@code ?, ?, ?}: one placeholder per inserted column. */
    static String placeholders(List<String> insertColumns) {
        return String.join(", ", Collections.nCopies(insertColumns.size(), "?"));
    }

    @Override
    public @NotNull String toString() {
        return getClass().getSimpleName() + "[" + dialect.name() + "]";
    }

    /** How a statement hands back the row it wrote. */
    enum Returning {
        /** It cannot; the builder reads the row back in the same transaction. */
        NONE,
        /** {@code <statement> RETURNING <columns>} (PostgreSQL; MariaDB 10.5+ for inserts). */
        CLAUSE,
        /** {@code SELECT <columns> FROM FINAL TABLE (<statement>)} (H2). */
        FINAL_TABLE;

        String render(Dialect dialect, String feature, String statement, String columns) {
            switch (this) {
                case CLAUSE:
                    return statement + " RETURNING " + columns;
                case FINAL_TABLE:
                    return "SELECT " + columns + " FROM FINAL TABLE (" + statement + ")";
                default:
                    throw dialect.unsupported(feature);
            }
        }
    }
}

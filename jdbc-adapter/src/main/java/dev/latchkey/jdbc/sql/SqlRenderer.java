package dev.latchkey.jdbc.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import dev.latchkey.jdbc.dialect.Dialect;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Latchkey's renderer of its condition language: accumulates one statement's SQL and its bound
 * parameters while {@link Expression}s and {@link Condition}s render themselves into it. Values
 * only ever become {@code ?} plus a parameter; names only ever go through
 * {@link Dialect#identifier(String, String)}. The update and lock builders render their
 * {@code WHERE} and {@code SET} clauses with it. Thread-confined, used for one statement.
 */
public final class SqlRenderer {
    private final @Nullable Dialect dialect;
    private final @Nullable ColumnReferences references;
    private final StringBuilder sql = new StringBuilder(128);
    private final List<Object> params = new ArrayList<>();

    private SqlRenderer(@Nullable Dialect dialect, @Nullable ColumnReferences references) {
        this.dialect = dialect;
        this.references = references;
    }

    /**
     * A renderer for a statement on the row being written or read: {@code col(..)} is that row,
     * a proposed value ({@code excluded(..)}) is refused with {@link IllegalArgumentException}.
     *
     * @param dialect the dialect names and the current time are rendered for
     * @return a new renderer
     */
    public static @NotNull SqlRenderer of(@NotNull Dialect dialect) {
        return new SqlRenderer(Objects.requireNonNull(dialect, "dialect"), null);
    }

    /**
     * A renderer whose column references are spelled by a strategy, e.g. an upsert's conflict
     * assignments, where {@code col(..)} is the existing row and {@code excluded(..)} the proposed one.
     *
     * @param dialect the dialect names and the current time are rendered for
     * @param references how column references are spelled
     * @return a new renderer
     */
    public static @NotNull SqlRenderer of(@NotNull Dialect dialect, @NotNull ColumnReferences references) {
        return new SqlRenderer(Objects.requireNonNull(dialect, "dialect"),
                Objects.requireNonNull(references, "references"));
    }

    /** For {@link Object#toString()}: renders with no dialect, names as given, and the parameters after the SQL. */
    static String describe(Consumer<SqlRenderer> render) {
        SqlRenderer w = new SqlRenderer(null, null);
        render.accept(w);
        return w.sql() + (w.params.isEmpty() ? "" : " " + w.params);
    }

    /**
     * Appends SQL text as is; never pass a value here.
     *
     * @param s the text
     * @return this renderer
     */
    public @NotNull SqlRenderer append(@NotNull String s) {
        sql.append(s);
        return this;
    }

    /**
     * Appends a bound parameter.
     *
     * @param value the value; {@code null} binds SQL {@code NULL}
     * @return this renderer
     */
    public @NotNull SqlRenderer param(@Nullable Object value) {
        sql.append('?');
        params.add(value);
        return this;
    }

    /**
     * Appends an expression.
     *
     * @param e the expression
     * @return this renderer
     * @throws IllegalArgumentException if it reads a proposed value this renderer has none of
     */
    public @NotNull SqlRenderer expression(@NotNull Expression e) {
        e.render(this);
        return this;
    }

    /**
     * Appends a condition.
     *
     * @param c the condition
     * @return this renderer
     * @throws IllegalArgumentException if it reads a proposed value this renderer has none of
     */
    public @NotNull SqlRenderer condition(@NotNull Condition c) {
        c.render(this);
        return this;
    }

    /**
     * Returns the SQL rendered so far.
     *
     * @return the SQL rendered so far
     */
    public @NotNull String sql() {
        return sql.toString();
    }

    /**
     * Returns the parameters bound so far, in order (may contain {@code null}).
     *
     * @return the parameters bound so far, in order (may contain {@code null})
     */
    public @NotNull List<Object> params() {
        return Collections.unmodifiableList(new ArrayList<>(params));
    }

    /** Appends {@code left op right}, each operand parenthesised when it is itself arithmetic. */
    void binary(Expression left, String operator, Expression right) {
        left.renderOperand(this);
        sql.append(' ').append(operator).append(' ');
        right.renderOperand(this);
    }

    /** Appends a reference to a column of the row being written. */
    void column(String name) {
        String rendered = name(name);
        sql.append(references == null ? rendered : references.existing(rendered));
    }

    /** Appends a reference to the value an upsert tried to insert. */
    void proposed(String name) {
        String rendered = name(name);
        if (dialect == null) {
            sql.append("excluded.").append(rendered);
        } else if (references == null) {
            throw new IllegalArgumentException("excluded(\"" + name + "\") refers to the value an upsert tried to "
                    + "insert; it can only be used in Upsert.onConflict(...)");
        } else {
            sql.append(references.proposed(rendered));
        }
    }

    /** Appends the database's current time. */
    void now() {
        sql.append(dialect == null ? "CURRENT_TIMESTAMP" : dialect.currentTimestamp());
    }

    private String name(String column) {
        return dialect == null ? column : dialect.identifier("column", column);
    }

    /**
     * How a statement spells references to columns: a strategy of the feature that renders it
     * (an upsert's {@code t.n} and {@code EXCLUDED.n}).
     */
    public interface ColumnReferences {
        /**
         * A column of the row already in the table.
         *
         * @param column the rendered column
         * @return e.g. {@code t.n}
         */
        @NotNull String existing(@NotNull String column);

        /**
         * The value the statement tried to insert into a column.
         *
         * @param column the rendered column
         * @return e.g. {@code EXCLUDED.n}
         */
        @NotNull String proposed(@NotNull String column);
    }
}

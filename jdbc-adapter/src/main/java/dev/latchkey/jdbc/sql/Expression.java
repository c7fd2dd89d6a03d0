package dev.latchkey.jdbc.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A value the database computes inside the statement: a bound value, a column of the row being
 * written, arithmetic on those, {@code COALESCE}, or the database's current time. Users build them
 * with the static factories of {@code dev.latchkey.jdbc.update.Expressions}
 * ({@code col("stock").minus(qty)}), which call the factories here; {@link SqlRenderer} renders them.
 *
 * <p>Expressions are immutable and thread-safe; every method returns a new value. An operand is
 * either another {@code Expression} or a value, which is always bound as a parameter. A
 * {@code null} operand is refused: {@code stock - NULL} is {@code NULL}, which is never what a
 * counter wants (use {@link #value(Object)} to set a column to {@code NULL}).
 */
public abstract class Expression {

    Expression() {
    }

    /**
     * A column of the row being written, as it was before the statement (in an upsert's
     * conflict assignments: the row already in the table).
     *
     * @param name a plain column name
     * @return the column
     * @throws IllegalArgumentException naming the bad input if it is not a valid column name
     */
    public static @NotNull Expression column(@NotNull String name) {
        return new Terms.Column(name);
    }

    /**
     * A value, bound as a parameter.
     *
     * @param value the value; {@code null} binds SQL {@code NULL}
     * @return the expression
     * @throws IllegalArgumentException if the value is an {@code Expression} or a {@code Condition}
     */
    public static @NotNull Expression value(@Nullable Object value) {
        return new Terms.Value(value);
    }

    /**
     * A parameter whose value is given each time a prepared statement runs, e.g.
     * {@code latchkey.update("product").set("stock", col("stock").minus(param())).whereId(param())
     * .prepare()}. It renders as {@code ?}; a statement holding one runs only through its prepared
     * form, which takes one argument per placeholder, in the order of the {@code ?} in the SQL.
     *
     * @param type the class every argument for it must be an instance of, or {@code null} for any
     *        value
     * @return the placeholder
     */
    public static @NotNull Expression placeholder(@Nullable Class<?> type) {
        return new Terms.Placeholder(type);
    }

    /**
     * Whether a value is a {@linkplain #placeholder(Class) placeholder}.
     *
     * @param value any value
     * @return {@code true} for a placeholder
     */
    public static boolean isPlaceholder(@Nullable Object value) {
        return value instanceof Terms.Placeholder;
    }

    /**
     * The class a {@linkplain #placeholder(Class) placeholder}'s arguments must be instances of.
     *
     * @param placeholder a placeholder
     * @return the class, or {@code null} when any value goes
     * @throws IllegalArgumentException if the value is not a placeholder
     */
    public static @Nullable Class<?> placeholderType(@NotNull Object placeholder) {
        if (!(placeholder instanceof Terms.Placeholder)) {
            throw new IllegalArgumentException("not a param() placeholder: " + placeholder);
        }
        return ((Terms.Placeholder) placeholder).type;
    }

    /**
     * The database's current time, as the dialect spells it.
     *
     * @return the expression
     */
    public static @NotNull Expression now() {
        return Terms.Now.INSTANCE;
    }

    /**
     * {@code COALESCE(first, rest...)}: the first operand that is not {@code NULL}.
     *
     * @param first an {@code Expression} or a value to bind
     * @param rest further operands, at least one
     * @return the expression
     * @throws IllegalArgumentException if fewer than two operands are given or one is {@code null}
     */
    public static @NotNull Expression firstNonNull(@NotNull Object first, @NotNull Object... rest) {
        if (Objects.requireNonNull(rest, "rest").length == 0) {
            throw new IllegalArgumentException("coalesce needs at least two operands");
        }
        List<Expression> args = new ArrayList<>(rest.length + 1);
        args.add(operand("coalesce", first));
        for (Object o : rest) {
            args.add(operand("coalesce", o));
        }
        return new Terms.Coalesce(args);
    }

    /**
     * The value an upsert tried to insert into a column; rendered through the renderer's
     * {@link SqlRenderer.ColumnReferences}, and refused by a renderer that has none.
     *
     * @param name a plain column name
     * @return the expression
     * @throws IllegalArgumentException naming the bad input if it is not a valid column name
     */
    public static @NotNull Expression proposed(@NotNull String name) {
        return new Terms.Proposed(name);
    }

    /**
     * The columns of the written row this expression reads, e.g. to order a {@code SET} list.
     *
     * @return their canonical ({@linkplain ColumnNames#canonical lower-case}) names
     */
    public @NotNull Set<String> readColumns() {
        Set<String> s = new HashSet<>();
        readColumns(s);
        return s;
    }

    /**
     * The columns whose {@linkplain #proposed(String) proposed} values this expression reads.
     *
     * @return their canonical names
     */
    public @NotNull Set<String> proposedColumns() {
        Set<String> s = new HashSet<>();
        proposedColumns(s);
        return s;
    }

    /**
     * {@code this + operand}.
     *
     * @param operand an {@code Expression} or a value to bind
     * @return the sum
     * @throws IllegalArgumentException if the operand is {@code null} or a {@link Condition}
     */
    public @NotNull Expression plus(@NotNull Object operand) {
        return new Terms.Arithmetic("+", this, operand("plus", operand));
    }

    /**
     * {@code this - operand}.
     *
     * @param operand an {@code Expression} or a value to bind
     * @return the difference
     * @throws IllegalArgumentException if the operand is {@code null} or a {@link Condition}
     */
    public @NotNull Expression minus(@NotNull Object operand) {
        return new Terms.Arithmetic("-", this, operand("minus", operand));
    }

    /**
     * {@code this * operand}.
     *
     * @param operand an {@code Expression} or a value to bind
     * @return the product
     * @throws IllegalArgumentException if the operand is {@code null} or a {@link Condition}
     */
    public @NotNull Expression times(@NotNull Object operand) {
        return new Terms.Arithmetic("*", this, operand("times", operand));
    }

    /**
     * {@code COALESCE(this, fallback)}: this, or the fallback when this is {@code NULL}.
     *
     * @param fallback an {@code Expression} or a value to bind
     * @return the expression
     * @throws IllegalArgumentException if the fallback is {@code null} or a {@link Condition}
     */
    public @NotNull Expression coalesce(@NotNull Object fallback) {
        return new Terms.Coalesce(List.of(this, operand("coalesce", fallback)));
    }

    /**
     * {@code this = operand}.
     *
     * @param operand an {@code Expression} or a value to bind; not {@code null} (use {@link #isNull()})
     * @return the condition
     * @throws IllegalArgumentException if the operand is {@code null} or a {@link Condition}
     */
    public @NotNull Condition eq(@NotNull Object operand) {
        return new Condition.Comparison(this, "=", operand("eq", operand));
    }

    /**
     * {@code this <> operand}.
     *
     * @param operand an {@code Expression} or a value to bind; not {@code null} (use {@link #isNotNull()})
     * @return the condition
     * @throws IllegalArgumentException if the operand is {@code null} or a {@link Condition}
     */
    public @NotNull Condition ne(@NotNull Object operand) {
        return new Condition.Comparison(this, "<>", operand("ne", operand));
    }

    /**
     * {@code this < operand}.
     *
     * @param operand an {@code Expression} or a value to bind
     * @return the condition
     * @throws IllegalArgumentException if the operand is {@code null} or a {@link Condition}
     */
    public @NotNull Condition lt(@NotNull Object operand) {
        return new Condition.Comparison(this, "<", operand("lt", operand));
    }

    /**
     * {@code this <= operand}.
     *
     * @param operand an {@code Expression} or a value to bind
     * @return the condition
     * @throws IllegalArgumentException if the operand is {@code null} or a {@link Condition}
     */
    public @NotNull Condition le(@NotNull Object operand) {
        return new Condition.Comparison(this, "<=", operand("le", operand));
    }

    /**
     * {@code this > operand}.
     *
     * @param operand an {@code Expression} or a value to bind
     * @return the condition
     * @throws IllegalArgumentException if the operand is {@code null} or a {@link Condition}
     */
    public @NotNull Condition gt(@NotNull Object operand) {
        return new Condition.Comparison(this, ">", operand("gt", operand));
    }

    /**
     * {@code this >= operand}.
     *
     * @param operand an {@code Expression} or a value to bind
     * @return the condition
     * @throws IllegalArgumentException if the operand is {@code null} or a {@link Condition}
     */
    public @NotNull Condition ge(@NotNull Object operand) {
        return new Condition.Comparison(this, ">=", operand("ge", operand));
    }

    /**
     * {@code this IS NULL}.
     *
     * @return the condition
     */
    public @NotNull Condition isNull() {
        return new Condition.NullTest(this, true);
    }

    /**
     * {@code this IS NOT NULL}.
     *
     * @return the condition
     */
    public @NotNull Condition isNotNull() {
        return new Condition.NullTest(this, false);
    }

    /** Renders this expression; an operand that is itself arithmetic is parenthesised. */
    abstract void render(SqlRenderer w);

    /** Adds the (canonical) names of the columns of the written row this expression reads. */
    abstract void readColumns(Set<String> into);

    /** Adds the names of the proposed (upsert) columns this expression reads. */
    void proposedColumns(Set<String> into) {
    }

    /** Renders this expression as an operand of arithmetic. */
    void renderOperand(SqlRenderer w) {
        render(w);
    }

    static Expression operand(String operation, @Nullable Object operand) {
        if (operand == null) {
            throw new IllegalArgumentException(operation + "(...) operand must not be null; a comparison or "
                    + "arithmetic with NULL is never true or is NULL (use isNull()/isNotNull(), or value(null) in set)");
        }
        if (operand instanceof Expression) {
            return (Expression) operand;
        }
        if (operand instanceof Condition) {
            throw new IllegalArgumentException(operation + "(...) operand must be an Expression or a value, not a "
                    + "Condition: " + operand);
        }
        return new Terms.Value(operand);
    }

    @Override
    public @NotNull String toString() {
        return SqlRenderer.describe(this::render);
    }
}

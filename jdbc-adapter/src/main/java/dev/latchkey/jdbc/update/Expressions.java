package dev.latchkey.jdbc.update;

import java.util.Objects;

import dev.latchkey.jdbc.sql.Expression;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Static factories for {@link Expression}s (Latchkey's one condition language, in
 * {@code dev.latchkey.jdbc.sql}), meant to be imported statically:
 * <pre>{@code
 * import static dev.latchkey.jdbc.update.Expressions.*;
 *
 * latchkey.update("product")
 *         .set("stock", col("stock").minus(qty))
 *         .set("updated_at", now())
 *         .whereId(productId)
 *         .require(col("stock").ge(qty))
 *         .execute();
 * }</pre>
 */
public final class Expressions {

    private Expressions() {
    }

    /**
     * A column of the row being written, as it was before the statement (in an upsert's
     * {@code onConflict}: the row already in the table).
     *
     * @param name a plain column name
     * @return the column
     * @throws IllegalArgumentException naming the bad input if it is not a valid column name
     */
    public static @NotNull Expression col(@NotNull String name) {
        return Expression.column(name);
    }

    /**
     * A value, bound as a parameter.
     *
     * @param value the value; {@code null} binds SQL {@code NULL} (useful in {@code set})
     * @return the expression
     * @throws IllegalArgumentException if the value is an {@code Expression} or a {@code Condition}
     */
    public static @NotNull Expression value(@Nullable Object value) {
        return Expression.value(value);
    }

    /**
     * A parameter given each time a {@linkplain Update#prepare() prepared update} runs: it renders
     * as {@code ?} and takes the argument at its place (the order of the {@code ?} in the SQL).
     * Any non-null value goes.
     *
     * @return the placeholder
     */
    public static @NotNull Expression param() {
        return Expression.placeholder(null);
    }

    /**
     * A parameter given each time a {@linkplain Update#prepare() prepared update} runs, whose
     * arguments must be instances of a class (checked on every execution).
     *
     * @param type the class, e.g. {@code Long.class}
     * @return the placeholder
     * @throws NullPointerException if the type is {@code null}; the message is {@code type}
     */
    public static @NotNull Expression param(@NotNull Class<?> type) {
        return Expression.placeholder(Objects.requireNonNull(type, "type"));
    }

    /**
     * The database's current time ({@code CURRENT_TIMESTAMP}; {@code CURRENT_TIMESTAMP(6)} on
     * MariaDB and MySQL): the database's clock decides, not the application's.
     *
     * @return the expression
     */
    public static @NotNull Expression now() {
        return Expression.now();
    }

    /**
     * {@code COALESCE(first, rest...)}: the first operand that is not {@code NULL}.
     *
     * @param first an {@code Expression} or a value to bind
     * @param rest further operands, at least one
     * @return the expression
     * @throws IllegalArgumentException if fewer than two operands are given or one is {@code null}
     */
    public static @NotNull Expression coalesce(@NotNull Object first, @NotNull Object... rest) {
        return Expression.firstNonNull(first, rest);
    }

    /**
     * In an upsert's {@link Upsert#onConflict(String, Object)}: the value the statement tried to
     * insert into a column (PostgreSQL's {@code EXCLUDED.n}, MariaDB's {@code VALUES(n)}). Using
     * it anywhere else is an {@link IllegalArgumentException} when the statement is rendered.
     *
     * @param name a column the upsert inserts
     * @return the expression
     * @throws IllegalArgumentException naming the bad input if it is not a valid column name
     */
    public static @NotNull Expression excluded(@NotNull String name) {
        return Expression.proposed(name);
    }
}

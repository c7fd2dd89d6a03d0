package dev.latchkey.jdbc.update;

import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import dev.latchkey.ConcurrencyException;
import dev.latchkey.StaleVersionException;
import dev.latchkey.jdbc.error.JdbcException;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.OwnConnection;
import dev.latchkey.jdbc.internal.Session;
import dev.latchkey.jdbc.sql.Expression;
import dev.latchkey.jdbc.internal.PreparedArguments;
import org.jetbrains.annotations.NotNull;

/**
 * An {@link Update} rendered once, run many times with new values: made by
 * {@link Update#prepare()}, each {@link Expressions#param() param()} of the builder is an
 * argument of {@link #execute(Object...)}, in the order of the {@code ?} in {@link #toSql()}.
 * Running it only binds the arguments to the rendered statement; the outcome, the statements
 * and the exceptions are exactly those of the builder's {@code execute}.
 *
 * <p>Immutable and thread-safe: keep it in a field.
 */
public final class PreparedUpdate {
    private final JdbcContext ctx;
    private final RenderedUpdate rendered;
    private final PreparedArguments arguments;
    private final List<KeyColumn> key;
    private final boolean keyTakesArguments;
    private final boolean expectsVersion;

    private PreparedUpdate(JdbcContext ctx, RenderedUpdate rendered, List<Object> values, List<KeyColumn> key,
                           boolean expectsVersion) {
        this.ctx = ctx;
        this.rendered = rendered;
        this.arguments = PreparedArguments.of(rendered.operation, rendered.sql,
                " (set a column to NULL with set(column, null) in the builder)", values);
        this.key = key;
        boolean k = false;
        for (KeyColumn c : key) {
            k |= Expression.isPlaceholder(c.value);
        }
        this.keyTakesArguments = k;
        this.expectsVersion = expectsVersion;
    }

    static PreparedUpdate of(JdbcContext ctx, UpdateSpec spec) {
        RenderedUpdate r = RenderedUpdate.of(spec, ctx.dialect());
        Object expected = spec.expectedVersion();
        if (expected != null && !Expression.isPlaceholder(expected)) {
            UpdatePlan.checkVersionType(r.timestampVersion, expected);
        }
        return new PreparedUpdate(ctx, r, r.values(spec), spec.key(), expected != null);
    }

    /**
     * Runs the update with arguments for its placeholders, on a connection of the Latchkey's data
     * source: exactly as {@link Update#execute()} would run the builder with these values.
     *
     * @param arguments one per placeholder, in the order of the {@code ?} in {@link #toSql()}
     * @return the outcome
     * @throws IllegalArgumentException if the number of arguments is not {@link #argumentCount()},
     *         an argument is {@code null}, an expression, or not of its placeholder's class, or an
     *         expected version does not suit its column
     * @throws NullPointerException if the array is {@code null}; the message is {@code arguments}
     * @throws IllegalStateException inside a Latchkey transaction on the same data source, or when
     *         more than one row matched the key
     * @throws StaleVersionException if an expected version did not match
     * @throws ConcurrencyException on another concurrency failure
     * @throws JdbcException on any other database error
     */
    public @NotNull UpdateResult execute(@NotNull Object... arguments) {
        UpdatePlan plan = plan(arguments);
        return OwnConnection.run(ctx, rendered.operation, jdbc -> ConditionalUpdate.run(jdbc, plan, ctx));
    }

    /**
     * Runs the update with arguments for its placeholders on the caller's connection, as
     * {@link Update#execute(Connection)} does: nothing committed, rolled back or retried here.
     *
     * @param connection the connection; not closed
     * @param arguments one per placeholder, in the order of the {@code ?} in {@link #toSql()}
     * @return the outcome
     * @throws IllegalArgumentException as {@link #execute(Object...)}
     * @throws NullPointerException if the connection or the array is {@code null}, naming it
     * @throws IllegalStateException if more than one row matched the key
     * @throws StaleVersionException if an expected version did not match
     * @throws ConcurrencyException on another concurrency failure
     * @throws JdbcException on any other database error
     */
    public @NotNull UpdateResult execute(@NotNull Connection connection, @NotNull Object... arguments) {
        Objects.requireNonNull(connection, "connection");
        UpdatePlan plan = plan(arguments);
        return ConditionalUpdate.run(Session.on(connection, ctx.errors()), plan, ctx);
    }

    private UpdatePlan plan(Object[] arguments) {
        Object[] values = this.arguments.bind(arguments);
        List<KeyColumn> k = key;
        if (keyTakesArguments) {
            KeyColumn[] filled = new KeyColumn[key.size()];
            for (int i = 0; i < filled.length; i++) {
                filled[i] = new KeyColumn(key.get(i).column, values[rendered.keyOffset + i]);
            }
            k = Arrays.asList(filled);
        }
        Object expected = expectsVersion ? values[values.length - 1] : null;
        return new UpdatePlan(rendered, Arrays.asList(values), k, expected);
    }

    /**
     * Returns how many arguments {@link #execute(Object...)} takes: one per placeholder.
     *
     * @return the number of arguments
     */
    public int argumentCount() {
        return arguments.count();
    }

    /**
     * The statement this update runs first, with {@code ?} for every value and argument.
     *
     * @return the SQL
     */
    public @NotNull String toSql() {
        return rendered.sql;
    }

    @Override
    public @NotNull String toString() {
        return "PreparedUpdate[" + rendered.sql + ", " + arguments.count() + " argument(s)]";
    }
}

package dev.latchkey.jdbc.lock;

import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.Session;
import dev.latchkey.jdbc.sql.Expression;
import dev.latchkey.jdbc.internal.PreparedArguments;
import org.jetbrains.annotations.NotNull;

/**
 * A {@link RowLockQuery} rendered once, run many times with new values: made by
 * {@link RowLockQuery#prepare()}, each {@code param()} placeholder of the query (in
 * {@code key}/{@code keys} and in the conditions) is an argument of the {@code fetch} methods, in
 * the order of the {@code ?} in {@link #toSql()}: the keys first, then the conditions' values.
 *
 * <pre>{@code
 * PreparedRowLockQuery byId = latchkey.lock("product").key(param(Long.class)).nowait().prepare();
 * Optional<LockedRow> row = byId.fetchOne(tx, productId);   // SELECT * FROM product WHERE id = ? FOR UPDATE NOWAIT
 * }</pre>
 *
 * <p><b>Guarantees.</b> Running it only binds the arguments to the rendered statement: the rows
 * locked, the lock strength, the wait policy ({@code NOWAIT} fails fast, {@code SKIP LOCKED} leaves
 * held rows out), the lock timeout, the statements sent (one locking {@code SELECT}, plus the lock
 * timeout settings around it where the database needs them, as the query documents) and the
 * exceptions are exactly those of the query's {@code fetch} with these values. Several keys given
 * as placeholders are bound in the order given (the statement's {@code ORDER BY} on the key keeps
 * the lock order deterministic). A query with no keys ({@code keys(List.of())}) runs no statement.
 *
 * <p><b>Arguments.</b> One per placeholder; none may be {@code null} (as {@code key(null)} and
 * {@code where(column, null)} are refused: lock rows whose column is {@code NULL} with
 * {@code whereNull(column)}), an expression or a condition, or other than its placeholder's
 * class: each is an {@link IllegalArgumentException}, as is the wrong number of arguments, whose
 * message names the expected count.
 *
 * <p>Immutable and thread-safe: keep it in a field.
 */
public final class PreparedRowLockQuery {
    private final JdbcContext ctx;
    private final LockSql lockSql;
    private final RowLockSpec spec;
    private final RenderedRowLock rendered;
    private final PreparedArguments arguments;
    /** How many of the statement's first parameters are keys. */
    private final int keyCount;
    private final boolean keysTakeArguments;

    private PreparedRowLockQuery(JdbcContext ctx, LockSql lockSql, RowLockSpec spec, RenderedRowLock rendered) {
        this.ctx = ctx;
        this.lockSql = lockSql;
        this.spec = spec;
        this.rendered = rendered;
        this.arguments = PreparedArguments.of("locking read of " + spec.table(), rendered.sql,
                " (lock rows whose column is NULL with whereNull(column))", rendered.values(spec));
        List<Object> keys = spec.keyList();
        this.keyCount = keys.size();
        boolean k = false;
        for (Object key : keys) {
            k |= Expression.isPlaceholder(key);
        }
        this.keysTakeArguments = k;
    }

    static PreparedRowLockQuery of(JdbcContext ctx, LockSql lockSql, RowLockSpec spec) {
        return new PreparedRowLockQuery(ctx, lockSql, spec, RenderedRowLock.of(spec, ctx.dialect(), lockSql));
    }

    /**
     * Runs the locking read with arguments for its placeholders on the caller's connection and
     * returns the locked rows, as {@link RowLockQuery#fetch(Connection)} does with these values.
     * One locking statement (plus the lock timeout settings the query's database needs).
     *
     * @param connection a connection inside a transaction (auto-commit off)
     * @param arguments one per placeholder, in the order of the {@code ?} in {@link #toSql()}
     * @return the locked rows, in the query's order; held until the transaction ends
     * @throws IllegalArgumentException if the number of arguments is not {@link #argumentCount()}
     *         (the message names it), or an argument is {@code null}, an expression, or not of its
     *         placeholder's class
     * @throws NullPointerException if the connection or the array is {@code null}, naming it
     * @throws IllegalStateException if the connection is in auto-commit mode
     * @throws dev.latchkey.LockNotAvailableException with {@code nowait()}, when a row is held
     * @throws dev.latchkey.LockWaitTimeoutException when the lock wait timed out
     * @throws dev.latchkey.ConcurrencyException another concurrency failure (e.g. a deadlock)
     * @throws dev.latchkey.jdbc.error.JdbcException any other database error
     */
    public @NotNull List<LockedRow> fetch(@NotNull Connection connection, @NotNull Object... arguments) {
        return run(connection, LockedRow.reader(spec.keyColumn()), arguments);
    }

    /**
     * Runs the locking read with arguments for its placeholders and maps each locked row, as
     * {@link RowLockQuery#fetch(Connection, RowMapper)} does with these values.
     *
     * @param connection a connection inside a transaction (auto-commit off)
     * @param mapper maps the current row; must not move the cursor
     * @param arguments one per placeholder, in the order of the {@code ?} in {@link #toSql()}
     * @param <T> the row type
     * @return the mapped rows, in the query's order
     * @throws IllegalArgumentException as {@link #fetch(Connection, Object...)}
     * @throws NullPointerException if the connection, the mapper or the array is {@code null}, naming it
     * @throws IllegalStateException if the connection is in auto-commit mode
     * @throws dev.latchkey.LockNotAvailableException with {@code nowait()}, when a row is held
     * @throws dev.latchkey.LockWaitTimeoutException when the lock wait timed out
     * @throws dev.latchkey.jdbc.error.JdbcException any other database error
     */
    public <T> @NotNull List<T> fetch(@NotNull Connection connection, @NotNull RowMapper<T> mapper,
                                      @NotNull Object... arguments) {
        return run(connection, Objects.requireNonNull(mapper, "mapper"), arguments);
    }

    /**
     * Runs the locking read of one row with arguments for its placeholders, as
     * {@link RowLockQuery#fetchOne(Connection)} does with these values.
     *
     * @param connection a connection inside a transaction (auto-commit off)
     * @param arguments one per placeholder, in the order of the {@code ?} in {@link #toSql()}
     * @return the locked row, or empty when there is none (or it was skipped)
     * @throws IllegalArgumentException as {@link #fetch(Connection, Object...)}
     * @throws NullPointerException if the connection or the array is {@code null}, naming it
     * @throws IllegalStateException if the connection is in auto-commit mode or more than one row matched
     * @throws dev.latchkey.LockNotAvailableException with {@code nowait()}, when the row is held
     * @throws dev.latchkey.LockWaitTimeoutException when the lock wait timed out
     * @throws dev.latchkey.jdbc.error.JdbcException any other database error
     */
    public @NotNull Optional<LockedRow> fetchOne(@NotNull Connection connection, @NotNull Object... arguments) {
        return LockingRead.one(spec, fetch(connection, arguments));
    }

    /**
     * Runs the locking read of one row with arguments for its placeholders and maps it, as
     * {@link RowLockQuery#fetchOne(Connection, RowMapper)} does with these values.
     *
     * @param connection a connection inside a transaction (auto-commit off)
     * @param mapper maps the row
     * @param arguments one per placeholder, in the order of the {@code ?} in {@link #toSql()}
     * @param <T> the row type
     * @return the mapped row, or empty when there is none (or it was skipped)
     * @throws IllegalArgumentException as {@link #fetch(Connection, Object...)}
     * @throws NullPointerException if the connection, the mapper or the array is {@code null}, naming it
     * @throws IllegalStateException if the connection is in auto-commit mode or more than one row matched
     * @throws dev.latchkey.LockNotAvailableException with {@code nowait()}, when the row is held
     * @throws dev.latchkey.LockWaitTimeoutException when the lock wait timed out
     * @throws dev.latchkey.jdbc.error.JdbcException any other database error
     */
    public <T> @NotNull Optional<T> fetchOne(@NotNull Connection connection, @NotNull RowMapper<T> mapper,
                                             @NotNull Object... arguments) {
        return LockingRead.one(spec, fetch(connection, mapper, arguments));
    }

    private <T> List<T> run(Connection connection, RowMapper<T> mapper, Object[] args) {
        Objects.requireNonNull(connection, "connection");
        Object[] values = arguments.bind(args);
        Session session = Session.on(connection, ctx.errors());
        List<Object> params = Arrays.asList(values);
        if (spec.keys() != null && keyCount == 0) {
            LockingRead.requireTransaction(session, spec);
            return List.of();
        }
        List<Object> keys = keysTakeArguments ? params.subList(0, keyCount) : spec.keyList();
        return LockingRead.run(ctx, lockSql, spec, session, rendered.sql, params, keys,
                () -> spec.describe(keys), mapper);
    }

    /**
     * Returns how many arguments the {@code fetch} methods take: one per placeholder.
     *
     * @return the number of arguments
     */
    public int argumentCount() {
        return arguments.count();
    }

    /**
     * The statement this query runs, with {@code ?} for every value and argument.
     *
     * @return the SQL
     */
    public @NotNull String toSql() {
        return rendered.sql;
    }

    @Override
    public @NotNull String toString() {
        return "PreparedRowLockQuery[" + rendered.sql + ", " + arguments.count() + " argument(s)]";
    }
}

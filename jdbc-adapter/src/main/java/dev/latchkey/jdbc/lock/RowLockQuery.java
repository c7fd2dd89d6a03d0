package dev.latchkey.jdbc.lock;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.dialect.Identifiers;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.lock.RowLockSpec.OrderTerm;
import dev.latchkey.jdbc.sql.Condition;
import dev.latchkey.jdbc.sql.Expression;
import org.jetbrains.annotations.NotNull;

/**
 * A locking read of one table: {@code SELECT .. FOR UPDATE} (or {@code FOR NO KEY UPDATE},
 * {@code FOR SHARE}), by key, by several keys, or by conditions, with a wait policy
 * ({@code NOWAIT}, {@code SKIP LOCKED}, a lock timeout) and an optional limit. Obtain one from
 * {@code latchkey.lock("product")}.
 *
 * <pre>{@code
 * Optional<LockedRow> row = latchkey.lock("product").key(42).forUpdate().fetchOne(tx);
 * List<LockedRow> rows = latchkey.lock("product").keys(3, 1, 2).nowait().fetch(tx);
 * List<Job> jobs = latchkey.lock("job").where("status", "ready").orderBy("run_at").claim(10)
 *         .fetch(tx, rs -> new Job(rs.getLong("id"), rs.getString("payload")));
 * }</pre>
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li>Immutable and thread-safe: every step returns a new value, so a prepared query can live
 *       in a static field.</li>
 *   <li>Deterministic lock order: several keys are sorted and de-duplicated, and every
 *       statement that can return more than one row ends with {@code ORDER BY} (the requested
 *       order, then the key), so two transactions locking overlapping sets of rows through this
 *       class take the locks in the same order and cannot deadlock on them.</li>
 *   <li>Values are bound; the table and column names are validated identifiers.</li>
 *   <li>An option the database cannot honour is refused when it is chosen, with an
 *       {@link UnsupportedOperationException} naming the dialect (FOR NO KEY UPDATE outside
 *       PostgreSQL, FOR SHARE on H2, SKIP LOCKED before MariaDB 10.6); contradictory options
 *       ({@code nowait()} with {@code skipLocked()}, a timeout with either) are refused with
 *       {@link IllegalArgumentException}.</li>
 * </ul>
 *
 * <p><b>Running it.</b> {@code fetch} runs on the caller's connection, which must be inside a
 * transaction (the locks last until it ends): a connection in auto-commit mode is refused with
 * {@link IllegalStateException} when the statement would run. A held row makes {@code nowait()}
 * fail with {@link dev.latchkey.LockNotAvailableException}; an expired lock wait fails with
 * {@link dev.latchkey.LockWaitTimeoutException}; both carry the table, the keys and the time
 * waited. Other failures are translated as by {@link dev.latchkey.jdbc.error.SqlErrorTranslator}.
 * On PostgreSQL any failure aborts the transaction: let the runner roll it back (and retry).
 */
public final class RowLockQuery extends LockingRead {
    private static final Set<String> OPERATORS = Set.of("=", "<>", "!=", "<", "<=", ">", ">=");

    private RowLockQuery(JdbcContext ctx, LockSql lockSql, RowLockSpec spec) {
        super(ctx, lockSql, spec);
    }

    /**
     * A locking read of a table: all rows, {@code FOR UPDATE}, waiting, key column {@code id}.
     *
     * @param ctx the context: its dialect renders the statement, its listener is told about every
     *        lock request, its nano clock times the wait
     * @param table the table, {@code name} or {@code schema.name}
     * @return the query
     * @throws IllegalArgumentException if the table name is not a valid identifier
     */
    public static @NotNull RowLockQuery of(@NotNull JdbcContext ctx, @NotNull String table) {
        Objects.requireNonNull(ctx, "ctx");
        Identifiers.require("table", table);
        return new RowLockQuery(ctx, LockSql.of(ctx.dialect()), RowLockSpec.of(table));
    }

    private RowLockQuery with(RowLockSpec next) {
        return new RowLockQuery(ctx, lockSql, next);
    }

    /** The next spec, once the database is known to honour its lock options. */
    private RowLockQuery withSupported(RowLockSpec next) {
        lockSql.requireSupport(next.strength(), next.waitPolicy(), next.timeout());
        return with(next);
    }

    // ---- what to lock -----------------------------------------------------------------------

    /**
     * The key column (default {@code id}): what {@link #key}/{@link #keys} match, the last
     * {@code ORDER BY} term, and what {@link LockedRow#key()} returns.
     *
     * @param column the column name
     * @return a new query
     * @throws IllegalArgumentException if the name is not a valid identifier
     */
    public @NotNull RowLockQuery keyColumn(@NotNull String column) {
        Identifiers.require("keyColumn", column);
        return with(spec.withKeyColumn(column));
    }

    /**
     * The columns to read (default all, {@code *}); the key column is always read.
     *
     * @param columns the column names
     * @return a new query
     * @throws IllegalArgumentException if a name is not a valid identifier (or {@code null})
     * @throws NullPointerException if the array is {@code null}; the message is {@code columns}
     */
    public @NotNull RowLockQuery columns(@NotNull String... columns) {
        List<String> list = new ArrayList<>(Objects.requireNonNull(columns, "columns").length);
        for (String c : columns) {
            list.add(Identifiers.require("column", c));
        }
        return with(spec.withColumns(list));
    }

    /**
     * Locks the row with one key ({@code WHERE id = ?}); read it with {@link #fetchOne(Connection)}.
     * Replaces any keys set before.
     *
     * @param key the key value, bound as a parameter, or a {@code param()} placeholder for {@link #prepare()}
     * @return a new query
     * @throws IllegalArgumentException if the key is {@code null}
     */
    public @NotNull RowLockQuery key(@NotNull Object key) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
        return with(spec.withKeys(List.of(key), true));
    }

    /**
     * Locks the rows with these keys ({@code WHERE id IN (..) ORDER BY id}), sorted and
     * de-duplicated so the lock order is the same in every transaction. Replaces any keys set
     * before. No keys: {@code fetch} returns an empty list without running a statement.
     *
     * @param keys the key values, mutually comparable (all {@code Long}, all {@code String}...), or
     *        all {@code param()} placeholders for {@link #prepare()} (kept in the order given)
     * @return a new query
     * @throws IllegalArgumentException if a key is {@code null}, the keys cannot be ordered, or
     *         values and placeholders are mixed
     * @throws NullPointerException if the array is {@code null}; the message is {@code keys}
     */
    public @NotNull RowLockQuery keys(@NotNull Object... keys) {
        return keys(Arrays.asList(Objects.requireNonNull(keys, "keys")));
    }

    /**
     * Locks the rows with these keys; see {@link #keys(Object...)}.
     *
     * @param keys the key values, mutually comparable
     * @return a new query
     * @throws IllegalArgumentException if a key is {@code null} or the keys cannot be ordered
     */
    public @NotNull RowLockQuery keys(@NotNull Collection<?> keys) {
        return with(spec.withKeys(RowLockSpec.sortedDistinct(keys), false));
    }

    /**
     * Adds a condition (ANDed with the others and the keys), in the condition language of the
     * update builders: {@code where(col("stock").lt(5))}, {@code where(col("a").eq(1).or(col("b").isNull()))}.
     * Values are bound; column names are validated.
     *
     * @param condition the condition, e.g. from {@code Expressions.col(..)}
     * @return a new query
     */
    public @NotNull RowLockQuery where(@NotNull Condition condition) {
        return with(spec.and(Objects.requireNonNull(condition, "condition")));
    }

    /**
     * Adds the condition {@code column = ?} (ANDed with the others and the keys); short for
     * {@code where(col(column).eq(value))}.
     *
     * @param column the column name
     * @param value the value, bound; not {@code null} (use {@link #whereNull(String)})
     * @return a new query
     * @throws IllegalArgumentException if the column is not a valid column name or the value is {@code null}
     */
    public @NotNull RowLockQuery where(@NotNull String column, @NotNull Object value) {
        return where(column, "=", value);
    }

    /**
     * Adds the condition {@code column <operator> ?} (ANDed with the others and the keys); short
     * for {@code where(col(column).lt(value))} and its siblings.
     *
     * @param column the column name
     * @param operator one of {@code = <> != < <= > >=} ({@code !=} is rendered {@code <>})
     * @param value the value, bound; not {@code null}
     * @return a new query
     * @throws IllegalArgumentException if the column is not a valid column name, the operator is
     *         not one of those (or {@code null}), or the value is {@code null}
     */
    public @NotNull RowLockQuery where(@NotNull String column, @NotNull String operator, @NotNull Object value) {
        Expression c = Expression.column(column);
        if (operator == null || !OPERATORS.contains(operator)) {
            throw new IllegalArgumentException("operator must be one of " + new TreeSet<>(OPERATORS)
                    + ": operator=" + operator);
        }
        if (value == null) {
            throw new IllegalArgumentException("value must not be null (use whereNull(\"" + column + "\")): column="
                    + column);
        }
        switch (operator) {
            case "=":
                return where(c.eq(value));
            case "<":
                return where(c.lt(value));
            case "<=":
                return where(c.le(value));
            case ">":
                return where(c.gt(value));
            case ">=":
                return where(c.ge(value));
            default:
                return where(c.ne(value));
        }
    }

    /**
     * Adds the condition {@code column IS NULL}; short for {@code where(col(column).isNull())}.
     *
     * @param column the column name
     * @return a new query
     * @throws IllegalArgumentException if the column is not a valid column name
     */
    public @NotNull RowLockQuery whereNull(@NotNull String column) {
        return where(Expression.column(column).isNull());
    }

    /**
     * Adds the condition {@code column IS NOT NULL}; short for {@code where(col(column).isNotNull())}.
     *
     * @param column the column name
     * @return a new query
     * @throws IllegalArgumentException if the column is not a valid column name
     */
    public @NotNull RowLockQuery whereNotNull(@NotNull String column) {
        return where(Expression.column(column).isNotNull());
    }

    /**
     * Orders the rows (and so the locks, and what {@link #limit(int)} keeps) by a column,
     * ascending, before the key column.
     *
     * @param column the column name
     * @return a new query
     * @throws IllegalArgumentException if the column is not a valid identifier
     */
    public @NotNull RowLockQuery orderBy(@NotNull String column) {
        return withOrder(column, false);
    }

    /**
     * Orders the rows by a column, descending, before the key column.
     *
     * @param column the column name
     * @return a new query
     * @throws IllegalArgumentException if the column is not a valid identifier
     */
    public @NotNull RowLockQuery orderByDescending(@NotNull String column) {
        return withOrder(column, true);
    }

    private RowLockQuery withOrder(String column, boolean descending) {
        Identifiers.require("column", column);
        return with(spec.thenBy(new OrderTerm(column, descending)));
    }

    // ---- how to lock ------------------------------------------------------------------------

    /**
     * Returns a new query locking {@code FOR UPDATE} (the default).
     *
     * @return a new query locking {@code FOR UPDATE} (the default)
     */
    public @NotNull RowLockQuery forUpdate() {
        return withStrength(LockStrength.UPDATE);
    }

    /**
     * {@code FOR NO KEY UPDATE}: exclusive, but does not block inserts of rows referencing these.
     *
     * @return a new query
     * @throws UnsupportedOperationException outside PostgreSQL
     */
    public @NotNull RowLockQuery forNoKeyUpdate() {
        return withStrength(LockStrength.NO_KEY_UPDATE);
    }

    /**
     * {@code FOR SHARE} ({@code LOCK IN SHARE MODE} on MariaDB): blocks writers, not other sharers.
     *
     * @return a new query
     * @throws UnsupportedOperationException on H2
     */
    public @NotNull RowLockQuery forShare() {
        return withStrength(LockStrength.SHARE);
    }

    private RowLockQuery withStrength(LockStrength s) {
        return withSupported(spec.withLock(s, spec.waitPolicy(), spec.timeout(), spec.limit()));
    }

    /**
     * Waits for held rows as long as the database lets it (the default): clears
     * {@code nowait()}, {@code skipLocked()} and {@code timeout()}.
     *
     * @return a new query
     */
    public @NotNull RowLockQuery waitIndefinitely() {
        return with(spec.withLock(spec.strength(), WaitPolicy.WAIT, null, spec.limit()));
    }

    /**
     * {@code NOWAIT}: fail at once with {@link dev.latchkey.LockNotAvailableException} when a row
     * is held by another transaction.
     *
     * @return a new query
     * @throws IllegalArgumentException if {@code skipLocked()} or {@code timeout()} was chosen
     * @throws UnsupportedOperationException if the database has no NOWAIT
     */
    public @NotNull RowLockQuery nowait() {
        return withSupported(spec.waiting(WaitPolicy.NOWAIT, null));
    }

    /**
     * {@code SKIP LOCKED}: leave rows held by other transactions out of the result.
     *
     * @return a new query
     * @throws IllegalArgumentException if {@code nowait()} or {@code timeout()} was chosen
     * @throws UnsupportedOperationException if the database has no SKIP LOCKED
     */
    public @NotNull RowLockQuery skipLocked() {
        return withSupported(spec.waiting(WaitPolicy.SKIP_LOCKED, null));
    }

    /**
     * Waits at most this long for held rows, then fails with
     * {@link dev.latchkey.LockWaitTimeoutException}. Rounded up to the dialect's
     * {@linkplain Dialect#lockTimeoutResolution() resolution} (1 ms; 1 s on MySQL).
     * PostgreSQL: {@code lock_timeout} set for the statement; MariaDB: the statement's
     * {@code max_statement_time} (so the limit covers the whole statement) and {@code WAIT n};
     * H2: {@code WAIT n.nnn}; MySQL: {@code innodb_lock_wait_timeout}, put back afterwards.
     *
     * @param timeout at least one millisecond, at most what the database accepts: 2147483647 ms
     *        (about 24.8 days) on PostgreSQL ({@code lock_timeout}) and H2 ({@code WAIT}), one year
     *        on MariaDB ({@code max_statement_time}), 1073741824 s on MySQL
     *        ({@code innodb_lock_wait_timeout})
     * @return a new query
     * @throws IllegalArgumentException if the timeout is under 1 ms or over the database's limit
     *         (the message names the limit and the dialect), or {@code nowait()} or
     *         {@code skipLocked()} was chosen
     * @throws UnsupportedOperationException if the database has no lock timeout
     */
    public @NotNull RowLockQuery timeout(@NotNull Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("timeout must be at least 1 ms (use nowait() not to wait): timeout="
                    + timeout);
        }
        return withSupported(spec.waiting(WaitPolicy.WAIT, timeout));
    }

    /**
     * Locks at most {@code n} rows, the first in the query's order ({@code ORDER BY .. LIMIT n}).
     *
     * @param n at least 1
     * @return a new query
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public @NotNull RowLockQuery limit(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("limit must be >= 1: limit=" + n);
        }
        return with(spec.withLock(spec.strength(), spec.waitPolicy(), spec.timeout(), n));
    }

    /**
     * Claims up to {@code n} rows of a work queue: {@code ORDER BY .. LIMIT n FOR UPDATE SKIP
     * LOCKED}. Rows other workers hold are skipped, so concurrent workers each get different rows
     * and never wait for each other. Keeps the lock strength chosen before (default
     * {@code FOR UPDATE}).
     *
     * @param n at least 1
     * @return a new query
     * @throws IllegalArgumentException if {@code n < 1}, or {@code nowait()} or {@code timeout()} was chosen
     * @throws UnsupportedOperationException if the database has no SKIP LOCKED
     */
    public @NotNull RowLockQuery claim(int n) {
        return limit(n).skipLocked();
    }

    @Override
    public String toString() {
        return "RowLockQuery[" + sql() + "]";
    }
}

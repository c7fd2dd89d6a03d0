package dev.latchkey.jdbc.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.latchkey.jdbc.error.SqlErrorTranslator;
import dev.latchkey.ConcurrencyListener;
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.dialect.Identifiers;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.Statements;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

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
public final class RowLockQuery {
    private static final Set<String> OPERATORS = Set.of("=", "<>", "!=", "<", "<=", ">", ">=");

    private final Dialect dialect;
    private final ConcurrencyListener listener;
    private final String table;
    private final String keyColumn;
    private final List<String> columns;
    /** Sorted, distinct; {@code null} when the query is not restricted by key. */
    private final @Nullable List<Object> keys;
    private final boolean singleKey;
    private final List<Condition> conditions;
    private final List<OrderTerm> order;
    private final LockStrength strength;
    private final WaitPolicy wait;
    private final @Nullable Duration timeout;
    private final int limit;

    private RowLockQuery(Dialect dialect, ConcurrencyListener listener, String table, String keyColumn,
                         List<String> columns, @Nullable List<Object> keys, boolean singleKey,
                         List<Condition> conditions, List<OrderTerm> order, LockStrength strength, WaitPolicy wait,
                         @Nullable Duration timeout, int limit) {
        this.dialect = dialect;
        this.listener = listener;
        this.table = table;
        this.keyColumn = keyColumn;
        this.columns = columns;
        this.keys = keys;
        this.singleKey = singleKey;
        this.conditions = conditions;
        this.order = order;
        this.strength = strength;
        this.wait = wait;
        this.timeout = timeout;
        this.limit = limit;
    }

    /**
     * A locking read of a table: all rows, {@code FOR UPDATE}, waiting, key column {@code id}.
     *
     * @param dialect the database's dialect
     * @param listener told about every lock request
     * @param table the table, {@code name} or {@code schema.name}
     * @return the query
     * @throws IllegalArgumentException if the table name is not a valid identifier
     */
    public static @NotNull RowLockQuery of(@NotNull Dialect dialect, @NotNull ConcurrencyListener listener,
                                           @NotNull String table) {
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(listener, "listener");
        Identifiers.require("table", table);
        return new RowLockQuery(dialect, listener, table, "id", List.of(), null, false, List.of(), List.of(),
                LockStrength.UPDATE, WaitPolicy.WAIT, null, 0);
    }

    /**
     * A locking read of a table for a Latchkey's context; see {@link #of(Dialect, ConcurrencyListener, String)}.
     *
     * @param ctx the context
     * @param table the table, {@code name} or {@code schema.name}
     * @return the query
     * @throws IllegalArgumentException if the table name is not a valid identifier
     */
    public static @NotNull RowLockQuery of(@NotNull JdbcContext ctx, @NotNull String table) {
        return of(ctx.dialect(), ctx.listener(), table);
    }

    private RowLockQuery with(String keyColumn, List<String> columns, @Nullable List<Object> keys, boolean singleKey,
                              List<Condition> conditions, List<OrderTerm> order) {
        return new RowLockQuery(dialect, listener, table, keyColumn, columns, keys, singleKey, conditions, order,
                strength, wait, timeout, limit);
    }

    private RowLockQuery with(LockStrength strength, WaitPolicy wait, @Nullable Duration timeout, int limit) {
        return new RowLockQuery(dialect, listener, table, keyColumn, columns, keys, singleKey, conditions, order,
                strength, wait, timeout, limit);
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
        return with(column, columns, keys, singleKey, conditions, order);
    }

    /**
     * The columns to read (default all, {@code *}); the key column is always read.
     *
     * @param columns the column names
     * @return a new query
     * @throws IllegalArgumentException if a name is not a valid identifier
     */
    public @NotNull RowLockQuery columns(@NotNull String... columns) {
        List<String> list = new ArrayList<>(columns.length);
        for (String c : columns) {
            list.add(Identifiers.require("column", c));
        }
        return with(keyColumn, List.copyOf(list), keys, singleKey, conditions, order);
    }

    /**
     * Locks the row with one key ({@code WHERE id = ?}); read it with {@link #fetchOne(Connection)}.
     * Replaces any keys set before.
     *
     * @param key the key value, bound as a parameter
     * @return a new query
     * @throws IllegalArgumentException if the key is {@code null}
     */
    public @NotNull RowLockQuery key(@NotNull Object key) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
        return with(keyColumn, columns, List.of(key), true, conditions, order);
    }

    /**
     * Locks the rows with these keys ({@code WHERE id IN (..) ORDER BY id}), sorted and
     * de-duplicated so the lock order is the same in every transaction. Replaces any keys set
     * before. No keys: {@code fetch} returns an empty list without running a statement.
     *
     * @param keys the key values, mutually comparable (all {@code Long}, all {@code String}...)
     * @return a new query
     * @throws IllegalArgumentException if a key is {@code null} or the keys cannot be ordered
     */
    public @NotNull RowLockQuery keys(@NotNull Object... keys) {
        return keys(Arrays.asList(keys));
    }

    /**
     * Locks the rows with these keys; see {@link #keys(Object...)}.
     *
     * @param keys the key values, mutually comparable
     * @return a new query
     * @throws IllegalArgumentException if a key is {@code null} or the keys cannot be ordered
     */
    public @NotNull RowLockQuery keys(@NotNull Collection<?> keys) {
        return with(keyColumn, columns, sortedDistinct(keys), false, conditions, order);
    }

    /**
     * Adds the condition {@code column = ?} (ANDed with the others and the keys).
     *
     * @param column the column name
     * @param value the value, bound; not {@code null} (use {@link #whereNull(String)})
     * @return a new query
     * @throws IllegalArgumentException if the column is not a valid identifier or the value is {@code null}
     */
    public @NotNull RowLockQuery where(@NotNull String column, @NotNull Object value) {
        return where(column, "=", value);
    }

    /**
     * Adds the condition {@code column <operator> ?} (ANDed with the others and the keys).
     *
     * @param column the column name
     * @param operator one of {@code = <> != < <= > >=}
     * @param value the value, bound; not {@code null}
     * @return a new query
     * @throws IllegalArgumentException if the column is not a valid identifier, the operator is
     *         not one of those, or the value is {@code null}
     */
    public @NotNull RowLockQuery where(@NotNull String column, @NotNull String operator, @NotNull Object value) {
        Identifiers.require("column", column);
        if (!OPERATORS.contains(operator)) {
            throw new IllegalArgumentException("operator must be one of " + new java.util.TreeSet<>(OPERATORS)
                    + ": operator=" + operator);
        }
        if (value == null) {
            throw new IllegalArgumentException("value must not be null (use whereNull(\"" + column + "\")): column="
                    + column);
        }
        return withCondition(new Condition(column, " " + operator + " ?", value));
    }

    /**
     * Adds the condition {@code column IS NULL}.
     *
     * @param column the column name
     * @return a new query
     * @throws IllegalArgumentException if the column is not a valid identifier
     */
    public @NotNull RowLockQuery whereNull(@NotNull String column) {
        Identifiers.require("column", column);
        return withCondition(new Condition(column, " IS NULL", null));
    }

    /**
     * Adds the condition {@code column IS NOT NULL}.
     *
     * @param column the column name
     * @return a new query
     * @throws IllegalArgumentException if the column is not a valid identifier
     */
    public @NotNull RowLockQuery whereNotNull(@NotNull String column) {
        Identifiers.require("column", column);
        return withCondition(new Condition(column, " IS NOT NULL", null));
    }

    private RowLockQuery withCondition(Condition c) {
        List<Condition> list = new ArrayList<>(conditions);
        list.add(c);
        return with(keyColumn, columns, keys, singleKey, List.copyOf(list), order);
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
        List<OrderTerm> list = new ArrayList<>(order);
        list.add(new OrderTerm(column, descending));
        return with(keyColumn, columns, keys, singleKey, conditions, List.copyOf(list));
    }

    // ---- how to lock ------------------------------------------------------------------------

    /** @return a new query locking {@code FOR UPDATE} (the default) */
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
        dialect.requireLockSupport(s, wait, timeout);
        return with(s, wait, timeout, limit);
    }

    /**
     * Waits for held rows as long as the database lets it (the default): clears
     * {@code nowait()}, {@code skipLocked()} and {@code timeout()}.
     *
     * @return a new query
     */
    public @NotNull RowLockQuery waitIndefinitely() {
        return with(strength, WaitPolicy.WAIT, null, limit);
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
        if (wait == WaitPolicy.SKIP_LOCKED) {
            throw new IllegalArgumentException("nowait() cannot be combined with skipLocked()");
        }
        if (timeout != null) {
            throw new IllegalArgumentException("nowait() cannot be combined with timeout(" + timeout + ")");
        }
        dialect.requireLockSupport(strength, WaitPolicy.NOWAIT, null);
        return with(strength, WaitPolicy.NOWAIT, null, limit);
    }

    /**
     * {@code SKIP LOCKED}: leave rows held by other transactions out of the result.
     *
     * @return a new query
     * @throws IllegalArgumentException if {@code nowait()} or {@code timeout()} was chosen
     * @throws UnsupportedOperationException if the database has no SKIP LOCKED
     */
    public @NotNull RowLockQuery skipLocked() {
        if (wait == WaitPolicy.NOWAIT) {
            throw new IllegalArgumentException("skipLocked() cannot be combined with nowait()");
        }
        if (timeout != null) {
            throw new IllegalArgumentException("skipLocked() cannot be combined with timeout(" + timeout + ")");
        }
        dialect.requireLockSupport(strength, WaitPolicy.SKIP_LOCKED, null);
        return with(strength, WaitPolicy.SKIP_LOCKED, null, limit);
    }

    /**
     * Waits at most this long for held rows, then fails with
     * {@link dev.latchkey.LockWaitTimeoutException}. Rounded up to the dialect's
     * {@linkplain Dialect#lockTimeoutResolution() resolution} (1 ms; 1 s on MySQL).
     * PostgreSQL: {@code lock_timeout} set for the statement; MariaDB: the statement's
     * {@code max_statement_time} (so the limit covers the whole statement) and {@code WAIT n};
     * H2: {@code WAIT n.nnn}; MySQL: {@code innodb_lock_wait_timeout}, put back afterwards.
     *
     * @param timeout at least one millisecond
     * @return a new query
     * @throws IllegalArgumentException if the timeout is under 1 ms, or {@code nowait()} or
     *         {@code skipLocked()} was chosen
     * @throws UnsupportedOperationException if the database has no lock timeout
     */
    public @NotNull RowLockQuery timeout(@NotNull Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("timeout must be at least 1 ms (use nowait() not to wait): timeout="
                    + timeout);
        }
        if (wait == WaitPolicy.NOWAIT) {
            throw new IllegalArgumentException("timeout() cannot be combined with nowait()");
        }
        if (wait == WaitPolicy.SKIP_LOCKED) {
            throw new IllegalArgumentException("timeout() cannot be combined with skipLocked()");
        }
        dialect.requireLockSupport(strength, WaitPolicy.WAIT, timeout);
        return with(strength, WaitPolicy.WAIT, timeout, limit);
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
        return with(strength, wait, timeout, n);
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

    // ---- reading it back --------------------------------------------------------------------

    /** @return the table */
    public @NotNull String table() {
        return table;
    }

    /** @return the key column */
    public @NotNull String keyColumn() {
        return keyColumn;
    }

    /** @return the keys, sorted and distinct, or an empty list when not restricted by key */
    public @NotNull List<Object> keys() {
        return keys == null ? List.of() : keys;
    }

    /** @return the lock strength */
    public @NotNull LockStrength strength() {
        return strength;
    }

    /** @return the wait policy */
    public @NotNull WaitPolicy waitPolicy() {
        return wait;
    }

    /** @return the lock timeout, or empty for none */
    public @NotNull Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** @return the row limit, or 0 for none */
    public int limit() {
        return limit;
    }

    /**
     * The statement this query runs, with {@code ?} placeholders, in this dialect. A lock
     * timeout that the statement cannot carry is applied by separate statements around it (see
     * {@link Dialect#applyLockTimeout(Connection, Duration)}).
     *
     * @return the SQL
     */
    public @NotNull String sql() {
        StringBuilder select = new StringBuilder(96).append("SELECT ");
        if (columns.isEmpty()) {
            select.append('*');
        } else {
            boolean hasKey = false;
            for (String c : columns) {
                hasKey |= c.equalsIgnoreCase(keyColumn);
            }
            if (!hasKey) {
                select.append(dialect.identifier("keyColumn", keyColumn)).append(", ");
            }
            for (int i = 0; i < columns.size(); i++) {
                select.append(i == 0 ? "" : ", ").append(dialect.identifier("column", columns.get(i)));
            }
        }
        select.append(" FROM ").append(dialect.identifier("table", table));
        String and = " WHERE ";
        if (keys != null) {
            select.append(and).append(dialect.identifier("keyColumn", keyColumn));
            if (singleKey) {
                select.append(" = ?");
            } else {
                select.append(" IN (");
                for (int i = 0; i < keys.size(); i++) {
                    select.append(i == 0 ? "?" : ", ?");
                }
                select.append(')');
            }
            and = " AND ";
        }
        for (Condition c : conditions) {
            select.append(and).append(dialect.identifier("column", c.column)).append(c.predicate);
            and = " AND ";
        }
        if (!singleKey) {
            select.append(" ORDER BY ");
            boolean keyOrdered = false;
            for (OrderTerm t : order) {
                select.append(dialect.identifier("column", t.column)).append(t.descending ? " DESC" : "").append(", ");
                keyOrdered |= t.column.equalsIgnoreCase(keyColumn);
            }
            if (keyOrdered) {
                select.setLength(select.length() - 2);
            } else {
                select.append(dialect.identifier("keyColumn", keyColumn));
            }
        }
        if (limit > 0) {
            select.append(" LIMIT ?");
        }
        return dialect.lockingSelect(select.toString(), strength, wait, timeout);
    }

    private List<Object> parameters() {
        List<Object> params = new ArrayList<>();
        if (keys != null) {
            params.addAll(keys);
        }
        for (Condition c : conditions) {
            if (c.value != null) {
                params.add(c.value);
            }
        }
        if (limit > 0) {
            params.add(limit);
        }
        return params;
    }

    // ---- running it -------------------------------------------------------------------------

    /**
     * Runs the locking read on the caller's connection and returns the locked rows, in the
     * query's order. Rows skipped by {@code skipLocked()} and keys with no row are absent.
     *
     * @param connection a connection inside a transaction (auto-commit off)
     * @return the locked rows; held until the transaction ends
     * @throws IllegalStateException if the connection is in auto-commit mode
     * @throws dev.latchkey.LockNotAvailableException with {@code nowait()}, when a row is held
     * @throws dev.latchkey.LockWaitTimeoutException when the lock wait timed out
     * @throws dev.latchkey.ConcurrencyException another concurrency failure (e.g. a deadlock)
     * @throws dev.latchkey.jdbc.error.JdbcException any other database error
     */
    public @NotNull List<LockedRow> fetch(@NotNull Connection connection) {
        return run(connection, LockedRow.reader(keyColumn));
    }

    /**
     * Runs the locking read and maps each locked row.
     *
     * @param connection a connection inside a transaction (auto-commit off)
     * @param mapper maps the current row; must not move the cursor
     * @param <T> the row type
     * @return the mapped rows, in the query's order
     * @throws IllegalStateException if the connection is in auto-commit mode
     * @throws dev.latchkey.LockNotAvailableException with {@code nowait()}, when a row is held
     * @throws dev.latchkey.LockWaitTimeoutException when the lock wait timed out
     * @throws dev.latchkey.jdbc.error.JdbcException any other database error
     * @see #fetch(Connection)
     */
    public <T> @NotNull List<T> fetch(@NotNull Connection connection, @NotNull RowMapper<T> mapper) {
        return run(connection, Objects.requireNonNull(mapper, "mapper"));
    }

    /**
     * Runs the locking read of one row, as set by {@link #key(Object)} (or any query expected
     * to match at most one row).
     *
     * @param connection a connection inside a transaction (auto-commit off)
     * @return the locked row, or empty when there is none (or it was skipped)
     * @throws IllegalStateException if the connection is in auto-commit mode or more than one row matched
     * @throws dev.latchkey.LockNotAvailableException with {@code nowait()}, when the row is held
     * @throws dev.latchkey.LockWaitTimeoutException when the lock wait timed out
     * @throws dev.latchkey.jdbc.error.JdbcException any other database error
     */
    public @NotNull Optional<LockedRow> fetchOne(@NotNull Connection connection) {
        return one(fetch(connection));
    }

    /**
     * Runs the locking read of one row and maps it.
     *
     * @param connection a connection inside a transaction (auto-commit off)
     * @param mapper maps the row
     * @param <T> the row type
     * @return the mapped row, or empty when there is none (or it was skipped)
     * @throws IllegalStateException if the connection is in auto-commit mode or more than one row matched
     * @see #fetchOne(Connection)
     */
    public <T> @NotNull Optional<T> fetchOne(@NotNull Connection connection, @NotNull RowMapper<T> mapper) {
        return one(fetch(connection, mapper));
    }

    private <T> Optional<T> one(List<T> rows) {
        if (rows.size() > 1) {
            throw new IllegalStateException("expected at most one row of " + table + " but locked " + rows.size()
                    + "; use fetch() for several rows");
        }
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private <T> List<T> run(Connection connection, RowMapper<T> mapper) {
        Objects.requireNonNull(connection, "connection");
        String sql = sql();
        LockFailures.requireTransaction(connection, dialect, "SELECT ... " + strength.sql());
        if (keys != null && keys.isEmpty()) {
            return List.of();
        }
        List<Object> params = parameters();
        Dialect.LockTimeoutSetting setting;
        try {
            setting = dialect.applyLockTimeout(connection, timeout);
        } catch (SQLException e) {
            throw SqlErrorTranslator.forProduct(dialect.product()).translate(e);
        }
        List<T> rows = new ArrayList<>();
        long start = System.nanoTime();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            Statements.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(Objects.requireNonNull(mapper.map(rs), "the row mapper returned null"));
                }
            }
        } catch (SQLException e) {
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            RuntimeException failure = LockFailures.translate(dialect, e, describe(), table, keys(), wait, timeout,
                    waited);
            LockFailures.notifyLockWait(listener, table, keys(), waited, false);
            try {
                setting.restore(false);
            } catch (SQLException | RuntimeException restoreFailure) {
                failure.addSuppressed(restoreFailure);
            }
            throw failure;
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        try {
            setting.restore(true);
        } catch (SQLException e) {
            throw SqlErrorTranslator.forProduct(dialect.product()).translate(e);
        }
        LockFailures.notifyLockWait(listener, table, keys(), waited, true);
        return rows;
    }

    private String describe() {
        StringBuilder d = new StringBuilder(singleKey ? "row of " : "rows of ").append(table);
        String and = " where ";
        if (keys != null) {
            d.append(and).append(keyColumn).append(singleKey ? " = " + keys.get(0) : " in " + keys);
            and = " and ";
        }
        for (Condition c : conditions) {
            d.append(and).append(c.column).append(c.predicate);
            and = " and ";
        }
        return d.toString();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Object> sortedDistinct(Collection<?> keys) {
        Objects.requireNonNull(keys, "keys");
        List<Object> list = new ArrayList<>(keys.size());
        for (Object k : keys) {
            if (k == null) {
                throw new IllegalArgumentException("keys must not contain null: keys=" + keys);
            }
            if (!(k instanceof Comparable)) {
                throw new IllegalArgumentException("keys must be Comparable so they can be locked in one order: "
                        + k.getClass().getName());
            }
            list.add(k);
        }
        try {
            list.sort((a, b) -> ((Comparable) a).compareTo(b));
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("keys must be mutually comparable (one type) so they can be locked "
                    + "in one order: keys=" + keys, e);
        }
        List<Object> distinct = new ArrayList<>(list.size());
        for (Object k : list) {
            if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(k)) {
                distinct.add(k);
            }
        }
        return List.copyOf(distinct);
    }

    @Override
    public String toString() {
        return "RowLockQuery[" + sql() + "]";
    }

    /** One {@code WHERE} term: a validated column, a fixed predicate, an optional bound value. */
    private static final class Condition {
        final String column;
        final String predicate;
        final @Nullable Object value;

        Condition(String column, String predicate, @Nullable Object value) {
            this.column = column;
            this.predicate = predicate;
            this.value = value;
        }
    }

    /** One {@code ORDER BY} term. */
    private static final class OrderTerm {
        final String column;
        final boolean descending;

        OrderTerm(String column, boolean descending) {
            this.column = column;
            this.descending = descending;
        }
    }
}

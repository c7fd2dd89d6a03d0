package dev.latchkey.jdbc.lock;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import dev.latchkey.ConcurrencyListener;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.Session;
import dev.latchkey.jdbc.lock.LockSql.LockTimeoutSetting;
import dev.latchkey.jdbc.sql.Expression;
import org.jetbrains.annotations.NotNull;

/**
 * The reading and running half of {@link RowLockQuery}: what the query has been told, its SQL,
 * and the {@code fetch} methods, which run it on the caller's connection. Its public methods are
 * documented as {@link RowLockQuery}'s; this class only keeps that file to one concern (building
 * the query) and under 400 lines. Immutable.
 */
abstract class LockingRead {
    final JdbcContext ctx;
    final LockSql lockSql;
    final RowLockSpec spec;

    LockingRead(JdbcContext ctx, LockSql lockSql, RowLockSpec spec) {
        this.ctx = ctx;
        this.lockSql = lockSql;
        this.spec = spec;
    }

    // ---- reading it back --------------------------------------------------------------------

    /**
     * Returns the table.
     *
     * @return the table
     */
    public @NotNull String table() {
        return spec.table();
    }

    /**
     * Returns the key column.
     *
     * @return the key column
     */
    public @NotNull String keyColumn() {
        return spec.keyColumn();
    }

    /**
     * Returns the keys, sorted and distinct, or an empty list when not restricted by key.
     *
     * @return the keys, sorted and distinct, or an empty list when not restricted by key
     */
    public @NotNull List<Object> keys() {
        return spec.keyList();
    }

    /**
     * Returns the lock strength.
     *
     * @return the lock strength
     */
    public @NotNull LockStrength strength() {
        return spec.strength();
    }

    /**
     * Returns the wait policy.
     *
     * @return the wait policy
     */
    public @NotNull WaitPolicy waitPolicy() {
        return spec.waitPolicy();
    }

    /**
     * Returns the lock timeout, or empty for none.
     *
     * @return the lock timeout, or empty for none
     */
    public @NotNull Optional<Duration> timeout() {
        return Optional.ofNullable(spec.timeout());
    }

    /**
     * Returns the row limit, or 0 for none.
     *
     * @return the row limit, or 0 for none
     */
    public int limit() {
        return spec.limit();
    }

    /**
     * The statement this query runs, with {@code ?} placeholders, in this dialect. A lock
     * timeout that the statement cannot carry is applied by separate statements around it (see
     * {@link RowLockQuery#timeout(Duration)}).
     *
     * @return the SQL
     */
    public @NotNull String sql() {
        return RenderedRowLock.of(spec, ctx.dialect(), lockSql).sql;
    }

    /**
     * Renders this query once for repeated locking reads with new values: every {@code param()}
     * placeholder ({@code dev.latchkey.jdbc.update.Expressions.param()}) given to
     * {@link RowLockQuery#key(Object) key}, {@link RowLockQuery#keys(Object...) keys} or a
     * condition becomes an argument of the prepared query's {@code fetch} methods, in the order of
     * the {@code ?} in the SQL (keys first, then the conditions' values):
     *
     * <pre>{@code
     * PreparedRowLockQuery claim = latchkey.lock("job").where("status", param(String.class)).claim(10).prepare();
     * List<LockedRow> jobs = claim.fetch(tx, "ready");
     * }</pre>
     *
     * <p>Values given directly stay bound as they are. Renderings are cached by the query's shape
     * (bounded: 512 shapes), so preparing costs no statement and, for a shape rendered before, no
     * rendering; the result is immutable and thread-safe, to keep in a field.
     *
     * @return the prepared query
     */
    public @NotNull PreparedRowLockQuery prepare() {
        return PreparedRowLockQuery.of(ctx, lockSql, spec);
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
        return run(connection, LockedRow.reader(spec.keyColumn()));
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
     * Runs the locking read of one row, as set by {@link RowLockQuery#key(Object)} (or any query expected
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
        return one(spec, rows);
    }

    static <T> Optional<T> one(RowLockSpec spec, List<T> rows) {
        if (rows.size() > 1) {
            throw new IllegalStateException("expected at most one row of " + spec.table() + " but locked " + rows.size()
                    + "; use fetch() for several rows");
        }
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private <T> List<T> run(Connection connection, RowMapper<T> mapper) {
        Objects.requireNonNull(connection, "connection");
        Session session = Session.on(connection, ctx.errors());
        if (spec.keys() != null && spec.keys().isEmpty()) {
            requireTransaction(session, spec);
            return List.of();
        }
        RenderedRowLock rendered = RenderedRowLock.of(spec, ctx.dialect(), lockSql);
        List<Object> params = rendered.values(spec);
        for (int i = 0; i < params.size(); i++) {
            if (Expression.isPlaceholder(params.get(i))) {
                throw new IllegalArgumentException("locking read of " + spec.table() + " holds param() placeholders: "
                        + "run it with prepare().fetch(connection, arguments...), or give values instead of param()");
            }
        }
        return run(ctx, lockSql, spec, session, rendered.sql, params, spec.keyList(), spec::describe, mapper);
    }

    static void requireTransaction(Session session, RowLockSpec spec) {
        if (session.autoCommit()) {
            LockFailures.requireTransaction(session, "SELECT ... " + spec.strength().sql());
        }
    }

    /**
     * Runs a rendered locking read of a query with its values: the one path of
     * {@link RowLockQuery} and {@link PreparedRowLockQuery}.
     *
     * @param keys the keys locked, for failures and the listener
     * @param what describes what is locked, asked only when the lock fails
     */
    static <T> List<T> run(JdbcContext ctx, LockSql lockSql, RowLockSpec spec, Session session, String sql,
                           List<Object> params, List<Object> keys, Supplier<String> what, RowMapper<T> mapper) {
        requireTransaction(session, spec);
        LockTimeoutSetting setting = lockSql.applyLockTimeout(session, spec.timeout());
        LockRequest request = new LockRequest(what, spec.table(), keys, spec.waitPolicy(), spec.timeout());
        LockStatement.Result<T> result = LockStatement.run(ctx, lockSql, session, request, setting, sql, params,
                rs -> Objects.requireNonNull(mapper.map(rs), "the row mapper returned null"));
        setting.restore(true);
        ConcurrencyListener listener = ctx.listener();
        if (listener != ConcurrencyListener.NONE) {
            listener.onLockWait(spec.table(), keys, result.waited(), true);
        }
        return result.rows();
    }
}

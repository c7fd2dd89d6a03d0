package dev.latchkey.jdbc.update;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.ConcurrencyException;
import dev.latchkey.StaleVersionException;
import dev.latchkey.jdbc.error.JdbcException;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.OwnConnection;
import dev.latchkey.jdbc.internal.Session;
import dev.latchkey.jdbc.sql.Condition;
import dev.latchkey.jdbc.sql.Expression;
import dev.latchkey.lease.Lease;
import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A conditional {@code UPDATE} of one row, addressed by its key: Django's {@code F()} expressions
 * and Hibernate's {@code @Version} check, without the ORM, in one round trip.
 *
 * <pre>{@code
 * UpdateResult r = latchkey.update("product")
 *         .set("stock", col("stock").minus(qty))
 *         .whereId(productId)
 *         .require(col("stock").ge(qty))
 *         .returning("stock")
 *         .execute();
 * // UPDATE product SET stock = stock - ? WHERE id = ? AND stock >= ? RETURNING stock
 * }</pre>
 *
 * <p><b>Immutable.</b> Every method returns a new builder; a prepared one can be kept in a static
 * field and completed per call. Values are always bound; table and column names are validated
 * ({@link IllegalArgumentException} naming the bad input) and quoted by the dialect when needed.
 *
 * <p><b>Outcome.</b> {@link #execute()} returns an {@link UpdateResult}: applied, not found, or
 * guard failed. A successful update is exactly one statement. Only when it updated nothing and
 * has a guard or an expected version does one follow-up read of the row tell the outcomes apart
 * (an update with neither is "not found" without one). That read happens after the update, so it
 * describes the row as it is then.
 *
 * <p><b>Versions.</b> Declare the version column with {@link #versionColumn(String)} (numeric,
 * incremented in SQL) or {@link #timestampVersionColumn(String)} (set to the database's time); the
 * default is a numeric column {@code version}. A versioned update always bumps the version;
 * {@link #expectVersion(Object)} also requires the row to be at that version and otherwise throws
 * {@link StaleVersionException} with the actual version (or "row deleted").
 * {@link #modify(RowModifier)} wraps this in a read-modify-write loop with retry.
 *
 * <p><b>Returned values.</b> {@link #returning(String...)} uses PostgreSQL's
 * {@code UPDATE ... RETURNING} and H2's {@code SELECT ... FROM FINAL TABLE (UPDATE ...)}: still one
 * statement. MariaDB (10.11 included) and MySQL have no {@code UPDATE ... RETURNING}; there the
 * update and a {@code SELECT} of the returned columns by key run in one transaction (the caller's,
 * or a short one Latchkey opens around the two statements in auto-commit mode). The row lock taken
 * by the {@code UPDATE} is held until that transaction ends, so the {@code SELECT} reads exactly
 * the values this update wrote, the same values {@code RETURNING} gives; the cost is a second
 * statement and a commit.
 *
 * <p><b>MariaDB and MySQL.</b> Their {@code SET} assignments run left to right, each seeing the
 * ones before; Latchkey orders the assignments so the result is the standard one and refuses a
 * cycle ({@code set("a", col("b")).set("b", col("a"))}) with {@link UnsupportedOperationException}.
 * Keep Connector/J's default {@code useAffectedRows=false}: an update that matches its row but
 * changes no value must count as one row.
 */
public final class Update {
    final JdbcContext ctx;
    final UpdateSpec spec;

    private Update(JdbcContext ctx, UpdateSpec spec) {
        this.ctx = ctx;
        this.spec = spec;
    }

    /**
     * An update of a table; the same as {@code latchkey.update(table)}.
     *
     * @param ctx the context (of a {@code Latchkey}) whose data source, dialect and listener the update uses
     * @param table the table, {@code name} or {@code schema.name}
     * @return a new builder
     * @throws IllegalArgumentException naming the bad input if the table name is not valid
     */
    public static @NotNull Update table(@NotNull JdbcContext ctx, @NotNull String table) {
        Objects.requireNonNull(ctx, "ctx");
        return new Update(ctx, UpdateSpec.of(Names.table(table)));
    }

    private Update with(UpdateSpec next) {
        return new Update(ctx, next);
    }

    /**
     * Sets a column: {@code column = value}.
     *
     * @param column a plain column name
     * @param value an {@link Expression} ({@code col("stock").minus(1)}, {@code now()}), or a
     *        value to bind; {@code null} sets SQL {@code NULL}
     * @return a new builder
     * @throws IllegalArgumentException if the name is not valid, the column is already set, or the
     *         value is a {@link Condition}
     */
    public @NotNull Update set(@NotNull String column, @Nullable Object value) {
        Assignment assignment = Assignment.of("set", column, value);
        for (Assignment a : spec.sets()) {
            if (a.canonicalColumn().equals(assignment.canonicalColumn())) {
                throw new IllegalArgumentException("column " + column + " is set twice in the update of "
                        + spec.table());
            }
        }
        return with(spec.withSets(Names.append(spec.sets(), assignment)));
    }

    /**
     * Adds a key column: the update addresses the row whose {@code column = value}. Call it once
     * per column of a composite key. The key columns must form a primary or unique key; an update
     * that matches more than one row fails with {@link IllegalStateException}.
     *
     * @param column a plain column name
     * @param value the key value, bound
     * @return a new builder
     * @throws IllegalArgumentException if the name is not valid, the column is already a key
     *         column, or the value is {@code null}
     */
    public @NotNull Update where(@NotNull String column, @NotNull Object value) {
        KeyColumn k = KeyColumn.of(column, value);
        for (KeyColumn existing : spec.key()) {
            if (Names.canonical(existing.column).equals(Names.canonical(column))) {
                throw new IllegalArgumentException("key column " + column + " is given twice in the update of "
                        + spec.table());
            }
        }
        return with(spec.withKey(Names.append(spec.key(), k)));
    }

    /**
     * Addresses the row by its {@code id} column; the same as {@code where("id", id)}.
     *
     * @param id the key value
     * @return a new builder
     * @throws IllegalArgumentException if the id is {@code null}
     */
    public @NotNull Update whereId(@NotNull Object id) {
        return where("id", id);
    }

    /**
     * Adds a guard the row must satisfy for the update to apply, checked by the database in the
     * same statement. Several guards must all hold.
     *
     * @param guard the condition, e.g. {@code col("stock").ge(qty)}
     * @return a new builder
     * @throws IllegalArgumentException if the guard is {@code null}
     */
    public @NotNull Update require(@NotNull Condition guard) {
        if (guard == null) {
            throw new IllegalArgumentException("guard must not be null");
        }
        return with(spec.withGuards(Names.append(spec.guards(), guard)));
    }

    /**
     * Fences the update with a lease's fencing token: sets {@code column} to {@code token} and
     * requires the row's current value to be {@code NULL} or {@code <= token}, in the same
     * statement. A holder whose lease was taken over carries a lower token than the row once the
     * new holder has written, so its late write is refused: {@link UpdateResult#guardFailed()}
     * (ask for {@code returning(column)} to see the token that won). Costs nothing extra: one
     * assignment and one guard of the same statement.
     *
     * @param column the fence column of the protected table (a {@code BIGINT}, {@code NULL} at first)
     * @param token the fencing token, {@code >= 1} ({@code lease.fencingToken()})
     * @return a new builder
     * @throws IllegalArgumentException if the name is not valid, the column is already set, or
     *         {@code token < 1}
     */
    public @NotNull Update fencedBy(@NotNull String column, long token) {
        if (token < 1) {
            throw new IllegalArgumentException("fencing token must be >= 1: token=" + token);
        }
        Expression fence = Expression.column(column);
        return set(column, token).require(fence.isNull().or(fence.le(token)));
    }

    /**
     * Fences the update with the lease's current fencing token, as {@link #fencedBy(String, long)},
     * after checking (locally, no statement) that the lease is still held.
     *
     * @param column the fence column of the protected table
     * @param lease the lease the write is made under
     * @return a new builder
     * @throws dev.latchkey.lease.LeaseLostException if the lease is no longer held
     * @throws IllegalArgumentException if the name is not valid or the column is already set
     * @throws NullPointerException if {@code lease} is {@code null}
     */
    public @NotNull Update fencedBy(@NotNull String column, @NotNull Lease lease) {
        Objects.requireNonNull(lease, "lease").checkHeld();
        return fencedBy(column, lease.fencingToken());
    }

    /**
     * Asks for the values of columns after the update (see the class comment for how each
     * database returns them). After a failed guard, the follow-up read fills them with the values
     * it found.
     *
     * @param columns plain column names
     * @return a new builder
     * @throws IllegalArgumentException if a name is not valid (or {@code null}) or already asked for
     * @throws NullPointerException if the array is {@code null}; the message is {@code columns}
     */
    public @NotNull Update returning(@NotNull String... columns) {
        return with(spec.withReturning(Names.withReturning(spec.returning(), columns)));
    }

    /**
     * Declares a numeric version column: every update through this builder sets it to
     * {@code column + 1}.
     *
     * @param column a plain column name
     * @return a new builder
     * @throws IllegalArgumentException if the name is not valid
     */
    public @NotNull Update versionColumn(@NotNull String column) {
        return with(spec.withVersion(spec.version().declared(Names.column("version column", column), false)));
    }

    /**
     * Declares a timestamp version column: every update through this builder sets it to the
     * database's current time, or one microsecond past its old value when the clock has not moved
     * beyond it, so each write changes it. The column needs microsecond precision (PostgreSQL
     * {@code timestamp}, MariaDB {@code DATETIME(6)}/{@code TIMESTAMP(6)}, H2 {@code TIMESTAMP}).
     * Pass versions back exactly as read from the column.
     *
     * @param column a plain column name
     * @return a new builder
     * @throws IllegalArgumentException if the name is not valid
     */
    public @NotNull Update timestampVersionColumn(@NotNull String column) {
        return with(spec.withVersion(spec.version().declared(Names.column("version column", column), true)));
    }

    /**
     * Requires the row to be at a version: the update applies only when the version column equals
     * {@code expected} (and bumps it). When it does not, {@code execute} throws
     * {@link StaleVersionException} carrying table, key, expected and actual version
     * ({@code null} when the row was deleted). The version column is the declared one, or a numeric
     * {@code version}.
     *
     * @param expected the version read with the row: an integer for a numeric column, a date-time
     *        (as read) for a timestamp column
     * @return a new builder
     * @throws IllegalArgumentException if {@code expected} is {@code null}; a type that does not
     *         suit the column is refused when the statement is rendered
     */
    public @NotNull Update expectVersion(@NotNull Object expected) {
        if (expected == null) {
            throw new IllegalArgumentException("expected version must not be null");
        }
        return with(spec.withVersion(spec.version().expecting(expected)));
    }

    /**
     * Bumps the version even when no other column is set (Hibernate's
     * {@code OPTIMISTIC_FORCE_INCREMENT}): with {@link #expectVersion(Object)} it proves that nobody
     * changed the row since it was read and tells other optimistic writers that it is being
     * acted on.
     *
     * @return a new builder
     */
    public @NotNull Update forceIncrement() {
        return with(spec.withVersion(spec.version().forcingIncrement()));
    }

    /**
     * Runs the update on a connection of the Latchkey's data source, in auto-commit mode.
     *
     * <p>A deadlock or lock timeout there rolls back only this update, so it is re-run under the
     * Latchkey's {@link RetryPolicy}; a connection lost during the write is
     * {@link CommitOutcomeUnknownException} and never re-run.
     *
     * @return the outcome
     * @throws IllegalArgumentException if the builder is incomplete (no key, nothing to set) or
     *         inconsistent (a key or version column set, a version of the wrong type)
     * @throws IllegalStateException if this thread is inside a Latchkey transaction on the same data
     *         source (pass its connection), or more than one row matched the key
     * @throws StaleVersionException if an expected version did not match
     * @throws ConcurrencyException on another concurrency failure
     * @throws JdbcException on any other database error
     */
    public @NotNull UpdateResult execute() {
        UpdatePlan plan = plan();
        return OwnConnection.run(ctx, "update of " + spec.table(), jdbc -> ConditionalUpdate.run(jdbc, plan, ctx));
    }

    /**
     * Runs the update on the caller's connection, inside its transaction if one is open (e.g. the
     * connection a {@code latchkey.transactions().run(...)} unit of work receives). Nothing is
     * committed, rolled back or retried here; in auto-commit mode the update commits by itself.
     *
     * @param connection the connection; not closed
     * @return the outcome
     * @throws IllegalArgumentException if the builder is incomplete or inconsistent
     * @throws IllegalStateException if more than one row matched the key
     * @throws StaleVersionException if an expected version did not match
     * @throws ConcurrencyException on another concurrency failure
     * @throws JdbcException on any other database error
     */
    public @NotNull UpdateResult execute(@NotNull Connection connection) {
        Objects.requireNonNull(connection, "connection");
        UpdatePlan plan = plan();
        return ConditionalUpdate.run(Session.on(connection, ctx.errors()), plan, ctx);
    }

    /**
     * A read-modify-write of this row under a version check: read the row, let a pure function
     * compute the new values, write them with {@code expectVersion(<version read>)}, and on a stale
     * version read and apply again under a retry policy. See {@link ReadModifyWrite}.
     *
     * @param modifier the change; must be a pure function of the row, since it may run several times
     * @return the read-modify-write, to configure and execute
     */
    public @NotNull ReadModifyWrite modify(@NotNull RowModifier modifier) {
        return ReadModifyWrite.of(this, Objects.requireNonNull(modifier, "modifier"));
    }

    /**
     * The same update once per value of a key column, run as one JDBC batch; the key column is
     * added to any key already given with {@code where}.
     *
     * @param column the key column
     * @param values one key value per row
     * @return the batch
     * @throws IllegalArgumentException if a value is {@code null}, the collection is empty, or the
     *         column is invalid
     */
    public @NotNull BatchUpdate forEach(@NotNull String column, @NotNull Collection<?> values) {
        Objects.requireNonNull(values, "values");
        List<Update> rows = new ArrayList<>(values.size());
        for (Object v : values) {
            rows.add(where(column, v));
        }
        return BatchUpdate.of(rows);
    }

    /**
     * The same update once per id, run as one JDBC batch: {@code forEach("id", ids)}.
     *
     * @param ids one id per row
     * @return the batch
     * @throws IllegalArgumentException if an id is {@code null} or the collection is empty
     * @throws NullPointerException if the collection is {@code null}; the message is {@code ids}
     */
    public @NotNull BatchUpdate forEachId(@NotNull Collection<?> ids) {
        return forEach("id", Objects.requireNonNull(ids, "ids"));
    }

    /**
     * The same update once per composite key, run as one JDBC batch.
     *
     * @param columns the key columns
     * @param keys one list of values (in the order of {@code columns}) per row
     * @return the batch
     * @throws IllegalArgumentException if a key has the wrong size or a {@code null} value, or the
     *         collection is empty
     */
    public @NotNull BatchUpdate forEach(@NotNull List<String> columns, @NotNull Collection<? extends List<?>> keys) {
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(keys, "keys");
        List<Update> rows = new ArrayList<>(keys.size());
        for (List<?> k : keys) {
            if (k == null || k.size() != columns.size()) {
                throw new IllegalArgumentException("each key must have one value per key column " + columns
                        + ": key=" + k);
            }
            Update u = this;
            for (int i = 0; i < columns.size(); i++) {
                u = u.where(columns.get(i), k.get(i));
            }
            rows.add(u);
        }
        return BatchUpdate.of(rows);
    }

    /**
     * The statement this update runs first, rendered for the Latchkey's dialect.
     *
     * @return the SQL, with {@code ?} for every value
     * @throws IllegalArgumentException if the builder is incomplete or inconsistent
     */
    public @NotNull String toSql() {
        return plan().sql;
    }

    /**
     * The values bound to {@link #toSql()}'s parameters, in order.
     *
     * @return an unmodifiable list (may contain {@code null})
     * @throws IllegalArgumentException if the builder is incomplete or inconsistent
     */
    public @NotNull List<Object> parameters() {
        return plan().params;
    }

    /**
     * Returns the table this update writes.
     *
     * @return the table this update writes
     */
    public @NotNull String table() {
        return spec.table();
    }

    UpdatePlan plan() {
        return UpdatePlan.render(spec, UpdateSql.of(ctx.dialect()));
    }

    /** This update plus the changes a read-modify-write computed, at the version it read. */
    Update withChanges(Map<String, ?> changes, Object version) {
        Update u = this;
        for (Map.Entry<String, ?> e : changes.entrySet()) {
            u = u.set(e.getKey(), e.getValue());
        }
        if (changes.isEmpty()) {
            u = u.forceIncrement();
        }
        return u.expectVersion(version);
    }

    @Override
    public @NotNull String toString() {
        return "Update[" + spec.table() + ", set=" + spec.sets().size() + " column(s), key=" + spec.key().size()
                + " column(s), guards=" + spec.guards().size() + (spec.isVersioned() ? ", versioned" : "") + "]";
    }
}

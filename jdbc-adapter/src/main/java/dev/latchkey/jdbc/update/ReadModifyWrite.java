package dev.latchkey.jdbc.update;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.latchkey.ConcurrencyException;
import dev.latchkey.RetriesExhaustedException;
import dev.latchkey.StaleVersionException;
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.internal.BoundedCache;
import dev.latchkey.jdbc.internal.OwnConnection;
import dev.latchkey.jdbc.internal.Session;
import dev.latchkey.jdbc.sql.Row;
import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;

/**
 * Read, modify, write under an optimistic version check, retried on conflict:
 *
 * <pre>{@code
 * UpdateResult r = latchkey.update("account")
 *         .whereId(42)
 *         .modify(row -> Map.of("balance", row.getLong("balance") + 100))   // must be pure
 *         .execute();
 * }</pre>
 *
 * <p>Each attempt reads the row with its version ({@code SELECT * FROM account WHERE id = ?}, or
 * the {@linkplain #reading(String...) columns named}), calls the {@link RowModifier}, and writes
 * the result with {@code expectVersion(<version read>)}: one {@code UPDATE} that checks and
 * bumps the version. When another writer changed the row in between, the write throws
 * {@link StaleVersionException} and the helper, under its {@link RetryPolicy}, reads the row again
 * and calls the function again with the newer row. <b>The function must therefore be pure</b>
 * (see {@link RowModifier}): it may run several times, and only the run whose write succeeded
 * counts. No update is lost: a write only lands on the version its function saw.
 *
 * <p>The version column is the update's declared one (numeric {@code version} by default). The
 * update's own {@code set}, {@code require} and {@code returning} are kept: a failed guard ends
 * the loop with a {@code guardFailed} result, a missing row with {@code notFound}.
 *
 * <p>Cost: a read and a write per attempt (2 statements when uncontended); a conflict adds the
 * follow-up read of the failed write. Immutable and thread-safe.
 */
public final class ReadModifyWrite {
    private final Update update;
    private final RowModifier modifier;
    private final Spec spec;

    private ReadModifyWrite(Update update, RowModifier modifier, Spec spec) {
        this.update = update;
        this.modifier = modifier;
        this.spec = spec;
    }

    static ReadModifyWrite of(Update update, RowModifier modifier) {
        return new ReadModifyWrite(update, modifier, new Spec(List.of(), withStaleRetry(update.ctx.retryPolicy())));
    }

    /**
     * The policies with stale versions added, per policy (by identity): a read-modify-write is
     * typically built per request on the Latchkey's one policy, so it is derived once, not per call.
     */
    private static final BoundedCache<RetryPolicy, RetryPolicy> STALE_RETRY = new BoundedCache<>(64);

    private static RetryPolicy withStaleRetry(RetryPolicy policy) {
        RetryPolicy p = STALE_RETRY.get(policy);
        if (p == null) {
            p = policy.toBuilder().alsoRetryOn(StaleVersionException.class).build();
            STALE_RETRY.put(policy, p);
        }
        return p;
    }

    /**
     * Reads only the given columns (and the version column) instead of {@code SELECT *}.
     *
     * @param columns plain column names
     * @return a new read-modify-write
     * @throws IllegalArgumentException if a name is not valid
     */
    public @NotNull ReadModifyWrite reading(@NotNull String... columns) {
        List<String> c = new ArrayList<>(spec.columns());
        for (String name : Objects.requireNonNull(columns, "columns")) {
            Names.column("column", name);
            if (!UpdatePlan.containsName(c, name)) {
                c.add(name);
            }
        }
        return new ReadModifyWrite(update, modifier, new Spec(List.copyOf(c), spec.retryPolicy()));
    }

    /**
     * Sets the retry policy. {@link StaleVersionException} is added to what it retries; the
     * default is the Latchkey's policy plus stale versions. Under heavy contention on one row give
     * it enough attempts: every conflict costs one.
     *
     * @param policy the policy
     * @return a new read-modify-write
     */
    public @NotNull ReadModifyWrite withRetry(@NotNull RetryPolicy policy) {
        RetryPolicy p = withStaleRetry(Objects.requireNonNull(policy, "policy"));
        return new ReadModifyWrite(update, modifier, new Spec(spec.columns(), p));
    }

    /**
     * Runs the loop on connections of the Latchkey's data source in auto-commit mode: each attempt
     * reads and writes in separate statements and sees the latest committed row.
     *
     * @return the outcome of the attempt that ended the loop: applied (with the new version),
     *         not found, or guard failed
     * @throws RetriesExhaustedException when every attempt met a stale version (its
     *         cause is the last {@link StaleVersionException}) or another retryable failure
     * @throws IllegalArgumentException if the update or the function's result is invalid
     * @throws ConcurrencyException on a failure that is not retried
     */
    public @NotNull UpdateResult execute() {
        UpdatePlan probe = readPlan();
        return OwnConnection.run(update.ctx.withRetryPolicy(spec.retryPolicy()), probe.rendered.readModifyWriteOperation,
                jdbc -> attempt(jdbc, probe));
    }

    /**
     * Runs the loop on the caller's connection. In auto-commit mode it retries as
     * {@link #execute()} does. Inside a transaction it makes a single attempt and lets
     * {@link StaleVersionException} propagate: re-reading inside the same transaction could see
     * the same snapshot again (MariaDB's {@code REPEATABLE READ}), so retry the whole transaction
     * instead, e.g. with {@code latchkey.transactions().withRetry(policy)} where the policy
     * {@code alsoRetryOn(StaleVersionException.class)}.
     *
     * @param connection the connection; not closed
     * @return the outcome
     * @throws StaleVersionException inside a transaction, when the row changed since it was read
     * @throws RetriesExhaustedException in auto-commit mode, when every attempt failed
     * @throws ConcurrencyException on a failure that is not retried
     */
    public @NotNull UpdateResult execute(@NotNull Connection connection) {
        Objects.requireNonNull(connection, "connection");
        Session jdbc = Session.on(connection, update.ctx.errors());
        UpdatePlan probe = readPlan();
        if (!jdbc.autoCommit()) {
            return attempt(jdbc, probe);
        }
        return spec.retryPolicy().execute(attempt -> attempt(Session.on(connection, update.ctx.errors()), probe));
    }

    private UpdateResult attempt(Session jdbc, UpdatePlan probe) {
        String version = update.spec.effectiveVersionColumn();
        String sql;
        if (spec.columns().isEmpty()) {
            sql = probe.rendered.selectAllByKeySql;
        } else {
            Dialect d = update.ctx.dialect();
            List<String> read = new ArrayList<>(spec.columns());
            if (!UpdatePlan.containsName(read, version)) {
                read.add(version);
            }
            sql = "SELECT " + UpdatePlan.columnList(d, read) + " FROM " + d.identifier("table", update.table())
                    + " WHERE " + probe.keyClause(d);
        }
        List<Row> rows = jdbc.query(sql, probe.keyValues(), Row::read);
        if (rows.isEmpty()) {
            return probe.notFound();
        }
        if (rows.size() > 1) {
            throw new IllegalStateException("more than one row for one key: " + sql);
        }
        Row row = rows.get(0);
        if (!row.has(version)) {
            throw new IllegalArgumentException("table " + update.table() + " has no version column " + version
                    + "; declare it with versionColumn(...) or timestampVersionColumn(...)");
        }
        Object current = row.get(version);
        if (current == null) {
            throw new IllegalStateException("the version column " + version + " of " + update.table()
                    + " is NULL for key " + probe.key + "; versioned rows need a version");
        }
        Map<String, ?> changes = modifier.apply(row);
        if (changes == null) {
            throw new IllegalArgumentException("the modify function returned null; return the columns to set "
                    + "(an empty map bumps only the version)");
        }
        Update write = update.withChanges(changes, current);
        return ConditionalUpdate.run(jdbc, write.plan(), update.ctx);
    }

    /** The update rendered without the function's changes: for its key clause and "not found" result. */
    private UpdatePlan readPlan() {
        return update.forceIncrement().plan();
    }

    @Override
    public @NotNull String toString() {
        return "ReadModifyWrite[" + update + "]";
    }

    /**
     * What the read-modify-write has been told beyond its update and function.
     *
     * @param columns the columns to read, or empty for all
     * @param retryPolicy the policy, stale versions included
     */
    private record Spec(List<String> columns, RetryPolicy retryPolicy) {
    }
}

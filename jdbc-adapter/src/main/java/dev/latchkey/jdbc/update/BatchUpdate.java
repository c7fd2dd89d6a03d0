package dev.latchkey.jdbc.update;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.latchkey.ConcurrencyException;
import dev.latchkey.StaleVersionException;
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.OwnConnection;
import dev.latchkey.jdbc.internal.Session;
import org.jetbrains.annotations.NotNull;

/**
 * Many conditional updates of the same shape (same table, columns, guards and version column;
 * values, keys and expected versions may differ per row) run as one JDBC batch of one prepared
 * statement, with a result per row.
 *
 * <pre>{@code
 * // the same decrement over many keys
 * BatchResult r = latchkey.update("product").set("stock", col("stock").minus(1))
 *         .require(col("stock").ge(1)).forEachId(List.of(1L, 2L, 3L)).execute();
 * // optimistic updates of many rows, each at its own version
 * BatchResult s = latchkey.batch(List.of(
 *         latchkey.update("orders").set("status", "shipped").whereId(7).expectVersion(3),
 *         latchkey.update("orders").set("status", "shipped").whereId(8).expectVersion(5))).execute();
 * s.staleKeys();   // e.g. [8]
 * }</pre>
 *
 * <p><b>Atomic.</b> The batch runs in one transaction: the caller's, or one Latchkey opens (and
 * commits) when the connection is in auto-commit mode. Rows are visited in key order when the
 * keys are comparable, so concurrent batches lock rows in the same order.
 *
 * <p><b>Cost.</b> One batch execution (plus the commit of Latchkey's own transaction). When rows
 * with a guard or an expected version updated nothing, one follow-up {@code SELECT} of those keys
 * (one per 500 keys) tells not found, guard failed and stale apart; it compares keys and versions
 * in Java, by value (see {@code UpdateResult}); pass versions as read from the column.
 *
 * <p><b>Limits.</b> {@code returning(...)} is refused (a JDBC batch returns update counts only),
 * so a timestamp version's new value is not reported. A driver that answers a batch with
 * {@link Statement#SUCCESS_NO_INFO} (MariaDB Connector/J with {@code useBulkStmts=true}) cannot
 * give per-row results: the batch is rolled back and {@link IllegalStateException} thrown.
 * Immutable and thread-safe.
 */
public final class BatchUpdate {
    private static final int FOLLOW_UP_CHUNK = 500;

    private final List<Update> updates;

    private BatchUpdate(List<Update> updates) {
        this.updates = updates;
    }

    /**
     * A batch of updates; the same as {@code latchkey.batch(updates)}.
     *
     * @param updates at least one update, all of the same Latchkey and table
     * @return the batch
     * @throws IllegalArgumentException if the collection is empty or holds {@code null}, or the
     *         updates belong to different Latchkeys or tables
     * @throws NullPointerException if the collection is {@code null}; the message is {@code updates}
     */
    public static @NotNull BatchUpdate of(@NotNull Collection<Update> updates) {
        if (Objects.requireNonNull(updates, "updates").isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one update");
        }
        List<Update> list = new ArrayList<>(updates.size());
        Update first = null;
        for (Update u : updates) {
            if (u == null) {
                throw new IllegalArgumentException("a batch must not contain null updates");
            }
            if (first == null) {
                first = u;
            } else if (u.ctx != first.ctx || !u.table().equals(first.table())) {
                throw new IllegalArgumentException("every update of a batch must come from the same Latchkey and "
                        + "write the same table: " + first.table() + " and " + u.table());
            }
            list.add(u);
        }
        return new BatchUpdate(List.copyOf(list));
    }

    /**
     * Returns the number of rows.
     *
     * @return the number of rows
     */
    public int size() {
        return updates.size();
    }

    /**
     * The statement every row runs.
     *
     * @return the SQL
     * @throws IllegalArgumentException if an update is incomplete or the updates differ in shape
     */
    public @NotNull String toSql() {
        return plans().get(0).sql;
    }

    /**
     * Runs the batch on a connection of the Latchkey's data source, in one transaction Latchkey
     * opens and commits; it is re-run under the Latchkey's retry policy after a deadlock or lock
     * timeout (which roll the whole transaction back).
     *
     * @return one result per row, in the order given
     * @throws IllegalArgumentException if an update is incomplete or the updates differ in shape
     * @throws IllegalStateException inside a Latchkey transaction on the same data source, if a key
     *         matched more than one row, if the driver gave no per-row counts, or if the batch
     *         committed but auto-commit could not be restored on its connection (never retried)
     * @throws ConcurrencyException on a concurrency failure
     */
    public @NotNull BatchResult execute() {
        List<UpdatePlan> plans = plans();
        JdbcContext ctx = updates.get(0).ctx;
        return OwnConnection.run(ctx, "batch update of " + plans.get(0).table,
                jdbc -> jdbc.inTransaction(tx -> run(tx, plans, ctx)));
    }

    /**
     * Runs the batch on the caller's connection: inside its transaction, or in a short transaction
     * of its own when the connection is in auto-commit mode. Not retried here.
     *
     * @param connection the connection; not closed
     * @return one result per row, in the order given
     * @throws IllegalArgumentException if an update is incomplete or the updates differ in shape
     * @throws IllegalStateException if a key matched more than one row, the driver gave no per-row counts,
     *         or the short transaction committed but auto-commit could not be restored
     * @throws ConcurrencyException on a concurrency failure
     */
    public @NotNull BatchResult execute(@NotNull Connection connection) {
        Objects.requireNonNull(connection, "connection");
        List<UpdatePlan> plans = plans();
        JdbcContext ctx = updates.get(0).ctx;
        return Session.on(connection, ctx.errors()).inTransaction(tx -> run(tx, plans, ctx));
    }

    private List<UpdatePlan> plans() {
        List<UpdatePlan> plans = new ArrayList<>(updates.size());
        for (Update u : updates) {
            UpdatePlan p = u.plan();
            if (!p.returning.isEmpty()) {
                throw new IllegalArgumentException("returning(...) is not supported in a batch: a JDBC batch "
                        + "returns update counts only; run the updates one by one to get their values");
            }
            if (!plans.isEmpty() && !plans.get(0).sql.equals(p.sql)) {
                throw new IllegalArgumentException("every update of a batch must render the same statement; update #"
                        + plans.size() + " renders\n  " + p.sql + "\nbut #0 renders\n  " + plans.get(0).sql);
            }
            plans.add(p);
        }
        return plans;
    }

    private static BatchResult run(Session tx, List<UpdatePlan> plans, JdbcContext ctx) {
        int n = plans.size();
        List<List<Object>> keys = new ArrayList<>(n);
        for (UpdatePlan p : plans) {
            keys.add(Values.normalizedKey(p.keyColumns));
        }
        int[] order = KeyOrder.order(keys);
        List<List<Object>> params = new ArrayList<>(n);
        for (int i : order) {
            params.add(plans.get(i).params);
        }
        int[] counts = tx.batch(plans.get(0).sql, params);
        if (counts.length != n) {
            throw new IllegalStateException("the driver returned " + counts.length + " update counts for a batch of "
                    + n + " rows");
        }
        UpdateResult[] results = new UpdateResult[n];
        List<Integer> pending = new ArrayList<>();
        for (int pos = 0; pos < n; pos++) {
            int i = order[pos];
            UpdatePlan p = plans.get(i);
            int c = counts[pos];
            if (c == Statement.SUCCESS_NO_INFO) {
                throw new IllegalStateException("the driver reported SUCCESS_NO_INFO instead of per-row update "
                        + "counts (MariaDB Connector/J: useBulkStmts=true); the batch was rolled back");
            }
            if (c > 1) {
                throw p.tooManyRows(c);
            }
            if (c == 1) {
                results[i] = p.applied(List.of(), null);
            } else if (p.followUpSql == null) {
                results[i] = p.notFound();
            } else {
                pending.add(i);
            }
        }
        Dialect d = ctx.dialect();
        for (int from = 0; from < pending.size(); from += FOLLOW_UP_CHUNK) {
            classify(tx, d, plans, pending.subList(from, Math.min(pending.size(), from + FOLLOW_UP_CHUNK)), results);
        }
        for (UpdateResult r : results) {
            if (r.staleVersion()) {
                String table = plans.get(0).table;
                ctx.listener().onConflict(table, r.key(), new StaleVersionException(table, r.key(),
                        Objects.requireNonNull(r.expectedVersion()), r.actualVersion()));
            }
        }
        return new BatchResult(List.of(results));
    }

    /** One follow-up read for rows that updated nothing, matching rows to keys by value. */
    private static void classify(Session tx, Dialect d, List<UpdatePlan> plans, List<Integer> rows,
                                 UpdateResult[] results) {
        UpdatePlan shape = plans.get(rows.get(0));
        int width = shape.keyColumns.size();
        boolean versioned = shape.versionColumn != null;
        StringBuilder sql = new StringBuilder(shape.keyedReadPrefix);
        List<Object> params = new ArrayList<>();
        if (width == 1) {
            sql.append(d.identifier("key column", shape.keyColumns.get(0).column)).append(" IN (");
            for (int j = 0; j < rows.size(); j++) {
                sql.append(j == 0 ? "?" : ", ?");
                params.add(plans.get(rows.get(j)).keyColumns.get(0).value);
            }
            sql.append(")");
        } else {
            for (int j = 0; j < rows.size(); j++) {
                sql.append(j == 0 ? "(" : " OR (").append(shape.keyClause(d)).append(")");
                params.addAll(plans.get(rows.get(j)).keyValues());
            }
        }
        sql.append(tx.autoCommit() ? "" : shape.latestRowReadSuffix);
        Map<List<Object>, Object> versionByKey = new HashMap<>();
        Map<List<Object>, Boolean> found = new HashMap<>();
        for (List<Object> r : tx.query(sql.toString(), params, width + (versioned ? 1 : 0))) {
            List<Object> k = new ArrayList<>(width);
            for (int c = 0; c < width; c++) {
                k.add(Values.normalize(r.get(c)));
            }
            found.put(k, Boolean.TRUE);
            if (versioned) {
                versionByKey.put(k, r.get(width));
            }
        }
        for (int i : rows) {
            UpdatePlan p = plans.get(i);
            List<Object> k = Values.normalizedKey(p.keyColumns);
            if (!found.containsKey(k)) {
                results[i] = p.classify(null);
            } else if (p.expectedVersion == null) {
                results[i] = p.classify(List.of(1));
            } else {
                Object actual = versionByKey.get(k);
                boolean matches = Values.same(actual, p.expectedVersion);
                List<Object> row = new ArrayList<>(3);
                row.add(actual);
                row.add(matches ? 1 : 0);
                row.add(1);
                results[i] = p.classify(row);
            }
        }
    }

    @Override
    public @NotNull String toString() {
        return "BatchUpdate[" + updates.size() + " x " + updates.get(0) + "]";
    }
}

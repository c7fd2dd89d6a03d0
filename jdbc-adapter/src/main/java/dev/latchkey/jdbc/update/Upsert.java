package dev.latchkey.jdbc.update;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.latchkey.ConcurrencyException;
import dev.latchkey.DuplicateKeyException;
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.internal.BoundedCache;
import dev.latchkey.jdbc.internal.ShapeKey;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.OwnConnection;
import dev.latchkey.jdbc.internal.Session;
import dev.latchkey.jdbc.sql.Condition;
import dev.latchkey.jdbc.sql.Expression;
import dev.latchkey.jdbc.sql.Row;
import dev.latchkey.jdbc.sql.Shapes;
import dev.latchkey.jdbc.sql.SqlRenderer;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Insert a row, or, when its key already exists, update it with arithmetic on the existing
 * values, in one atomic statement: counters and balances without a read.
 *
 * <pre>{@code
 * latchkey.upsert("page_views")
 *         .key("page", "/home")
 *         .increment("views", 1)          // views = 1 when new, views = views + 1 when present
 *         .returning("views")
 *         .execute();
 * // PostgreSQL: INSERT INTO page_views AS t (page, views) VALUES (?, ?)
 * //             ON CONFLICT (page) DO UPDATE SET views = t.views + EXCLUDED.views RETURNING views
 * // MariaDB:    INSERT INTO page_views (page, views) VALUES (?, ?)
 * //             ON DUPLICATE KEY UPDATE views = views + VALUES(views) RETURNING views
 * // H2:         SELECT views FROM FINAL TABLE (MERGE INTO page_views AS t USING (VALUES (?, ?))
 * //             AS s (page, views) ON t.page = s.page WHEN MATCHED THEN UPDATE SET views = t.views + s.views
 * //             WHEN NOT MATCHED THEN INSERT (page, views) VALUES (s.page, s.views))
 * }</pre>
 *
 * <p>In {@link #onConflict(String, Object)}, {@code col("n")} is the row already in the table and
 * {@link Expressions#excluded(String) excluded("n")} the value this statement tried to insert.
 *
 * <p><b>Per database.</b> PostgreSQL reacts to a conflict on the named key only (another unique
 * violation is a {@link DuplicateKeyException}); MariaDB's and MySQL's
 * {@code ON DUPLICATE KEY UPDATE} reacts to a conflict on <em>any</em> unique index of the table,
 * so give it a table whose only unique key is the one named here. H2's {@code MERGE} can let two
 * concurrent inserts of the same new key both miss the row; the loser's duplicate key is answered
 * by running the statement again (it then finds the row), at most {@value #H2_ATTEMPTS} times.
 * {@code returning(...)} is one statement on PostgreSQL, MariaDB 10.5+ and H2; on MySQL the row is
 * read back in the same transaction, as {@link Update} does.
 *
 * <p>The result is always {@linkplain UpdateResult#applied() applied} (an upsert cannot miss), with
 * the returned values. Immutable and thread-safe.
 */
public final class Upsert {
    /** How often an H2 {@code MERGE} that lost an insert race is run in all. */
    public static final int H2_ATTEMPTS = 3;

    /** Renderings by shape, for every {@code Latchkey}: at most as many as {@link Update}'s cache. */
    private static final BoundedCache<ShapeKey<Spec>, Template> CACHE = new BoundedCache<>(RenderedUpdate.CACHE_CAPACITY);

    private final JdbcContext ctx;
    private final Spec spec;

    private Upsert(JdbcContext ctx, Spec spec) {
        this.ctx = ctx;
        this.spec = spec;
    }

    /**
     * An upsert into a table; the same as {@code latchkey.upsert(table)}.
     *
     * @param ctx the context (of a {@code Latchkey}) whose data source, dialect and retry policy it uses
     * @param table the table, {@code name} or {@code schema.name}
     * @return a new builder
     * @throws IllegalArgumentException naming the bad input if the table name is not valid
     */
    public static @NotNull Upsert into(@NotNull JdbcContext ctx, @NotNull String table) {
        Objects.requireNonNull(ctx, "ctx");
        return new Upsert(ctx, new Spec(Names.table(table), List.of(), List.of(), List.of(), List.of()));
    }

    /**
     * Adds a column of the unique key that decides between insert and update (the conflict
     * target); call once per column of a composite key.
     *
     * @param column a plain column name
     * @param value the key value, bound
     * @return a new builder
     * @throws IllegalArgumentException if the name is invalid or repeated, or the value is {@code null}
     */
    public @NotNull Upsert key(@NotNull String column, @NotNull Object value) {
        KeyColumn k = KeyColumn.of(column, value);
        checkNew(column);
        return new Upsert(ctx, spec.withKey(Names.append(spec.key(), k)));
    }

    /**
     * Adds a column inserted when the key is new.
     *
     * @param column a plain column name
     * @param value the value, bound; {@code null} inserts SQL {@code NULL}
     * @return a new builder
     * @throws IllegalArgumentException if the name is invalid or repeated, or the value is an
     *         {@code Expression} or {@code Condition} (inserted values are bound values)
     */
    public @NotNull Upsert value(@NotNull String column, @Nullable Object value) {
        Names.column("column", column);
        checkNew(column);
        if (value instanceof Expression || value instanceof Condition) {
            throw new IllegalArgumentException("value(\"" + column + "\", ...) takes a value to insert, bound as a "
                    + "parameter; use onConflict(...) for expressions");
        }
        Inserted inserted = new Inserted(column, value);
        return new Upsert(ctx, spec.withValues(Names.append(spec.values(), inserted)));
    }

    /**
     * Adds an assignment applied when the key already exists.
     *
     * @param column a plain column name, not a key column
     * @param value an {@link Expression} over {@code col(..)} (the existing row) and
     *        {@code excluded(..)} (the proposed values), or a value to bind
     * @return a new builder
     * @throws IllegalArgumentException if the name is invalid, already assigned, or the value is a {@code Condition}
     */
    public @NotNull Upsert onConflict(@NotNull String column, @Nullable Object value) {
        Assignment assignment = Assignment.of("onConflict", column, value);
        for (Assignment a : spec.onConflict()) {
            if (a.canonicalColumn().equals(assignment.canonicalColumn())) {
                throw new IllegalArgumentException("column " + column + " is assigned twice in onConflict");
            }
        }
        return new Upsert(ctx, spec.withOnConflict(Names.append(spec.onConflict(), assignment)));
    }

    /**
     * A counter or balance: inserts {@code amount} when the key is new, adds it to the existing
     * value otherwise. The same as {@code value(column, amount).onConflict(column,
     * col(column).plus(excluded(column)))}.
     *
     * @param column a plain column name
     * @param amount the amount, bound (negative to subtract)
     * @return a new builder
     * @throws IllegalArgumentException if the name is invalid or already used, or the amount is {@code null}
     */
    public @NotNull Upsert increment(@NotNull String column, @NotNull Number amount) {
        if (amount == null) {
            throw new IllegalArgumentException("increment amount for " + column + " must not be null");
        }
        return value(column, amount).onConflict(column, Expressions.col(column).plus(Expressions.excluded(column)));
    }

    /**
     * Asks for the values of columns of the row after the statement, inserted or updated.
     *
     * @param columns plain column names
     * @return a new builder
     * @throws IllegalArgumentException if a name is invalid (or {@code null}) or repeated
     * @throws NullPointerException if the array is {@code null}; the message is {@code columns}
     */
    public @NotNull Upsert returning(@NotNull String... columns) {
        return new Upsert(ctx, spec.withReturning(Names.withReturning(spec.returning(), columns)));
    }

    /**
     * Runs the upsert on a connection of the Latchkey's data source in auto-commit mode, re-run
     * under the Latchkey's retry policy after a deadlock or lock timeout.
     *
     * @return an applied result with the returned values
     * @throws IllegalArgumentException if the builder is incomplete (no key, no onConflict assignment) or inconsistent
     * @throws IllegalStateException inside a Latchkey transaction on the same data source (pass its connection)
     * @throws DuplicateKeyException on a conflict in another unique index (PostgreSQL, H2)
     * @throws ConcurrencyException on another concurrency failure
     */
    public @NotNull UpdateResult execute() {
        Statement s = render();
        return OwnConnection.run(ctx, "upsert into " + spec.table(), jdbc -> run(jdbc, s));
    }

    /**
     * Runs the upsert on the caller's connection, inside its transaction if one is open.
     *
     * @param connection the connection; not closed
     * @return an applied result with the returned values
     * @throws IllegalArgumentException if the builder is incomplete or inconsistent
     * @throws DuplicateKeyException on a conflict in another unique index (PostgreSQL, H2)
     * @throws ConcurrencyException on another concurrency failure
     */
    public @NotNull UpdateResult execute(@NotNull Connection connection) {
        Objects.requireNonNull(connection, "connection");
        Statement s = render();
        return run(Session.on(connection, ctx.errors()), s);
    }

    /**
     * The statement, rendered for the Latchkey's dialect.
     *
     * @return the SQL
     * @throws IllegalArgumentException if the builder is incomplete or inconsistent
     */
    public @NotNull String toSql() {
        return render().sql();
    }

    /**
     * The values bound to {@link #toSql()}'s parameters, in order.
     *
     * @return an unmodifiable list (may contain {@code null})
     * @throws IllegalArgumentException if the builder is incomplete or inconsistent
     */
    public @NotNull List<Object> parameters() {
        return render().params();
    }

    private UpdateResult run(Session jdbc, Statement s) {
        if (s.readBackSql() != null && jdbc.autoCommit()) {
            return jdbc.inTransaction(tx -> runRacing(tx, s));
        }
        return runRacing(jdbc, s);
    }

    private UpdateResult runRacing(Session jdbc, Statement s) {
        int attempts = s.mayRaceOnInsert() ? H2_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            try {
                return once(jdbc, s);
            } catch (DuplicateKeyException e) {
                if (attempt >= attempts) {
                    throw e;
                }
            }
        }
    }

    private UpdateResult once(Session jdbc, Statement s) {
        Object k = UpdatePlan.keyOf(spec.key());
        int width = spec.returning().size();
        if (s.returnsRow()) {
            List<List<Object>> rows = jdbc.writeQuery(s.sql(), s.params(), width);
            if (rows.size() != 1) {
                throw new IllegalStateException("upsert into " + spec.table() + " returned " + rows.size() + " rows");
            }
            return applied(k, rows.get(0));
        }
        jdbc.update(s.sql(), s.params());
        if (s.readBackSql() == null) {
            return applied(k, List.of());
        }
        List<Object> keyValues = new ArrayList<>();
        spec.key().forEach(c -> keyValues.add(c.value));
        List<List<Object>> rows = jdbc.query(s.readBackSql(), keyValues, width);
        if (rows.size() != 1) {
            throw new IllegalStateException("the row upserted into " + spec.table() + " for key " + k
                    + " could not be read back in the same transaction");
        }
        return applied(k, rows.get(0));
    }

    private UpdateResult applied(Object k, List<Object> row) {
        return new UpdateResult(UpdateResult.Status.APPLIED, k, Row.of(spec.returning(), row), null, null, null);
    }

    /**
     * The statement with this upsert's values: the rendering of its shape comes from the cache
     * (shared with {@link Update}'s capacity), rendered once per shape.
     */
    private Statement render() {
        ShapeKey<Spec> shape = new ShapeKey<>(ctx.dialect(), spec, Shape.INSTANCE);
        Template t = CACHE.get(shape);
        if (t == null) {
            t = template();
            CACHE.put(shape, t);
        }
        List<Object> params = new ArrayList<>(spec.key().size() + spec.values().size() + t.order().length);
        for (KeyColumn k : spec.key()) {
            params.add(k.value);
        }
        for (Inserted v : spec.values()) {
            params.add(v.value());
        }
        for (int i : t.order()) {
            Shapes.values(spec.onConflict().get(i).value, params);
        }
        return new Statement(t.sql(), params, t.returnsRow(), t.readBackSql(), t.mayRaceOnInsert());
    }

    private Template template() {
        String table = spec.table();
        if (spec.key().isEmpty()) {
            throw new IllegalArgumentException("upsert into " + table + " has no key: call key(column, value)");
        }
        if (spec.onConflict().isEmpty()) {
            throw new IllegalArgumentException("upsert into " + table + " has no onConflict assignment: say what "
                    + "happens to an existing row (e.g. increment(column, amount))");
        }
        UpdateSql q = UpdateSql.of(ctx.dialect());
        Dialect d = q.dialect;
        String t = d.identifier("table", table);
        List<String> keyCols = new ArrayList<>();
        List<String> insertCols = new ArrayList<>();
        Set<String> inserted = new HashSet<>();
        for (KeyColumn k : spec.key()) {
            keyCols.add(d.identifier("key column", k.column));
            insertCols.add(d.identifier("key column", k.column));
            inserted.add(Names.canonical(k.column));
        }
        for (Inserted v : spec.values()) {
            insertCols.add(d.identifier("column", v.column()));
            inserted.add(Names.canonical(v.column()));
        }
        for (Assignment a : spec.onConflict()) {
            for (KeyColumn k : spec.key()) {
                if (a.canonicalColumn().equals(Names.canonical(k.column))) {
                    throw new IllegalArgumentException("column " + a.column + " is part of the upsert key and cannot "
                            + "be assigned in onConflict");
                }
            }
            for (String p : a.value.proposedColumns()) {
                if (!inserted.contains(p)) {
                    throw new IllegalArgumentException("excluded(" + p + ") in onConflict(\"" + a.column + "\", ...) "
                            + "names a column the upsert does not insert; add value(\"" + p + "\", ...)");
                }
            }
        }
        // col(..) is the row in the table, excluded(..) the proposed one, as this database spells them
        SqlRenderer w = SqlRenderer.of(d, q);
        List<Assignment> ordered = AssignmentOrder.order(spec.onConflict(), q);
        int[] order = new int[ordered.size()];
        for (int i = 0; i < ordered.size(); i++) {
            if (i > 0) {
                w.append(", ");
            }
            ordered.get(i).render(w, d);
            order[i] = spec.onConflict().indexOf(ordered.get(i));
        }
        String sql = q.upsert(t, keyCols, insertCols, w.sql());
        boolean races = q.upsertMayRaceOnInsert();
        if (spec.returning().isEmpty()) {
            return new Template(sql, false, null, races, order);
        }
        String cols = UpdatePlan.columnList(d, spec.returning());
        if (q.supportsUpsertReturning()) {
            return new Template(q.upsertReturning(sql, cols), true, null, races, order);
        }
        return new Template(sql, false, "SELECT " + cols + " FROM " + t + " WHERE "
                + UpdatePlan.keyClause(d, spec.key()), races, order);
    }

    private void checkNew(String column) {
        String c = Names.canonical(column);
        boolean taken = false;
        for (KeyColumn k : spec.key()) {
            taken |= Names.canonical(k.column).equals(c);
        }
        for (Inserted v : spec.values()) {
            taken |= Names.canonical(v.column()).equals(c);
        }
        if (taken) {
            throw new IllegalArgumentException("column " + column + " is given twice in the upsert into "
                    + spec.table());
        }
    }

    @Override
    public @NotNull String toString() {
        return "Upsert[" + spec.table() + ", key=" + spec.key().size() + " column(s), values=" + spec.values().size()
                + ", onConflict=" + spec.onConflict().size() + "]";
    }

    /** A column inserted when the key is new, with its bound value. */
    private record Inserted(String column, @Nullable Object value) {
    }

    /** What the builder has been told so far; each step is one wither. */
    private record Spec(String table, List<KeyColumn> key, List<Inserted> values, List<Assignment> onConflict,
                        List<String> returning) {
        Spec withKey(List<KeyColumn> k) {
            return new Spec(table, k, values, onConflict, returning);
        }

        Spec withValues(List<Inserted> v) {
            return new Spec(table, key, v, onConflict, returning);
        }

        Spec withOnConflict(List<Assignment> c) {
            return new Spec(table, key, values, c, returning);
        }

        Spec withReturning(List<String> r) {
            return new Spec(table, key, values, onConflict, r);
        }
    }

    /** A rendered upsert. */
    private record Statement(String sql, List<Object> params, boolean returnsRow, @Nullable String readBackSql,
                             boolean mayRaceOnInsert) {
        Statement {
            params = Collections.unmodifiableList(params);
        }
    }

    /**
     * What rendering an upsert of one shape produces: everything but its values.
     *
     * @param order the indexes of the {@code onConflict} assignments in the order they are rendered
     */
    private record Template(String sql, boolean returnsRow, @Nullable String readBackSql, boolean mayRaceOnInsert,
                            int[] order) {
    }

    /**
     * The shape of an upsert's {@link Spec}: everything that decides the SQL, nothing of its
     * values. <b>Every component of {@code Spec} must be compared here.</b>
     */
    private enum Shape implements ShapeKey.Equivalence<Spec> {
        INSTANCE;

        @Override
        public int hash(Spec spec) {
            int h = spec.table().hashCode();
            for (KeyColumn k : spec.key()) {
                h = h * 31 + k.column.hashCode();
            }
            for (Inserted v : spec.values()) {
                h = h * 31 + v.column().hashCode();
            }
            for (Assignment a : spec.onConflict()) {
                h = (h * 31 + a.column.hashCode()) * 31 + Shapes.hash(a.value);
            }
            return h * 31 + spec.returning().hashCode();
        }

        @Override
        public boolean same(Spec a, Spec b) {
            if (!a.table().equals(b.table())
                    || a.key().size() != b.key().size() || a.values().size() != b.values().size()
                    || a.onConflict().size() != b.onConflict().size() || !a.returning().equals(b.returning())) {
                return false;
            }
            for (int i = 0; i < a.key().size(); i++) {
                if (!a.key().get(i).column.equals(b.key().get(i).column)) {
                    return false;
                }
            }
            for (int i = 0; i < a.values().size(); i++) {
                if (!a.values().get(i).column().equals(b.values().get(i).column())) {
                    return false;
                }
            }
            for (int i = 0; i < a.onConflict().size(); i++) {
                Assignment x = a.onConflict().get(i);
                Assignment y = b.onConflict().get(i);
                if (!x.column.equals(y.column) || !Shapes.same(x.value, y.value)) {
                    return false;
                }
            }
            return true;
        }
    }
}

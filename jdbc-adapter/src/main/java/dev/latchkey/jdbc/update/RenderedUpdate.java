package dev.latchkey.jdbc.update;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.internal.BoundedCache;
import dev.latchkey.jdbc.internal.ShapeKey;
import dev.latchkey.jdbc.sql.Condition;
import dev.latchkey.jdbc.sql.Shapes;
import dev.latchkey.jdbc.sql.SqlRenderer;
import org.jetbrains.annotations.Nullable;

/**
 * What rendering a conditional {@code UPDATE} produces, for one shape of update (table, the
 * columns set and the structure of their expressions, key columns, guards, returned columns,
 * version declaration) and one dialect, and nothing of its values: the statement, the columns it
 * returns, the read-back and follow-up reads, and the order in which the update's values are
 * bound. Rendered once per shape and kept in a bounded cache ({@value #CACHE_CAPACITY} shapes at
 * most), so a fresh builder per request with the same shape only collects its values. Immutable.
 *
 * <p>Statement shape: {@code UPDATE t SET <assignments>[, version = <next>] WHERE <key> [AND
 * <guards>] [AND version = ?]}, with {@code RETURNING} (or H2's {@code FINAL TABLE}) when columns
 * are returned and the dialect can. Parameters: the assignments' (in the rendered order), the
 * key's, the guards', the expected version.
 */
final class RenderedUpdate {
    /**
     * How many update shapes the cache holds at most (all {@code Latchkey} instances together);
     * past that the least recently rendered ones are dropped and rendered again when next used.
     */
    static final int CACHE_CAPACITY = 512;

    private static final BoundedCache<ShapeKey<UpdateSpec>, RenderedUpdate> CACHE = new BoundedCache<>(CACHE_CAPACITY);

    final String table;
    /** {@code "update of <table>"}: the operation's name in messages. */
    final String operation;
    final String sql;
    /** Whether {@link #sql} returns the updated row ({@code RETURNING} / {@code FINAL TABLE}). */
    final boolean returnsRow;
    /** The columns {@link #sql} returns, in order. */
    final List<String> statementColumns;
    /** The columns the caller asked for. */
    final List<String> returning;
    /** The read-back of the returned columns where the dialect has no {@code RETURNING}, else {@code null}. */
    final @Nullable String readBackSql;
    final List<String> readBackColumns;
    final @Nullable String versionColumn;
    final boolean timestampVersion;
    final boolean hasGuards;
    /** The follow-up read after zero rows, or {@code null} when zero rows can only mean "not found". */
    final @Nullable String followUpSql;
    /** {@code SELECT <key>[, version] FROM t WHERE}: the prefix of a batch's follow-up read. */
    final String keyedReadPrefix;
    /** What a read inside a transaction appends to see the latest committed row. */
    final String latestRowReadSuffix;
    /** {@code SELECT * FROM t WHERE <key>}: a read-modify-write's read of the whole row. */
    final String selectAllByKeySql;
    /** {@code "read-modify-write of <table>"}: that operation's name in messages. */
    final String readModifyWriteOperation;
    /** The indexes into the update's assignments, in the order they are rendered and bound. */
    private final int[] assignmentOrder;
    /** How many parameters {@link #sql} has. */
    final int parameterCount;
    /** The index of the first key parameter (the key's values follow each other). */
    final int keyOffset;

    private RenderedUpdate(UpdateSpec u, UpdateSql q) {
        Dialect d = q.dialect;
        this.table = u.table();
        this.operation = "update of " + table;
        this.latestRowReadSuffix = q.latestRowReadSuffix();
        List<KeyColumn> keyColumns = u.key();
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException("update of " + table + " has no key: call where(column, value) or "
                    + "whereId(id)");
        }
        if (u.sets().isEmpty() && !u.forceIncrement()) {
            throw new IllegalArgumentException("update of " + table + " sets no column: call set(column, value) "
                    + "(or forceIncrement() to bump only the version)");
        }
        String t = d.identifier("table", table);
        boolean versioned = u.isVersioned();
        this.versionColumn = versioned ? u.effectiveVersionColumn() : null;
        this.timestampVersion = u.timestampVersion();
        boolean expectsVersion = u.expectedVersion() != null;
        checkColumns(u, keyColumns);
        boolean newVersionComputed = expectsVersion && !timestampVersion;
        this.hasGuards = !u.guards().isEmpty();
        this.returning = u.returning();

        SqlRenderer w = SqlRenderer.of(d);
        w.append("UPDATE ").append(t).append(" SET ");
        List<Assignment> assignments = AssignmentOrder.order(u.sets(), q);
        this.assignmentOrder = new int[assignments.size()];
        for (int i = 0; i < assignments.size(); i++) {
            if (i > 0) {
                w.append(", ");
            }
            assignments.get(i).render(w, d);
            assignmentOrder[i] = indexOf(u.sets(), assignments.get(i));
        }
        String v = versionColumn == null ? null : d.identifier("version column", versionColumn);
        if (v != null) {
            w.append(assignments.isEmpty() ? "" : ", ").append(v).append(" = ")
                    .append(timestampVersion ? q.nextTimestampVersion(v) : v + " + 1");
        }
        w.append(" WHERE ");
        this.keyOffset = w.params().size();
        for (int i = 0; i < keyColumns.size(); i++) {
            KeyColumn k = keyColumns.get(i);
            w.append(i == 0 ? "" : " AND ").append(d.identifier("key column", k.column)).append(" = ").param(k.value);
        }
        for (Condition g : u.guards()) {
            w.append(" AND ").condition(g);
        }
        if (expectsVersion) {
            w.append(" AND ").append(v).append(" = ").param(u.expectedVersion());
        }
        this.parameterCount = w.params().size();

        List<String> wanted = new ArrayList<>(returning);
        if (versionColumn != null && !newVersionComputed && !UpdatePlan.containsName(wanted, versionColumn)) {
            wanted.add(versionColumn);
        }
        String update = w.sql();
        String keyClause = UpdatePlan.keyClause(d, keyColumns);
        this.selectAllByKeySql = "SELECT * FROM " + t + " WHERE " + keyClause;
        this.readModifyWriteOperation = "read-modify-write of " + table;
        if (q.supportsUpdateReturning() && !wanted.isEmpty()) {
            this.sql = q.updateReturning(update, UpdatePlan.columnList(d, wanted));
            this.returnsRow = true;
            this.statementColumns = List.copyOf(wanted);
            this.readBackSql = null;
            this.readBackColumns = List.of();
        } else {
            this.sql = update;
            this.returnsRow = false;
            this.statementColumns = List.of();
            if (returning.isEmpty()) {
                this.readBackSql = null;
                this.readBackColumns = List.of();
            } else {
                // no RETURNING (MariaDB, MySQL): read the row back in the same transaction, under the
                // row lock the UPDATE took, so it sees exactly what this update wrote
                this.readBackColumns = List.copyOf(wanted);
                this.readBackSql = "SELECT " + UpdatePlan.columnList(d, wanted) + " FROM " + t + " WHERE " + keyClause;
            }
        }
        List<String> keyNames = new ArrayList<>(keyColumns.size());
        keyColumns.forEach(k -> keyNames.add(k.column));
        this.keyedReadPrefix = "SELECT " + UpdatePlan.columnList(d, keyNames) + (v == null ? "" : ", " + v) + " FROM "
                + t + " WHERE ";
        if (!hasGuards && !expectsVersion) {
            this.followUpSql = null;
        } else {
            StringBuilder f = new StringBuilder("SELECT ");
            if (expectsVersion) {
                f.append(v).append(", CASE WHEN ").append(v).append(" = ? THEN 1 ELSE 0 END, ");
            }
            f.append(returning.isEmpty() ? "1" : UpdatePlan.columnList(d, returning));
            f.append(" FROM ").append(t).append(" WHERE ").append(keyClause);
            this.followUpSql = f.toString();
        }
    }

    /**
     * The rendering of an update's shape for a dialect: from the cache, or rendered now (and
     * cached) when no update of that shape was rendered recently.
     *
     * @throws IllegalArgumentException if the update is incomplete or inconsistent (nothing is cached then)
     * @throws UnsupportedOperationException if the dialect cannot run it
     */
    static RenderedUpdate of(UpdateSpec u, Dialect d) {
        ShapeKey<UpdateSpec> shape = new ShapeKey<>(d, u, Shape.INSTANCE);
        RenderedUpdate r = CACHE.get(shape);
        if (r == null) {
            r = render(u, d);
            CACHE.put(shape, r);
        }
        return r;
    }

    /** Renders without the cache: what {@link #of} caches. */
    static RenderedUpdate render(UpdateSpec u, Dialect d) {
        return new RenderedUpdate(u, UpdateSql.of(d));
    }

    /** Returns how many shapes the cache holds now (for tests: it never exceeds its capacity). */
    static int cachedShapes() {
        return CACHE.size();
    }

    /**
     * Returns the values of an update of this shape, in the order of {@link #sql}'s parameters
     * (placeholders stand as themselves).
     */
    List<Object> values(UpdateSpec u) {
        List<Object> params = new ArrayList<>(parameterCount);
        List<Assignment> sets = u.sets();
        for (int i : assignmentOrder) {
            Shapes.values(sets.get(i).value, params);
        }
        List<KeyColumn> key = u.key();
        for (int i = 0; i < key.size(); i++) {
            params.add(key.get(i).value);
        }
        List<Condition> guards = u.guards();
        for (int i = 0; i < guards.size(); i++) {
            Shapes.values(guards.get(i), params);
        }
        if (u.expectedVersion() != null) {
            params.add(u.expectedVersion());
        }
        return params;
    }

    private static int indexOf(List<Assignment> sets, Assignment a) {
        for (int i = 0; i < sets.size(); i++) {
            if (sets.get(i) == a) {
                return i;
            }
        }
        throw new IllegalStateException("assignment order lost " + a.column);
    }

    private void checkColumns(UpdateSpec u, List<KeyColumn> keyColumns) {
        Set<String> keys = new HashSet<>();
        keyColumns.forEach(k -> keys.add(Names.canonical(k.column)));
        for (Assignment a : u.sets()) {
            if (keys.contains(a.canonicalColumn())) {
                throw new IllegalArgumentException("column " + a.column + " of " + table + " is part of the key "
                        + "and cannot be set: the update addresses its row by that key");
            }
            if (versionColumn != null && a.canonicalColumn().equals(Names.canonical(versionColumn))) {
                throw new IllegalArgumentException("column " + a.column + " of " + table + " is the version column; "
                        + "Latchkey sets it on every versioned update");
            }
            Set<String> proposed = a.value.proposedColumns();
            if (!proposed.isEmpty()) {
                throw new IllegalArgumentException("excluded(" + proposed.iterator().next() + ") in set(\""
                        + a.column + "\", ...) refers to the value an upsert tried to insert; it can only be used "
                        + "in Upsert.onConflict(...)");
            }
        }
    }

    /**
     * The shape of an {@link UpdateSpec}: everything that decides the SQL, nothing of its values.
     * <b>Every component of {@code UpdateSpec} must be compared here</b> (by shape, or by value
     * when it is not a value to bind): a component left out would let two updates that render
     * differently share one rendering ({@code UpdateShapeTest} fails when {@code UpdateSpec} gains
     * a component).
     */
    enum Shape implements ShapeKey.Equivalence<UpdateSpec> {
        INSTANCE;

        @Override
        public int hash(UpdateSpec u) {
            int h = u.table().hashCode();
            List<Assignment> sets = u.sets();
            for (int i = 0; i < sets.size(); i++) {
                h = (h * 31 + sets.get(i).column.hashCode()) * 31 + Shapes.hash(sets.get(i).value);
            }
            List<KeyColumn> key = u.key();
            for (int i = 0; i < key.size(); i++) {
                h = h * 31 + key.get(i).column.hashCode();
            }
            List<Condition> guards = u.guards();
            for (int i = 0; i < guards.size(); i++) {
                h = h * 31 + Shapes.hash(guards.get(i));
            }
            h = h * 31 + u.returning().hashCode();
            UpdateSpec.Version v = u.version();
            h = h * 31 + Objects.hashCode(v.column());
            return ((h * 31 + (v.timestamp() ? 1 : 0)) * 31 + (v.expected() != null ? 1 : 0)) * 31
                    + (v.forceIncrement() ? 1 : 0);
        }

        @Override
        public boolean same(UpdateSpec a, UpdateSpec b) {
            if (!a.table().equals(b.table()) || a.sets().size() != b.sets().size() || a.key().size() != b.key().size()
                    || a.guards().size() != b.guards().size() || !a.returning().equals(b.returning())) {
                return false;
            }
            UpdateSpec.Version x = a.version();
            UpdateSpec.Version y = b.version();
            if (!Objects.equals(x.column(), y.column()) || x.timestamp() != y.timestamp()
                    || (x.expected() == null) != (y.expected() == null) || x.forceIncrement() != y.forceIncrement()) {
                return false;
            }
            for (int i = 0; i < a.sets().size(); i++) {
                Assignment s = a.sets().get(i);
                Assignment t = b.sets().get(i);
                if (!s.column.equals(t.column) || !Shapes.same(s.value, t.value)) {
                    return false;
                }
            }
            for (int i = 0; i < a.key().size(); i++) {
                if (!a.key().get(i).column.equals(b.key().get(i).column)) {
                    return false;
                }
            }
            for (int i = 0; i < a.guards().size(); i++) {
                if (!Shapes.same(a.guards().get(i), b.guards().get(i))) {
                    return false;
                }
            }
            return true;
        }
    }
}

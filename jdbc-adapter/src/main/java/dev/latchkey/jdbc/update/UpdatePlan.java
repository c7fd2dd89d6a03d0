package dev.latchkey.jdbc.update;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.latchkey.StaleVersionException;
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.sql.Condition;
import dev.latchkey.jdbc.sql.Row;
import dev.latchkey.jdbc.sql.SqlRenderer;
import org.jetbrains.annotations.Nullable;

/**
 * One conditional {@code UPDATE} rendered for a dialect: the statement, how its result reads,
 * and the follow-up read that tells "not found" from "guard failed" from "stale version" when it
 * updated nothing. Built from an {@link Update} by {@link #render}; immutable.
 *
 * <p>Statement shape: {@code UPDATE t SET <assignments>[, version = <next>] WHERE <key> [AND
 * <guards>] [AND version = ?]}, with {@code RETURNING} (or H2's {@code FINAL TABLE}) when columns
 * are returned and the dialect can. Parameters: the assignments', the key's, the guards', the
 * expected version.
 */
final class UpdatePlan {
    final String table;
    final Object key;
    final List<KeyColumn> keyColumns;
    final String sql;
    final List<Object> params;
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
    final @Nullable Object expectedVersion;
    /** The new version when it follows from the expected one (numeric), else {@code null}. */
    final @Nullable Object computedNewVersion;
    final boolean hasGuards;
    /** The follow-up read after zero rows, or {@code null} when zero rows can only mean "not found". */
    final @Nullable String followUpSql;
    final List<Object> followUpParams;
    /** {@code SELECT <key>[, version] FROM t WHERE}: the prefix of a batch's follow-up read. */
    final String keyedReadPrefix;
    /** What a read inside a transaction appends to see the latest committed row. */
    final String latestRowReadSuffix;

    private UpdatePlan(UpdateSpec u, UpdateSql q) {
        Dialect d = q.dialect;
        this.table = u.table();
        this.keyColumns = u.key();
        this.latestRowReadSuffix = q.latestRowReadSuffix();
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException("update of " + table + " has no key: call where(column, value) or "
                    + "whereId(id)");
        }
        if (u.sets().isEmpty() && !u.forceIncrement()) {
            throw new IllegalArgumentException("update of " + table + " sets no column: call set(column, value) "
                    + "(or forceIncrement() to bump only the version)");
        }
        this.key = keyOf(keyColumns);
        String t = d.identifier("table", table);
        boolean versioned = u.isVersioned();
        this.versionColumn = versioned ? u.effectiveVersionColumn() : null;
        this.expectedVersion = u.expectedVersion();
        checkColumns(u);
        if (expectedVersion != null) {
            checkVersionType(u.timestampVersion(), expectedVersion);
        }
        this.computedNewVersion = expectedVersion != null && !u.timestampVersion() ? plusOne(expectedVersion) : null;
        this.hasGuards = !u.guards().isEmpty();
        this.returning = u.returning();

        SqlRenderer w = SqlRenderer.of(d);
        w.append("UPDATE ").append(t).append(" SET ");
        List<Assignment> assignments = AssignmentOrder.order(u.sets(), q);
        for (int i = 0; i < assignments.size(); i++) {
            if (i > 0) {
                w.append(", ");
            }
            assignments.get(i).render(w, d);
        }
        String v = versionColumn == null ? null : d.identifier("version column", versionColumn);
        if (v != null) {
            w.append(assignments.isEmpty() ? "" : ", ").append(v).append(" = ")
                    .append(u.timestampVersion() ? q.nextTimestampVersion(v) : v + " + 1");
        }
        w.append(" WHERE ");
        renderKey(w, d);
        for (Condition g : u.guards()) {
            w.append(" AND ").condition(g);
        }
        if (expectedVersion != null) {
            w.append(" AND ").append(v).append(" = ").param(expectedVersion);
        }

        List<String> wanted = new ArrayList<>(returning);
        if (versionColumn != null && computedNewVersion == null && !containsName(wanted, versionColumn)) {
            wanted.add(versionColumn);
        }
        String update = w.sql();
        if (q.supportsUpdateReturning() && !wanted.isEmpty()) {
            this.sql = q.updateReturning(update, columnList(d, wanted));
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
                this.readBackSql = "SELECT " + columnList(d, wanted) + " FROM " + t + " WHERE " + keyClause(d);
            }
        }
        this.params = nullSafe(w.params());

        List<Object> keyValues = new ArrayList<>();
        keyColumns.forEach(k -> keyValues.add(k.value));
        this.keyedReadPrefix = "SELECT " + columnList(d, keyNames()) + (v == null ? "" : ", " + v) + " FROM " + t
                + " WHERE ";
        if (!hasGuards && expectedVersion == null) {
            this.followUpSql = null;
            this.followUpParams = List.of();
        } else {
            StringBuilder f = new StringBuilder("SELECT ");
            List<Object> fp = new ArrayList<>();
            if (expectedVersion != null) {
                f.append(v).append(", CASE WHEN ").append(v).append(" = ? THEN 1 ELSE 0 END, ");
                fp.add(expectedVersion);
            }
            f.append(returning.isEmpty() ? "1" : columnList(d, returning));
            f.append(" FROM ").append(t).append(" WHERE ").append(keyClause(d));
            fp.addAll(keyValues);
            this.followUpSql = f.toString();
            this.followUpParams = fp;
        }
    }

    static UpdatePlan render(UpdateSpec u, UpdateSql q) {
        return new UpdatePlan(u, q);
    }

    /** Parameters of {@link #readBackSql}: the key values. */
    List<Object> keyValues() {
        List<Object> values = new ArrayList<>(keyColumns.size());
        keyColumns.forEach(k -> values.add(k.value));
        return values;
    }

    List<String> keyNames() {
        List<String> names = new ArrayList<>(keyColumns.size());
        keyColumns.forEach(k -> names.add(k.column));
        return names;
    }

    /** Columns of the follow-up read: {@code [version, matches]} then the returned columns (or one constant). */
    int followUpColumnCount() {
        return (expectedVersion != null ? 2 : 0) + Math.max(1, returning.size());
    }

    UpdateResult applied(List<String> names, @Nullable List<Object> row) {
        Row all = row == null ? Row.empty() : Row.of(names, row);
        List<Object> values = new ArrayList<>(returning.size());
        for (String c : returning) {
            values.add(all.get(c));
        }
        Object newVersion = computedNewVersion;
        if (newVersion == null && versionColumn != null && all.has(versionColumn)) {
            newVersion = all.get(versionColumn);
        }
        return new UpdateResult(UpdateResult.Status.APPLIED, key, Row.of(returning, values), newVersion,
                expectedVersion, null);
    }

    UpdateResult notFound() {
        return new UpdateResult(UpdateResult.Status.NOT_FOUND, key, Row.empty(), null, expectedVersion, null);
    }

    /**
     * Classifies zero updated rows from the follow-up read.
     *
     * @param row the follow-up row, or {@code null} when the key has no row
     */
    UpdateResult classify(@Nullable List<Object> row) {
        if (row == null) {
            return expectedVersion != null ? stale(null) : notFound();
        }
        int offset = 0;
        if (expectedVersion != null) {
            Object actual = row.get(0);
            boolean matches = row.get(1) != null && ((Number) row.get(1)).intValue() == 1;
            if (!matches) {
                return stale(actual);
            }
            offset = 2;
            if (!hasGuards) {
                // at the expected version now and nothing else could refuse the update: the row
                // did not exist when the UPDATE ran and was inserted since
                return stale(null);
            }
        }
        List<Object> values = returning.isEmpty() ? List.of() : row.subList(offset, offset + returning.size());
        return new UpdateResult(UpdateResult.Status.GUARD_FAILED, key, Row.of(returning, values), null,
                expectedVersion, null);
    }

    UpdateResult stale(@Nullable Object actual) {
        return new UpdateResult(UpdateResult.Status.STALE_VERSION, key, Row.empty(), null, expectedVersion, actual);
    }

    StaleVersionException staleException(UpdateResult r) {
        Object expected = r.expectedVersion();
        return new StaleVersionException(table, key, expected == null ? "(none)" : expected, r.actualVersion());
    }

    IllegalStateException tooManyRows(int count) {
        return new IllegalStateException("update of " + table + " for key " + key + " matched " + count
                + " rows; where(...) must name a primary or unique key");
    }

    String keyClause(Dialect d) {
        return keyClause(d, keyColumns);
    }

    /** {@code k1 = ? AND k2 = ?}: the key's columns, for the key values bound in order. */
    static String keyClause(Dialect d, List<KeyColumn> keyColumns) {
        StringBuilder sb = new StringBuilder();
        for (KeyColumn k : keyColumns) {
            sb.append(sb.length() == 0 ? "" : " AND ").append(d.identifier("key column", k.column)).append(" = ?");
        }
        return sb.toString();
    }

    private void renderKey(SqlRenderer w, Dialect d) {
        for (int i = 0; i < keyColumns.size(); i++) {
            KeyColumn k = keyColumns.get(i);
            w.append(i == 0 ? "" : " AND ").append(d.identifier("key column", k.column)).append(" = ")
                    .param(k.value);
        }
    }

    private void checkColumns(UpdateSpec u) {
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

    static void checkVersionType(boolean timestamp, Object expected) {
        if (timestamp) {
            if (!(expected instanceof Date || expected instanceof Temporal)) {
                throw new IllegalArgumentException("the expected version of a timestamp version column must be a "
                        + "date-time value as read from the column: expectedVersion=" + expected + " ("
                        + expected.getClass().getName() + ")");
            }
        } else if (!(expected instanceof Long || expected instanceof Integer || expected instanceof Short
                || expected instanceof BigInteger || expected instanceof BigDecimal)) {
            throw new IllegalArgumentException("the expected version of a numeric version column must be an "
                    + "integer (Long, Integer, Short, BigInteger, BigDecimal); for a timestamp version declare "
                    + "timestampVersionColumn(...): expectedVersion=" + expected + " ("
                    + expected.getClass().getName() + ")");
        }
    }

    static Object plusOne(Object v) {
        if (v instanceof BigDecimal) {
            return ((BigDecimal) v).add(BigDecimal.ONE);
        }
        if (v instanceof BigInteger) {
            return ((BigInteger) v).add(BigInteger.ONE);
        }
        return Math.addExact(((Number) v).longValue(), 1L);
    }

    static Object keyOf(List<KeyColumn> keyColumns) {
        if (keyColumns.size() == 1) {
            return keyColumns.get(0).value;
        }
        List<Object> values = new ArrayList<>(keyColumns.size());
        keyColumns.forEach(k -> values.add(k.value));
        return List.copyOf(values);
    }

    static String columnList(Dialect d, List<String> columns) {
        StringBuilder sb = new StringBuilder();
        for (String c : columns) {
            sb.append(sb.length() == 0 ? "" : ", ").append(d.identifier("column", c));
        }
        return sb.toString();
    }

    static boolean containsName(List<String> names, String name) {
        for (String n : names) {
            if (n.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** {@code List.copyOf} refuses nulls; bound values may be {@code null}. */
    private static List<Object> nullSafe(List<Object> params) {
        return Collections.unmodifiableList(new ArrayList<>(params));
    }
}

package dev.latchkey.jdbc.update;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import dev.latchkey.StaleVersionException;
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.sql.Expression;
import dev.latchkey.jdbc.sql.Row;
import org.jetbrains.annotations.Nullable;

/**
 * One execution of a conditional {@code UPDATE}: the {@link RenderedUpdate} of its shape (the
 * statement, how its result reads, the follow-up read that tells "not found" from "guard failed"
 * from "stale version" when it updated nothing) and the values of this execution. Built from an
 * {@link Update} by {@link #of} or from a {@link PreparedUpdate}'s arguments; immutable.
 *
 * <p>Statement shape: {@code UPDATE t SET <assignments>[, version = <next>] WHERE <key> [AND
 * <guards>] [AND version = ?]}, with {@code RETURNING} (or H2's {@code FINAL TABLE}) when columns
 * are returned and the dialect can. Parameters: the assignments', the key's, the guards', the
 * expected version.
 */
final class UpdatePlan {
    /** What rendering produced for this update's shape: shared by every update of that shape. */
    final RenderedUpdate rendered;
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
    /** {@code SELECT <key>[, version] FROM t WHERE}: the prefix of a batch's follow-up read. */
    final String keyedReadPrefix;
    /** What a read inside a transaction appends to see the latest committed row. */
    final String latestRowReadSuffix;

    /**
     * The plan of one execution: the rendering of its shape and its values.
     *
     * @param params the statement's values, in the order of its parameters
     * @param keyColumns the key, with its values
     * @param expectedVersion the version the row must be at, or {@code null}
     */
    UpdatePlan(RenderedUpdate r, List<Object> params, List<KeyColumn> keyColumns, @Nullable Object expectedVersion) {
        this.rendered = r;
        this.table = r.table;
        this.keyColumns = keyColumns;
        this.key = keyOf(keyColumns);
        this.sql = r.sql;
        this.params = params;
        this.returnsRow = r.returnsRow;
        this.statementColumns = r.statementColumns;
        this.returning = r.returning;
        this.readBackSql = r.readBackSql;
        this.readBackColumns = r.readBackColumns;
        this.versionColumn = r.versionColumn;
        this.expectedVersion = expectedVersion;
        if (expectedVersion != null) {
            checkVersionType(r.timestampVersion, expectedVersion);
        }
        this.computedNewVersion = expectedVersion != null && !r.timestampVersion ? plusOne(expectedVersion) : null;
        this.hasGuards = r.hasGuards;
        this.followUpSql = r.followUpSql;
        this.keyedReadPrefix = r.keyedReadPrefix;
        this.latestRowReadSuffix = r.latestRowReadSuffix;
    }

    /**
     * The plan of a builder's update: the rendering of its shape, from the cache when an update of
     * the same shape was rendered before, and the builder's values.
     *
     * @throws IllegalArgumentException if the builder is incomplete or inconsistent, or holds a
     *         {@code param()} placeholder (which only a prepared update can run)
     */
    static UpdatePlan of(UpdateSpec u, Dialect d) {
        RenderedUpdate r = RenderedUpdate.of(u, d);
        List<Object> params = r.values(u);
        for (int i = 0; i < params.size(); i++) {
            if (Expression.isPlaceholder(params.get(i))) {
                throw new IllegalArgumentException("update of " + r.table + " holds param() placeholders: run it "
                        + "with prepare().execute(arguments...), or give values instead of param()");
            }
        }
        return new UpdatePlan(r, params, u.key(), u.expectedVersion());
    }

    /** The parameters of {@link #followUpSql}: the expected version (if any), then the key values. */
    List<Object> followUpParams() {
        List<Object> fp = new ArrayList<>(keyColumns.size() + 1);
        if (expectedVersion != null) {
            fp.add(expectedVersion);
        }
        for (int i = 0; i < keyColumns.size(); i++) {
            fp.add(keyColumns.get(i).value);
        }
        return fp;
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
        if (row == null && returning.isEmpty()) {
            return new UpdateResult(UpdateResult.Status.APPLIED, key, Row.empty(), computedNewVersion,
                    expectedVersion, null);
        }
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
}

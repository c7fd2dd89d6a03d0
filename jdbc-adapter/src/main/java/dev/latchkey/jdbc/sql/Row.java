package dev.latchkey.jdbc.sql;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Column values of one row, as the driver returned them ({@code ResultSet.getObject}). Column
 * names are looked up case-insensitively (H2 reports {@code STOCK} for {@code stock}). Immutable
 * and thread-safe (as long as the values themselves are not mutated).
 *
 * <p>The one row type of Latchkey's builders: an update's returned values, a read-modify-write's
 * current row, and (as {@code LockedRow}) a locked row. Subclasses add what their feature knows
 * about the row; the accessors and their strictness ({@link #getInt} refuses a value that does not
 * fit) are the same for all.
 */
public class Row {
    private static final Row EMPTY = new Row(List.of(), List.of());

    private final List<String> columns;
    /** The values, in the order of {@link #columns}; never changed after construction. */
    private final Object[] values;

    /**
     * A row of the given columns and values, in order.
     *
     * @param columns the column labels
     * @param values the values, one per column ({@code null} for SQL {@code NULL})
     * @throws IllegalArgumentException if the lists differ in size
     */
    protected Row(@NotNull List<String> columns, @NotNull List<?> values) {
        if (columns.size() != values.size()) {
            throw new IllegalArgumentException("columns and values differ in size");
        }
        this.columns = List.copyOf(columns);
        this.values = values.toArray();
    }

    /**
     * A copy of another row: for a subclass that wraps a row read with {@link #read(ResultSet)}.
     *
     * @param row the row
     */
    protected Row(@NotNull Row row) {
        this.columns = row.columns;
        this.values = row.values;
    }

    /**
     * A row of the given columns and values, in order.
     *
     * @param columns the column labels
     * @param values the values, one per column ({@code null} for SQL {@code NULL})
     * @return the row
     * @throws IllegalArgumentException if the lists differ in size
     */
    public static @NotNull Row of(@NotNull List<String> columns, @NotNull List<?> values) {
        if (columns.size() != values.size()) {
            throw new IllegalArgumentException("columns and values differ in size");
        }
        return columns.isEmpty() ? EMPTY : new Row(columns, values);
    }

    /**
     * Reads the current row of a result set, every column by its label; does not move the cursor.
     *
     * @param rs the result set, on a row
     * @return the row
     * @throws SQLException on a driver error
     */
    public static @NotNull Row read(@NotNull ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> labels = new ArrayList<>(n);
        List<Object> values = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            labels.add(md.getColumnLabel(i));
            values.add(rs.getObject(i));
        }
        return of(labels, values);
    }

    /**
     * Returns the row of no column.
     *
     * @return the row of no column
     */
    public static @NotNull Row empty() {
        return EMPTY;
    }

    /**
     * Returns the column names, in the order they were read.
     *
     * @return the column names, in the order they were read
     */
    public @NotNull List<String> columns() {
        return columns;
    }

    /**
     * Returns whether the row holds no column.
     *
     * @return whether the row holds no column
     */
    public boolean isEmpty() {
        return columns.isEmpty();
    }

    /**
     * Whether the row holds a column.
     *
     * @param column the column name, any case
     * @return {@code true} when present
     */
    public boolean has(@NotNull String column) {
        return index(column) >= 0;
    }

    /**
     * The value of a column.
     *
     * @param column the column name, any case
     * @return the value, {@code null} for SQL {@code NULL}
     * @throws IllegalArgumentException if the row has no such column
     */
    public @Nullable Object get(@NotNull String column) {
        int i = index(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + column + " in this row; columns=" + columns);
        }
        return values[i];
    }

    /**
     * The value of a numeric column as a {@code long}.
     *
     * @param column the column name, any case
     * @return the value
     * @throws IllegalArgumentException if the row has no such column
     * @throws IllegalStateException if the value is {@code NULL} or not a number
     */
    public long getLong(@NotNull String column) {
        return number(column).longValue();
    }

    /**
     * The value of a numeric column as an {@code int}.
     *
     * @param column the column name, any case
     * @return the value
     * @throws IllegalArgumentException if the row has no such column
     * @throws IllegalStateException if the value is {@code NULL}, not a number, or out of range
     */
    public int getInt(@NotNull String column) {
        long v = getLong(column);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalStateException(column + " does not fit an int: " + v);
        }
        return (int) v;
    }

    /**
     * The value of a numeric column as a {@link BigDecimal}.
     *
     * @param column the column name, any case
     * @return the value, {@code null} for SQL {@code NULL}
     * @throws IllegalArgumentException if the row has no such column
     * @throws IllegalStateException if the value is not a number
     */
    public @Nullable BigDecimal getBigDecimal(@NotNull String column) {
        Object v = get(column);
        if (v == null) {
            return null;
        }
        if (v instanceof BigDecimal) {
            return (BigDecimal) v;
        }
        if (v instanceof Number) {
            return new BigDecimal(v.toString());
        }
        throw new IllegalStateException(column + " is not a number: " + v.getClass().getName());
    }

    /**
     * The value of a column as a string ({@code toString()} of what the driver returned).
     *
     * @param column the column name, any case
     * @return the value, {@code null} for SQL {@code NULL}
     * @throws IllegalArgumentException if the row has no such column
     */
    public @Nullable String getString(@NotNull String column) {
        Object v = get(column);
        return v == null ? null : v.toString();
    }

    /**
     * Returns the values by column name, in column order.
     *
     * @return the values by column name, in column order
     */
    public @NotNull Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String c : columns) {
            m.put(c, values[index(c)]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The column's index, case-insensitively; the last of equal labels wins. {@code -1} when absent. */
    private int index(String column) {
        for (int i = columns.size() - 1; i >= 0; i--) {
            if (columns.get(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    private Number number(String column) {
        Object v = get(column);
        if (v == null) {
            throw new IllegalStateException(column + " is NULL");
        }
        if (!(v instanceof Number)) {
            throw new IllegalStateException(column + " is not a number: " + v.getClass().getName());
        }
        return (Number) v;
    }

    @Override
    public @NotNull String toString() {
        return asMap().toString();
    }
}

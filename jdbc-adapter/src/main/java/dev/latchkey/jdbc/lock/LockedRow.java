package dev.latchkey.jdbc.lock;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * One row returned by a locking read: the column values as the driver returned them
 * ({@link ResultSet#getObject(int)}), by column label. Column lookup ignores case, since
 * PostgreSQL folds unquoted names to lower case and H2 to upper case.
 *
 * <p>Immutable (as far as the driver's value objects are) and thread-safe.
 */
public final class LockedRow {
    private final Object key;
    private final List<String> columns;
    private final Map<String, Integer> index;
    private final List<Object> values;

    private LockedRow(Object key, List<String> columns, Map<String, Integer> index, List<Object> values) {
        this.key = key;
        this.columns = columns;
        this.index = index;
        this.values = values;
    }

    /**
     * A row reader for one result set: reads the column labels once, then one {@link LockedRow}
     * per row.
     *
     * @param keyColumn the key column's name, whose value {@link #key()} returns
     * @return a new mapper; use it for one result set only
     */
    static RowMapper<LockedRow> reader(String keyColumn) {
        return new RowMapper<>() {
            private List<String> columns;
            private Map<String, Integer> index;
            private int keyIndex;

            @Override
            public @NotNull LockedRow map(@NotNull ResultSet row) throws SQLException {
                if (columns == null) {
                    ResultSetMetaData md = row.getMetaData();
                    List<String> names = new ArrayList<>(md.getColumnCount());
                    Map<String, Integer> byName = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        String label = md.getColumnLabel(i);
                        names.add(label);
                        byName.putIfAbsent(label.toLowerCase(Locale.ROOT), i - 1);
                    }
                    columns = Collections.unmodifiableList(names);
                    index = Collections.unmodifiableMap(byName);
                    Integer k = byName.get(keyColumn.toLowerCase(Locale.ROOT));
                    if (k == null) {
                        throw new IllegalStateException("the key column " + keyColumn + " is not in the result: "
                                + names);
                    }
                    keyIndex = k;
                }
                Object[] values = new Object[columns.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = row.getObject(i + 1);
                }
                List<Object> list = Collections.unmodifiableList(java.util.Arrays.asList(values));
                return new LockedRow(values[keyIndex], columns, index, list);
            }
        };
    }

    /** @return the value of the key column */
    public @NotNull Object key() {
        return key;
    }

    /** @return the column labels, in select order */
    public @NotNull List<String> columns() {
        return columns;
    }

    /**
     * The value of a column.
     *
     * @param column the column label, any case
     * @return the value, {@code null} for SQL NULL
     * @throws IllegalArgumentException if the row has no such column
     */
    public @Nullable Object get(@NotNull String column) {
        return values.get(indexOf(column));
    }

    /**
     * The value of a numeric column as a {@code long}.
     *
     * @param column the column label, any case
     * @return the value
     * @throws IllegalArgumentException if the row has no such column
     * @throws IllegalStateException if the value is NULL or not a number
     */
    public long getLong(@NotNull String column) {
        return number(column).longValue();
    }

    /**
     * The value of a numeric column as an {@code int}.
     *
     * @param column the column label, any case
     * @return the value
     * @throws IllegalArgumentException if the row has no such column
     * @throws IllegalStateException if the value is NULL or not a number
     */
    public int getInt(@NotNull String column) {
        return number(column).intValue();
    }

    /**
     * The value of a column as a string.
     *
     * @param column the column label, any case
     * @return {@code String.valueOf(value)}, or {@code null} for SQL NULL
     * @throws IllegalArgumentException if the row has no such column
     */
    public @Nullable String getString(@NotNull String column) {
        Object v = get(column);
        return v == null ? null : v.toString();
    }

    /** @return the values by column label, in select order; an immutable copy */
    public @NotNull Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            m.put(columns.get(i), values.get(i));
        }
        return Collections.unmodifiableMap(m);
    }

    private Number number(String column) {
        Object v = get(column);
        if (!(v instanceof Number)) {
            throw new IllegalStateException("column " + column + " is not a number: " + v);
        }
        return (Number) v;
    }

    private int indexOf(String column) {
        Integer i = index.get(Objects.requireNonNull(column, "column").toLowerCase(Locale.ROOT));
        if (i == null) {
            throw new IllegalArgumentException("no column " + column + " in the row; columns: " + columns);
        }
        return i;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LockedRow)) {
            return false;
        }
        LockedRow other = (LockedRow) o;
        return columns.equals(other.columns) && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return 31 * columns.hashCode() + values.hashCode();
    }

    @Override
    public String toString() {
        return "LockedRow" + values();
    }
}

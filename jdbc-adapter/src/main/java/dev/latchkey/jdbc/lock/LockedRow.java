package dev.latchkey.jdbc.lock;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.latchkey.jdbc.sql.Row;
import org.jetbrains.annotations.NotNull;

/**
 * One row returned by a locking read: a {@link Row} (the column values as the driver returned
 * them, looked up by label ignoring case, with {@code Row}'s rules, e.g. {@link #getInt} refuses
 * a value that does not fit) that also knows its key.
 *
 * <p>Immutable (as far as the driver's value objects are) and thread-safe.
 */
public final class LockedRow extends Row {
    private final Object key;

    private LockedRow(List<String> columns, List<Object> values, Object key) {
        super(columns, values);
        this.key = key;
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
            private int keyIndex;

            @Override
            public @NotNull LockedRow map(@NotNull ResultSet row) throws SQLException {
                if (columns == null) {
                    ResultSetMetaData md = row.getMetaData();
                    List<String> names = new ArrayList<>(md.getColumnCount());
                    keyIndex = -1;
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        String label = md.getColumnLabel(i);
                        if (keyIndex < 0 && label.equalsIgnoreCase(keyColumn)) {
                            keyIndex = i - 1;
                        }
                        names.add(label);
                    }
                    if (keyIndex < 0) {
                        throw new IllegalStateException("the key column " + keyColumn + " is not in the result: "
                                + names);
                    }
                    columns = List.copyOf(names);
                }
                List<Object> values = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                    values.add(row.getObject(i));
                }
                return new LockedRow(columns, values, values.get(keyIndex));
            }
        };
    }

    /**
     * Returns the value of the key column.
     *
     * @return the value of the key column
     */
    public @NotNull Object key() {
        return key;
    }

    /**
     * The values by column label, in select order; the same as {@link #asMap()}.
     *
     * @return an immutable copy
     */
    public @NotNull Map<String, Object> values() {
        return asMap();
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
        return columns().equals(other.columns()) && asMap().equals(other.asMap());
    }

    @Override
    public int hashCode() {
        return 31 * columns().hashCode() + asMap().hashCode();
    }

    @Override
    public @NotNull String toString() {
        return "LockedRow" + asMap();
    }
}

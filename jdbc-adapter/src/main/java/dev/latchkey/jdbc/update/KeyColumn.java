package dev.latchkey.jdbc.update;

import dev.latchkey.jdbc.sql.Condition;
import dev.latchkey.jdbc.sql.Expression;

/** One {@code column = value} part of a row's key. */
final class KeyColumn {
    final String column;
    final Object value;

    KeyColumn(String column, Object value) {
        this.column = column;
        this.value = value;
    }

    static KeyColumn of(String column, Object value) {
        Names.column("key column", column);
        if (value == null) {
            throw new IllegalArgumentException("key column " + column + " must not be null: a key identifies one row");
        }
        if ((value instanceof Expression && !Expression.isPlaceholder(value)) || value instanceof Condition) {
            throw new IllegalArgumentException("key column " + column + " takes a value to bind, not " + value);
        }
        return new KeyColumn(column, value);
    }
}

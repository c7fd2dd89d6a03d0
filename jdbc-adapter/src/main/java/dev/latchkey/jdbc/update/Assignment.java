package dev.latchkey.jdbc.update;

import java.util.Set;

import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.sql.Condition;
import dev.latchkey.jdbc.sql.Expression;
import dev.latchkey.jdbc.sql.SqlRenderer;
import org.jetbrains.annotations.Nullable;

/** One {@code column = expression} of a {@code SET} list. */
final class Assignment {
    final String column;
    final Expression value;

    Assignment(String column, Expression value) {
        this.column = column;
        this.value = value;
    }

    /**
     * The assignment a builder method was given: an {@link Expression}, or a value to bind.
     *
     * @param method the builder method, for the message ({@code "set"}, {@code "onConflict"})
     * @throws IllegalArgumentException if the column name is not valid or the value is a {@link Condition}
     */
    static Assignment of(String method, String column, @Nullable Object value) {
        Names.column("column", column);
        if (value instanceof Condition) {
            throw new IllegalArgumentException(method + "(\"" + column + "\", ...) takes an Expression or a value, "
                    + "not a Condition: value=" + value);
        }
        return new Assignment(column, value instanceof Expression ? (Expression) value : Expression.value(value));
    }

    String canonicalColumn() {
        return Names.canonical(column);
    }

    /**
     * Returns the canonical names of the columns the value reads.
     *
     * @return the canonical names of the columns the value reads
     */
    Set<String> reads() {
        return value.readColumns();
    }

    void render(SqlRenderer w, Dialect d) {
        w.append(d.identifier("column", column)).append(" = ").expression(value);
    }
}

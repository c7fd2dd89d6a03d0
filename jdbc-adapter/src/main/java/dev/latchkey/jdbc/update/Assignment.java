package dev.latchkey.jdbc.update;

import java.util.HashSet;
import java.util.Set;

/** One {@code column = expression} of a {@code SET} list. */
final class Assignment {
    final String column;
    final Expression value;

    Assignment(String column, Expression value) {
        this.column = column;
        this.value = value;
    }

    String canonicalColumn() {
        return Names.canonical(column);
    }

    /** @return the canonical names of the columns the value reads */
    Set<String> reads() {
        Set<String> s = new HashSet<>();
        value.readColumns(s);
        return s;
    }

    void render(SqlWriter w) {
        w.append(w.name(column)).append(" = ");
        value.render(w);
    }
}

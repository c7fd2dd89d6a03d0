package dev.latchkey.jdbc.update;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import dev.latchkey.jdbc.dialect.Identifiers;
import dev.latchkey.jdbc.sql.ColumnNames;

/** Validation of the names the builders take, with messages that name the bad input. */
final class Names {
    private Names() {
    }

    /**
     * Checks a column name: a single identifier part (no schema or table prefix).
     *
     * @throws IllegalArgumentException naming the bad input
     */
    static String column(String what, String name) {
        return ColumnNames.require(what, name);
    }

    /** Checks a table name: {@code name} or {@code schema.name}. */
    static String table(String name) {
        return Identifiers.require("table", name);
    }

    /** The form two names are compared in: SQL names are case-insensitive unless quoted. */
    static String canonical(String name) {
        return ColumnNames.canonical(name);
    }

    /**
     * The columns a builder asks for, plus more: each checked, none repeated.
     *
     * @throws IllegalArgumentException if a name is not valid or already asked for
     */
    static List<String> withReturning(List<String> returning, String... columns) {
        List<String> r = new ArrayList<>(returning);
        for (String c : Objects.requireNonNull(columns, "columns")) {
            column("returning column", c);
            if (UpdatePlan.containsName(r, c)) {
                throw new IllegalArgumentException("returning column " + c + " is asked for twice");
            }
            r.add(c);
        }
        return List.copyOf(r);
    }

    /** An unmodifiable copy of a builder's list with one more item: builders never share a mutable list. */
    static <T> List<T> append(List<T> list, T item) {
        // the common one- and two-item lists without a copy array and a wrapper (items are never null)
        if (list.isEmpty()) {
            return List.of(item);
        }
        if (list.size() == 1) {
            return List.of(list.get(0), item);
        }
        List<T> copy = new ArrayList<>(list.size() + 1);
        copy.addAll(list);
        copy.add(item);
        return Collections.unmodifiableList(copy);
    }
}

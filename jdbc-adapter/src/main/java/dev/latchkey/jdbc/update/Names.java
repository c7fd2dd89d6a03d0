package dev.latchkey.jdbc.update;

import java.util.Locale;

import dev.latchkey.jdbc.dialect.Identifiers;

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
        Identifiers.require(what, name);
        if (name.indexOf('.') >= 0) {
            throw new IllegalArgumentException(what + " must be a plain column name without a table prefix: "
                    + what + "='" + name + "'");
        }
        return name;
    }

    /** Checks a table name: {@code name} or {@code schema.name}. */
    static String table(String name) {
        return Identifiers.require("table", name);
    }

    /** The form two names are compared in: SQL names are case-insensitive unless quoted. */
    static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}

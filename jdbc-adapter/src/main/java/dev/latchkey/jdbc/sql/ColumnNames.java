package dev.latchkey.jdbc.sql;

import java.util.Locale;

import dev.latchkey.jdbc.dialect.Identifiers;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Validation and comparison of the column names Latchkey's builders take: one place, so the
 * update and lock builders refuse the same names with the same message.
 */
public final class ColumnNames {
    private ColumnNames() {
    }

    /**
     * Checks a column name: a single identifier part (no schema or table prefix).
     *
     * @param what what the name is for, used in the error message (e.g. {@code "key column"})
     * @param name the name
     * @return the name, unchanged
     * @throws IllegalArgumentException naming the bad input
     */
    public static @NotNull String require(@NotNull String what, @Nullable String name) {
        Identifiers.require(what, name);
        if (name.indexOf('.') >= 0) {
            throw new IllegalArgumentException(what + " must be a plain column name without a table prefix: "
                    + what + "='" + name + "'");
        }
        return name;
    }

    /**
     * The form two names are compared in: SQL names are case-insensitive unless quoted.
     *
     * @param name a validated name
     * @return its lower-case form
     */
    public static @NotNull String canonical(@NotNull String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}

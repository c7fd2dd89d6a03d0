package dev.latchkey.jdbc.dialect;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Validation of table and column names. A valid identifier is one or two dot-separated parts
 * ({@code table} or {@code schema.table}), each a letter or underscore followed by letters,
 * digits or underscores, at most 63 characters. Anything else is rejected, so no SQL can be
 * smuggled in through a name.
 */
public final class Identifiers {
    private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    /** Words reserved by at least one supported database; such names are quoted when rendered. */
    static final Set<String> RESERVED = Set.of(
            "all", "and", "any", "array", "as", "asc", "between", "both", "by", "case", "cast", "check",
            "column", "constraint", "create", "cross", "current_date", "current_time", "current_timestamp",
            "current_user", "default", "delete", "desc", "distinct", "do", "else", "end", "except", "exists",
            "false", "fetch", "for", "foreign", "from", "full", "group", "having", "if", "in", "index", "inner",
            "insert", "intersect", "interval", "into", "is", "join", "key", "leading", "left", "like", "limit",
            "lock", "minus", "natural", "not", "null", "of", "offset", "on", "or", "order", "outer", "primary",
            "references", "right", "row", "rows", "select", "set", "some", "table", "then", "to", "trailing",
            "true", "union", "unique", "update", "user", "using", "value", "values", "when", "where", "window",
            "with", "year", "month", "day", "hour", "minute", "second", "range", "rank", "read", "release",
            "returning", "schema", "status", "system_user", "top", "trigger", "uid", "usage", "varchar");

    private Identifiers() {
    }

    /**
     * Checks a table or column name.
     *
     * @param what what the name is for, used in the error message (e.g. {@code "table"})
     * @param name the name
     * @return the name, unchanged
     * @throws IllegalArgumentException naming the bad input if it is not a valid identifier
     */
    public static @NotNull String require(@NotNull String what, @Nullable String name) {
        if (name == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException(what + " must be a name or schema.name: " + what + "=" + quoteForMessage(name));
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                throw new IllegalArgumentException(what + " is not a valid identifier (letters, digits and _, "
                        + "not starting with a digit, at most 63 characters): " + what + "=" + quoteForMessage(name));
            }
        }
        return name;
    }

    /**
     * Whether a single identifier part is a reserved word in some supported database.
     *
     * @param part one part of a validated identifier
     * @return {@code true} when it must be quoted
     */
    public static boolean isReserved(@NotNull String part) {
        return RESERVED.contains(part.toLowerCase(Locale.ROOT));
    }

    private static String quoteForMessage(String s) {
        return "'" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'";
    }
}

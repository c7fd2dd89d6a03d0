package dev.latchkey.jdbc.dialect;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Validation of table and column names. A valid identifier is one or two dot-separated parts
 * ({@code table} or {@code schema.table}). Each part is either
 * <ul>
 *   <li>plain: a letter or underscore followed by letters, digits or underscores, at most 63
 *       characters; it denotes whatever the database takes the unquoted name to mean (its case
 *       is folded as the database folds unquoted names), or</li>
 *   <li>quoted: written in double quotes, e.g. {@code "OrderLines"}, for an object created with
 *       a quoted, case-sensitive name; the text between the quotes is used verbatim (exact
 *       case) and must be 1 to 63 bytes of UTF-8 without quote characters ({@code " ` '}),
 *       dots, control characters, or leading or trailing white space.</li>
 * </ul>
 * Anything else is rejected, so no SQL can be smuggled in through a name.
 */
public final class Identifiers {
    private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final int MAX_QUOTED_BYTES = 63;

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
        if (isPlain(name)) {
            return name;
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException(what + " must be a name or schema.name: " + what + "=" + quoteForMessage(name));
        }
        for (String part : parts) {
            if (isQuoted(part)) {
                String problem = quotedPartProblem(part.substring(1, part.length() - 1));
                if (problem != null) {
                    throw new IllegalArgumentException(what + " is not a valid quoted identifier (" + problem + "): "
                            + what + "=" + quoteForMessage(name));
                }
            } else if (!PART.matcher(part).matches()) {
                throw new IllegalArgumentException(what + " is not a valid identifier (letters, digits and _, "
                        + "not starting with a digit, at most 63 characters; or a name in double quotes): "
                        + what + "=" + quoteForMessage(name));
            }
        }
        return name;
    }

    /**
     * The common case without a regular expression or an allocation: {@code name} or
     * {@code schema.name}, each part {@code [A-Za-z_][A-Za-z0-9_]{0,62}} (what {@code PART} matches).
     * Anything else goes the long way, which also words the error.
     */
    private static boolean isPlain(String name) {
        int partStart = 0;
        int dots = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (i == partStart || ++dots > 1) {
                    return false;
                }
                partStart = i + 1;
            } else if (i - partStart >= 63) {
                return false;
            } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
                    || i > partStart && c >= '0' && c <= '9')) {
                return false;
            }
        }
        return partStart < name.length();
    }

    /**
     * Whether one part of an identifier is written in double quotes.
     *
     * @param part one dot-separated part
     * @return {@code true} for e.g. {@code "OrderLines"}
     */
    static boolean isQuoted(String part) {
        return part.length() >= 2 && part.charAt(0) == '"' && part.charAt(part.length() - 1) == '"';
    }

    private static String quotedPartProblem(String inner) {
        if (inner.isEmpty()) {
            return "empty";
        }
        if (inner.getBytes(StandardCharsets.UTF_8).length > MAX_QUOTED_BYTES) {
            return "longer than " + MAX_QUOTED_BYTES + " bytes of UTF-8";
        }
        if (Character.isWhitespace(inner.codePointAt(0)) || Character.isWhitespace(inner.codePointBefore(inner.length()))) {
            return "leading or trailing white space";
        }
        for (int i = 0; i < inner.length(); ) {
            int cp = inner.codePointAt(i);
            if (cp == '"' || cp == '`' || cp == '\'') {
                return "contains a quote character";
            }
            if (cp == '.') {
                return "contains a dot";
            }
            int type = Character.getType(cp);
            if (Character.isISOControl(cp) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.FORMAT || type == Character.SURROGATE || type == Character.UNASSIGNED) {
                return "contains a control, format or unassigned character";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    private static String quoteForMessage(String s) {
        return "'" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'";
    }

    /**
     * Validates and renders a name for a database (see {@code Dialect.identifier}): a quoted part
     * keeps its exact case in the database's quote character; a plain part is quoted only when
     * it is one of the database's keywords, folded as the database folds unquoted names.
     *
     * @param product the database
     * @param keywords its keywords, lower case
     * @param what what the name is for, used in the error message
     * @param name the name, {@code name} or {@code schema.name}
     * @return the rendered identifier
     * @throws IllegalArgumentException naming the bad input if it is not a valid identifier
     */
    static @NotNull String render(@NotNull DatabaseProduct product, @NotNull Set<String> keywords,
                                  @NotNull String what, @NotNull String name) {
        require(what, name);
        int dot = name.indexOf('.');
        if (dot < 0) {
            return renderPart(product, keywords, name);
        }
        return renderPart(product, keywords, name.substring(0, dot)) + "."
                + renderPart(product, keywords, name.substring(dot + 1));
    }

    private static String renderPart(DatabaseProduct product, Set<String> keywords, String part) {
        if (isQuoted(part)) {
            return quote(product, part.substring(1, part.length() - 1));
        }
        if (!keywords.contains(part.toLowerCase(Locale.ROOT))) {
            return part;
        }
        // quoted, a name must be in the case the database folds unquoted names to, or it is another name
        switch (product) {
            case POSTGRESQL:
                return quote(product, part.toLowerCase(Locale.ROOT));
            case H2:
                return quote(product, part.toUpperCase(Locale.ROOT));
            default:
                return quote(product, part);
        }
    }

    /** Backticks on MariaDB and MySQL, double quotes (standard SQL) elsewhere; the case is kept. */
    private static String quote(DatabaseProduct product, String part) {
        return product.isMySqlFamily() ? '`' + part + '`' : '"' + part + '"';
    }
}

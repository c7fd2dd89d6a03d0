package dev.latchkey.jdbc.error;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.latchkey.jdbc.dialect.DatabaseProduct;
import org.jetbrains.annotations.Nullable;

/** The name of the constraint a unique violation names, read from each database's message. */
final class ConstraintNames {
    private static final Pattern PG_CONSTRAINT = Pattern.compile("constraint \"([^\"]+)\"");
    private static final Pattern MYSQL_KEY = Pattern.compile("for key '([^']+)'");
    /**
     * H2 names the unique index, optionally schema-qualified, quoted ({@code ""name""} inside the
     * message's own quotes) when needed: {@code violation: "PUBLIC.UQ_NAME_INDEX_5 ON PUBLIC.T(..."}.
     * A primary key reads {@code "PRIMARY KEY ON PUBLIC.T(ID) ..."} and names nothing.
     */
    private static final Pattern H2_INDEX = Pattern.compile(
            "violation: \"(?:(?:\"\"[^\"]*\"\"|[^\"\\s.]+)\\.)?(\"\"[^\"]*\"\"|[^\"\\s.]+) ON ");
    /** The suffix H2 appends to the name of the index that backs a named unique constraint. */
    private static final Pattern H2_CONSTRAINT_INDEX_SUFFIX = Pattern.compile("_INDEX_[0-9A-Z]{1,8}$");
    private static final Pattern ORACLE_CONSTRAINT = Pattern.compile("unique constraint \\(([^)]+)\\)");
    private static final Pattern SQL_SERVER_CONSTRAINT =
            Pattern.compile("(?:constraint|unique index) '([^']+)'");

    private ConstraintNames() {
    }

    /** See {@link SqlErrorTranslator#constraintName(java.sql.SQLException)}. */
    static @Nullable String of(DatabaseProduct product, @Nullable String msg) {
        if (msg == null) {
            return null;
        }
        switch (product) {
            case MARIADB:
            case MYSQL:
                String key = lastGroup(MYSQL_KEY, msg);
                if (key != null && product == DatabaseProduct.MYSQL && key.indexOf('.') > 0) {
                    key = key.substring(key.indexOf('.') + 1);
                }
                return key;
            case H2:
                return h2ConstraintName(msg);
            case ORACLE:
                String owned = firstGroup(ORACLE_CONSTRAINT, msg);
                return owned == null ? null : owned.substring(owned.indexOf('.') + 1);
            case SQL_SERVER:
                return firstGroup(SQL_SERVER_CONSTRAINT, msg);
            default:
                return firstGroup(PG_CONSTRAINT, msg);
        }
    }

    private static @Nullable String h2ConstraintName(String msg) {
        String index = firstGroup(H2_INDEX, msg);
        if (index == null) {
            return null;
        }
        if (index.startsWith("\"\"")) {
            return index.substring(2, index.length() - 2);
        }
        String constraint = H2_CONSTRAINT_INDEX_SUFFIX.matcher(index).replaceFirst("");
        // an unnamed constraint's index is CONSTRAINT_INDEX_n: that name is all there is
        return constraint.isEmpty() || constraint.equals("CONSTRAINT") ? index : constraint;
    }

    private static @Nullable String firstGroup(Pattern p, String msg) {
        Matcher m = p.matcher(msg);
        return m.find() ? m.group(1) : null;
    }

    /** The last match: the duplicate value quoted earlier in the message may itself contain the pattern. */
    private static @Nullable String lastGroup(Pattern p, String msg) {
        Matcher m = p.matcher(msg);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }
}

package dev.latchkey.jdbc.idempotency;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.latchkey.jdbc.dialect.Dialect;

/**
 * The shipped schema files of the idempotency table, read from this package's resources with
 * the default table name replaced: one file per database, named after its product
 * ({@code postgresql.sql}, {@code mariadb.sql}, {@code h2.sql}). Stateless.
 */
final class IdempotencySchema {
    private static final Pattern NAME = Pattern.compile("\\b" + JdbcIdempotencyStore.DEFAULT_TABLE + "(_[a-z]+)?\\b");
    private static final int MAX_IDENTIFIER = 63;

    private IdempotencySchema() {
    }

    /**
     * The DDL statements for a table.
     *
     * @param dialect the database's dialect
     * @param table the validated table name, {@code name} or {@code schema.name}
     * @return the statements, without comments or terminators
     */
    static List<String> statements(Dialect dialect, String table) {
        String rendered = dialect.identifier("table", table);
        String base = table.substring(table.indexOf('.') + 1);
        String script = read(dialect.product().name().toLowerCase(Locale.ROOT) + ".sql");
        List<String> out = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            sql.append(sql.length() == 0 ? "" : "\n").append(line.stripTrailing());
            if (trimmed.endsWith(";")) {
                sql.setLength(sql.length() - 1);
                out.add(rename(sql.toString().strip(), rendered, base));
                sql.setLength(0);
            }
        }
        if (sql.length() > 0) {
            out.add(rename(sql.toString().strip(), rendered, base));
        }
        return List.copyOf(out);
    }

    private static String rename(String sql, String rendered, String base) {
        Matcher m = NAME.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String suffix = m.group(1);
            String replacement;
            if (suffix == null) {
                replacement = rendered;
            } else {
                replacement = base + suffix;
                if (replacement.length() > MAX_IDENTIFIER) {
                    throw new IllegalArgumentException("table name too long for the constraint and index names derived "
                            + "from it (" + replacement + " is over " + MAX_IDENTIFIER + " characters): table=" + base);
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String read(String resource) {
        try (InputStream in = IdempotencySchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing from latchkey-jdbc: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + resource, e);
        }
    }
}

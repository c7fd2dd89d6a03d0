package dev.latchkey.jdbc.internal;

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
import org.jetbrains.annotations.NotNull;

/**
 * The shipped schema files of a feature's table (idempotency, leases), read from the feature
 * package's resources with the default table name replaced: one file per database, named after
 * its product ({@code postgresql.sql}, {@code mariadb.sql}, {@code h2.sql}). Stateless.
 */
public final class SchemaScript {
    private static final int MAX_IDENTIFIER = 63;

    private SchemaScript() {
    }

    /**
     * The DDL statements for a table.
     *
     * @param feature a class of the feature package whose resources hold the schema files
     * @param defaultTable the table name the files use; every occurrence (and every name derived
     *        from it with a {@code _suffix}) is replaced
     * @param dialect the database's dialect
     * @param table the validated table name, {@code name} or {@code schema.name}
     * @return the statements, without comments or terminators
     */
    public static @NotNull List<String> statements(@NotNull Class<?> feature, @NotNull String defaultTable,
                                                   @NotNull Dialect dialect, @NotNull String table) {
        return statements(feature, dialect.product().name().toLowerCase(Locale.ROOT) + ".sql", defaultTable,
                dialect, table);
    }

    /**
     * The DDL statements for a table, from a schema file named by the caller.
     *
     * @param feature a class of the package whose resources hold the schema file
     * @param file the resource name, relative to that package
     * @param defaultTable the table name the file uses; every occurrence (and every name derived
     *        from it with a {@code _suffix}) is replaced
     * @param dialect the database's dialect
     * @param table the validated table name, {@code name} or {@code schema.name}
     * @return the statements, without comments or terminators
     */
    public static @NotNull List<String> statements(@NotNull Class<?> feature, @NotNull String file,
                                                   @NotNull String defaultTable, @NotNull Dialect dialect,
                                                   @NotNull String table) {
        Pattern name = Pattern.compile("\\b" + Pattern.quote(defaultTable) + "(_[a-z]+)?\\b");
        String rendered = dialect.identifier("table", table);
        String base = table.substring(table.indexOf('.') + 1);
        String script = read(feature, file);
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
                out.add(rename(name, sql.toString().strip(), rendered, base));
                sql.setLength(0);
            }
        }
        if (sql.length() > 0) {
            out.add(rename(name, sql.toString().strip(), rendered, base));
        }
        return List.copyOf(out);
    }

    private static String rename(Pattern name, String sql, String rendered, String base) {
        Matcher m = name.matcher(sql);
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

    private static String read(Class<?> feature, String resource) {
        try (InputStream in = feature.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing from latchkey-jdbc: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + resource, e);
        }
    }
}

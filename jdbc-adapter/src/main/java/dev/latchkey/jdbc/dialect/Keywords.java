package dev.latchkey.jdbc.dialect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keyword lists of the supported databases, each taken from the database's own catalogue
 * and shipped as a resource beside this class ({@code postgresql.keywords},
 * {@code mariadb.keywords}, {@code mysql.keywords}, {@code h2.keywords}; each file's header says
 * where its words came from). A name that is one of its dialect's keywords is quoted when
 * rendered. Each list is read once per class loader and shared.
 */
final class Keywords {
    static final String POSTGRESQL = "postgresql.keywords";
    static final String MARIADB = "mariadb.keywords";
    static final String MYSQL = "mysql.keywords";
    static final String H2 = "h2.keywords";

    private static final Map<String, Set<String>> LOADED = new ConcurrentHashMap<>();

    private Keywords() {
    }

    /**
     * The words of one list, lower case.
     *
     * @param resource the resource name, one of the constants of this class
     * @return the unmodifiable set of words
     * @throws IllegalStateException if the resource is missing from the jar
     */
    static Set<String> of(String resource) {
        return LOADED.computeIfAbsent(resource, Keywords::load);
    }

    private static Set<String> load(String resource) {
        Set<String> words = new HashSet<>();
        try (InputStream in = Keywords.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("keyword list " + resource + " is missing from the Latchkey jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String w = line.strip();
                if (!w.isEmpty() && !w.startsWith("#")) {
                    words.add(w.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keyword list " + resource, e);
        }
        return Set.copyOf(words);
    }
}

package dev.latchkey.jdbc.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;

/**
 * Every keyword of every database works as a column name through Latchkey's rendering, on the
 * real server: the words of the dialect's shipped list, the words of the server's own catalogue
 * ({@code pg_get_keywords()}, MariaDB's {@code INFORMATION_SCHEMA.KEYWORDS}, H2's parser), and
 * words tables are commonly given. Each word becomes a column (many per table) created with the
 * dialect's rendering and is then written with {@code latchkey.update(..).set(word, ..)}.
 */
class KeywordIdentifierTest {
    /** Names applications give columns and tables, which some database takes as a keyword. */
    static final List<String> COMMON = List.of("condition", "return", "partition", "match", "over", "signal",
            "keys", "int", "sql", "force", "describe", "authorization", "only", "analyze", "grant", "collate",
            "lateral", "verbose", "qualify", "rownum", "unknown", "status", "key", "value", "user", "order", "group",
            "window", "range", "rank", "row", "rows", "position", "level", "type", "name", "comment", "timestamp");

    private static final int COLUMNS_PER_TABLE = 400;

    @DatabaseTest
    void theShippedListHoldsEveryWordTheServerCatalogueSaysMustBeQuoted(TestDatabase db) throws Exception {
        Dialect d = db.latchkey().dialect();
        Set<String> mustQuote = new TreeSet<>(serverCatalogue(db).entrySet().stream()
                .filter(Map.Entry::getValue).map(Map.Entry::getKey).toList());
        if (db.product() != DatabaseProduct.MARIADB) {
            assertThat(mustQuote).isNotEmpty();
        }
        mustQuote.removeAll(d.keywords());
        assertThat(mustQuote).as("keywords of %s missing from its list", d).isEmpty();
    }

    @DatabaseTest
    void everyKeywordWorksAsAColumnNameInAnUpdate(TestDatabase db) throws Exception {
        Latchkey latchkey = db.latchkey();
        Dialect d = latchkey.dialect();
        Set<String> words = new TreeSet<>(d.keywords());
        words.addAll(serverCatalogue(db).keySet());
        words.addAll(COMMON);
        words.remove("kw_id");

        List<String> failures = new ArrayList<>();
        List<String> all = new ArrayList<>(words);
        for (int from = 0; from < all.size(); from += COLUMNS_PER_TABLE) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + COLUMNS_PER_TABLE));
            String table = db.uniqueName("kw");
            StringBuilder ddl = new StringBuilder("CREATE TABLE " + d.identifier("table", table) + " (kw_id INT PRIMARY KEY");
            for (String w : batch) {
                ddl.append(", ").append(d.identifier("column", w)).append(" INT");
            }
            db.execute(ddl.append(")").toString());
            db.dropAfterTest(table);
            db.execute("INSERT INTO " + table + " (kw_id) VALUES (1)");

            for (int i = 0; i < batch.size(); i++) {
                String w = batch.get(i);
                try {
                    if (!latchkey.update(table).set(w, i + 1).where("kw_id", 1).execute().applied()) {
                        failures.add(w + ": not applied");
                    }
                } catch (RuntimeException e) {
                    failures.add(w + ": " + e.getMessage());
                }
            }
            StringBuilder select = new StringBuilder("SELECT ");
            for (int i = 0; i < batch.size(); i++) {
                select.append(i == 0 ? "" : ", ").append(d.identifier("column", batch.get(i)));
            }
            select.append(" FROM ").append(table).append(" WHERE kw_id = 1");
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery(select.toString())) {
                assertThat(rs.next()).isTrue();
                for (int i = 0; i < batch.size(); i++) {
                    if (rs.getInt(i + 1) != i + 1) {
                        failures.add(batch.get(i) + ": read back " + rs.getObject(i + 1));
                    }
                }
            }
        }
        assertThat(failures).as("%d keywords tried on %s", words.size(), d).isEmpty();
    }

    /**
     * Every word as a table name, without creating hundreds of tables: an update of a table that
     * does not exist must fail as "no such table" (42P01, 42S02; H2 42S04), never as a syntax error.
     */
    @DatabaseTest
    void everyKeywordParsesAsATableName(TestDatabase db) throws Exception {
        Latchkey latchkey = db.latchkey();
        Set<String> words = new TreeSet<>(latchkey.dialect().keywords());
        words.addAll(serverCatalogue(db).keySet());
        words.addAll(COMMON);
        List<String> failures = new ArrayList<>();
        for (String w : words) {
            String state = null;
            try {
                latchkey.update(w).set("n", 1).where("kw_id", 1).execute();
            } catch (RuntimeException e) {
                for (Throwable t = e; t != null && state == null; t = t.getCause()) {
                    state = t instanceof SQLException ? ((SQLException) t).getSQLState() : null;
                }
            }
            if (!Set.of("42P01", "42S02", "42S04").contains(state)) {
                failures.add(w + ": " + state);
            }
        }
        assertThat(failures).as("%d words as table names on %s", words.size(), latchkey.dialect()).isEmpty();
    }

    @DatabaseTest
    void commonKeywordNamesWorkAsTableNames(TestDatabase db) {
        Latchkey latchkey = db.latchkey();
        Dialect d = latchkey.dialect();
        List<String> failures = new ArrayList<>();
        for (String w : COMMON) {
            String table = d.identifier("table", w);
            try {
                db.execute("DROP TABLE IF EXISTS " + table);
                db.execute("CREATE TABLE " + table + " (kw_id INT PRIMARY KEY, n INT)");
                db.dropAfterTest(table);
                db.execute("INSERT INTO " + table + " (kw_id, n) VALUES (1, 0)");
                if (!latchkey.update(w).set("n", 5).where("kw_id", 1).execute().applied()) {
                    failures.add(w + ": not applied");
                }
            } catch (RuntimeException e) {
                failures.add(w + ": " + e.getMessage() + (e.getCause() == null ? "" : " / " + e.getCause().getMessage()));
            }
        }
        assertThat(failures).isEmpty();
    }

    /**
     * The server's own keyword catalogue: each word, and whether the server says it must be
     * quoted to be a name (PostgreSQL: every category but U; MariaDB: its keywords and function
     * names, none flagged, as its catalogue has no reserved flag and its parser decides, which the
     * update tests check word by word; H2: every keyword of its parser).
     */
    static Map<String, Boolean> serverCatalogue(TestDatabase db) throws Exception {
        Map<String, Boolean> words = new LinkedHashMap<>();
        switch (db.product()) {
            case POSTGRESQL:
                query(db, "SELECT word, catcode FROM pg_get_keywords()", rs -> words.put(rs.getString(1),
                        !"U".equals(rs.getString(2))));
                break;
            case MARIADB:
                query(db, "SELECT WORD FROM INFORMATION_SCHEMA.KEYWORDS UNION SELECT FUNCTION FROM "
                        + "INFORMATION_SCHEMA.SQL_FUNCTIONS", rs -> {
                    String w = rs.getString(1).toLowerCase(Locale.ROOT);
                    if (w.matches("[a-z_][a-z0-9_]*")) {
                        words.put(w, false); // no reserved flag: the parser decides, tested word by word
                    }
                });
                break;
            case H2:
                Class<?> parser = Class.forName("org.h2.util.ParserUtil");
                for (Field f : parser.getFields()) {
                    if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())
                            && (Boolean) parser.getMethod("isKeyword", String.class, boolean.class)
                                    .invoke(null, f.getName(), false)) {
                        words.put(f.getName().toLowerCase(Locale.ROOT), true);
                    }
                }
                break;
            default:
                throw new AssertionError(db.product());
        }
        return words;
    }

    private interface RowConsumer {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(TestDatabase db, String sql, RowConsumer each) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                each.accept(rs);
            }
        }
    }
}

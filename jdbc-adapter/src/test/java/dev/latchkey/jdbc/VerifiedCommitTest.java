package dev.latchkey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.ConnectionFailureException;
import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.testing.CountingDataSource;
import dev.latchkey.jdbc.testing.CuttingProxy;
import dev.latchkey.jdbc.testing.CuttingProxy.Cut;
import dev.latchkey.jdbc.testing.DataSourceAdapter;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.DbKind;
import dev.latchkey.jdbc.testing.ProxiedDatabase;
import dev.latchkey.jdbc.testing.TestDatabase;
import dev.latchkey.retry.RetryPolicy;

/**
 * Verified commits against a real server behind a {@link CuttingProxy} that cuts the connection
 * just before {@code COMMIT} reaches the server (the transaction rolls back) or just after the
 * server processed it (committed, the acknowledgement lost). Each test increments one counter row
 * and counts the attempts, so a commit applied twice, lost, or reported wrongly fails it. H2 runs
 * through an H2 TCP server in this JVM over its in-memory database.
 */
class VerifiedCommitTest {
    private static final RetryPolicy RETRY = RetryPolicy.builder().maxAttempts(3)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(5), 2).build();

    /** A counter table with one row at 0, and the marker table. */
    private static String counter(TestDatabase db) {
        String t = db.table("vc", "id INT PRIMARY KEY, n INT NOT NULL");
        db.execute("INSERT INTO " + t + " (id, n) VALUES (1, 0)");
        db.latchkey().transactions().createCommitMarkerTableIfNotExists();
        return t;
    }

    private static Transactions runner(ProxiedDatabase proxied, boolean verified, Duration wait) {
        Transactions tx = Latchkey.builder(proxied.dataSource()).retryPolicy(RETRY).build().transactions();
        return verified ? tx.withVerifiedCommit(wait, Transactions.DEFAULT_COMMIT_MARKER_TABLE) : tx;
    }

    /** Runs one increment, counting attempts; returns "done". */
    private static String increment(Transactions tx, String table, AtomicInteger attempts) {
        return tx.run(c -> {
            attempts.incrementAndGet();
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET n = n + 1 WHERE id = 1")) {
                ps.executeUpdate();
            }
            return "done";
        });
    }

    private static int extraRequests(TestDatabase db) {
        return db.kind() == DbKind.H2 ? 1 : 0;
    }

    private static void awaitNoConnections(ProxiedDatabase proxied) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((proxied.openConnections() > 0 || proxied.proxy().openSockets() > 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(proxied.openConnections()).as("JDBC connections left open").isZero();
        assertThat(proxied.proxy().openSockets()).as("sockets left open at the proxy").isZero();
    }

    /** What one increment through a cut connection did. */
    private record Outcome(String result, RuntimeException thrown, int attempts, long counter) {
    }

    /** One increment on a fresh counter row through a proxy armed with the cut; checks nothing leaked. */
    private static Outcome incrementThroughCut(TestDatabase db, Transactions base, Cut cut) throws Exception {
        String t = counter(db);
        try (ProxiedDatabase proxied = ProxiedDatabase.of(db)) {
            Transactions tx = Latchkey.builder(proxied.dataSource()).retryPolicy(base.retryPolicy()).build()
                    .transactions().withVerifiedCommit(base.verifiedCommit());
            AtomicInteger attempts = new AtomicInteger();
            proxied.proxy().arm(cut, false, cut == Cut.AFTER_COMMIT ? extraRequests(db) : 0);
            String result = null;
            RuntimeException thrown = null;
            try {
                result = increment(tx, t, attempts);
            } catch (RuntimeException e) {
                thrown = e;
            }
            assertThat(proxied.proxy().hasFired()).as("the cut fired; the run threw %s", thrown).isTrue();
            awaitNoConnections(proxied);
            return new Outcome(result, thrown, attempts.get(), db.queryLong("SELECT n FROM " + t + " WHERE id = 1"));
        }
    }

    @DatabaseTest
    void verifiedReturnsTheResultWhenOnlyTheAcknowledgementWasLost(TestDatabase db) throws Exception {
        Outcome o = incrementThroughCut(db, db.latchkey().transactions().withRetry(RETRY).withVerifiedCommit(true),
                Cut.AFTER_COMMIT);
        assertThat(o.thrown()).isNull();
        assertThat(o.result()).isEqualTo("done");
        assertThat(o.attempts()).as("not re-run: it committed").isEqualTo(1);
        assertThat(o.counter()).as("applied exactly once").isEqualTo(1);
    }

    @DatabaseTest
    void verifiedRetriesWhenTheCommitNeverArrived(TestDatabase db) throws Exception {
        Outcome o = incrementThroughCut(db, db.latchkey().transactions().withRetry(RETRY).withVerifiedCommit(true),
                Cut.BEFORE_COMMIT);
        assertThat(o.thrown()).isNull();
        assertThat(o.result()).isEqualTo("done");
        assertThat(o.attempts()).as("re-run once: the first attempt rolled back").isEqualTo(2);
        assertThat(o.counter()).as("applied exactly once").isEqualTo(1);
    }

    @DatabaseTest
    void verifiedWithoutRetriesThrowsTheTransientFailureWhenTheCommitNeverArrived(TestDatabase db) throws Exception {
        Outcome o = incrementThroughCut(db, db.latchkey().transactions().withRetry(RetryPolicy.none())
                .withVerifiedCommit(true), Cut.BEFORE_COMMIT);
        assertThat(o.thrown()).isInstanceOf(ConnectionFailureException.class).hasMessageContaining("rolled back");
        assertThat(o.attempts()).isEqualTo(1);
        assertThat(o.counter()).as("nothing kept").isZero();
    }

    @DatabaseTest
    void plainThrowsAndNeverRetriesWhenTheAcknowledgementWasLost(TestDatabase db) throws Exception {
        Outcome o = incrementThroughCut(db, db.latchkey().transactions().withRetry(RETRY), Cut.AFTER_COMMIT);
        assertThat(o.thrown()).isInstanceOf(CommitOutcomeUnknownException.class);
        assertThat(o.attempts()).as("never retried").isEqualTo(1);
        assertThat(o.counter()).as("it did commit").isEqualTo(1);
    }

    @DatabaseTest
    void plainThrowsAndNeverRetriesWhenTheCommitNeverArrived(TestDatabase db) throws Exception {
        Outcome o = incrementThroughCut(db, db.latchkey().transactions().withRetry(RETRY), Cut.BEFORE_COMMIT);
        assertThat(o.thrown()).isInstanceOf(CommitOutcomeUnknownException.class);
        assertThat(o.attempts()).as("never retried").isEqualTo(1);
        assertThat(o.counter()).as("it did not commit").isZero();
    }

    /** PostgreSQL assigns no transaction id to a transaction that only read: its lost commit lost nothing. */
    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES})
    void verifiedReturnsAtOnceWhenTheTransactionWroteNothing(TestDatabase db) throws Exception {
        String t = counter(db);
        try (ProxiedDatabase proxied = ProxiedDatabase.of(db)) {
            Transactions tx = runner(proxied, true, Duration.ofSeconds(10));
            AtomicInteger attempts = new AtomicInteger();
            proxied.proxy().arm(Cut.BEFORE_COMMIT, true, 0); // and unreachable: no check is needed

            long n = tx.run(c -> {
                attempts.incrementAndGet();
                try (PreparedStatement ps = c.prepareStatement("SELECT n FROM " + t + " WHERE id = 1");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });

            assertThat(n).isZero();
            assertThat(proxied.proxy().hasFired()).isTrue();
            assertThat(attempts).hasValue(1);
            awaitNoConnections(proxied);
        }
    }

    /**
     * The driver sees the connection fail while its {@code COMMIT} is still on its way, and the
     * server commits 1.5 s later: the outcome checks find the lost transaction still open (PostgreSQL:
     * {@code in progress}; MariaDB: the marker's row lock held), keep waiting, and see it commit. A
     * check that took an absent marker for a rollback would re-run the work and apply it twice.
     * Not on H2: its client sends the commit's execution only after the reply to its prepare, so a
     * {@code COMMIT} cannot still be in flight once the client saw the failure.
     */
    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    void verifiedWaitsForACommitStillInFlight(TestDatabase db) throws Exception {
        String t = counter(db);
        try (ProxiedDatabase proxied = ProxiedDatabase.of(db)) {
            Transactions tx = runner(proxied, true, Duration.ofSeconds(10));
            AtomicInteger attempts = new AtomicInteger();
            proxied.proxy().armDelayedCommit(1500);

            assertThat(increment(tx, t, attempts)).isEqualTo("done");

            assertThat(attempts).as("not re-run: it committed late").hasValue(1);
            assertThat(db.queryLong("SELECT n FROM " + t + " WHERE id = 1")).as("applied exactly once").isEqualTo(1);
            awaitNoConnections(proxied);
        }
    }

    /** As above, but the commit arrives after the wait: unknown, never retried, and it did commit. */
    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    void verifiedThrowsWhenTheCommitIsStillInFlightAfterTheWait(TestDatabase db) throws Exception {
        String t = counter(db);
        try (ProxiedDatabase proxied = ProxiedDatabase.of(db)) {
            Transactions tx = runner(proxied, true, Duration.ofMillis(300));
            AtomicInteger attempts = new AtomicInteger();
            proxied.proxy().armDelayedCommit(4000);

            assertThatThrownBy(() -> increment(tx, t, attempts)).isInstanceOf(CommitOutcomeUnknownException.class);

            assertThat(attempts).as("never retried").hasValue(1);
            awaitNoConnections(proxied); // the proxy ends the link once the server answered the late COMMIT
            assertThat(db.queryLong("SELECT n FROM " + t + " WHERE id = 1")).as("the late commit landed").isEqualTo(1);
        }
    }

    @DatabaseTest
    void verifiedGivesUpAfterTheBoundedWaitWhenTheDatabaseIsUnreachable(TestDatabase db) throws Exception {
        String t = counter(db);
        try (ProxiedDatabase proxied = ProxiedDatabase.of(db)) {
            Duration wait = Duration.ofMillis(800);
            Transactions tx = runner(proxied, true, wait);
            AtomicInteger attempts = new AtomicInteger();
            proxied.proxy().arm(Cut.AFTER_COMMIT, true, extraRequests(db));

            long start = System.nanoTime();
            assertThatThrownBy(() -> increment(tx, t, attempts))
                    .isInstanceOf(CommitOutcomeUnknownException.class)
                    .satisfies(e -> assertThat(e.getSuppressed()).as("the failed checks").isNotEmpty());
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(tookMillis).as("waited the bounded wait, not forever").isBetween(wait.toMillis(), 30_000L);
            assertThat(attempts).as("never retried").hasValue(1);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            awaitNoConnections(proxied);
        }
    }

    @DatabaseTest
    void verifiedStopsWaitingAtOnceWhenInterruptedAndKeepsTheFlag(TestDatabase db) throws Exception {
        String t = counter(db);
        try (ProxiedDatabase proxied = ProxiedDatabase.of(db)) {
            Transactions tx = runner(proxied, true, Duration.ofSeconds(60));
            AtomicInteger attempts = new AtomicInteger();
            proxied.proxy().arm(Cut.BEFORE_COMMIT, true, 0);
            Thread runner = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
                try {
                    if (proxied.proxy().awaitFired(30)) {
                        Thread.sleep(300);
                        runner.interrupt();
                    }
                } catch (InterruptedException ignored) {
                    // the test ends
                }
            });
            interrupter.start();
            AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
            long start = System.nanoTime();
            try {
                assertThatThrownBy(() -> increment(tx, t, attempts)).isInstanceOf(CommitOutcomeUnknownException.class);
            } finally {
                interruptedAfter.set(Thread.interrupted());
                interrupter.join();
            }
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(interruptedAfter.get()).as("the interrupt flag is still set").isTrue();
            assertThat(tookMillis).as("did not wait out the 60 s").isLessThan(20_000L);
            assertThat(attempts).hasValue(1);
            awaitNoConnections(proxied);
        }
    }

    /** The marker table under another name: created by the helper, purged by age on the database's clock. */
    @DatabaseTest
    void markerTableIsCreatedUnderItsNameAndPurgedByAge(TestDatabase db) {
        String table = db.uniqueName("lk_marker");
        Transactions tx = db.latchkey().transactions().withVerifiedCommit(Duration.ofSeconds(1), table);
        tx.createCommitMarkerTableIfNotExists();
        tx.createCommitMarkerTableIfNotExists(); // idempotent
        if (db.kind().isPostgres()) {
            assertThat(tx.purgeCommitMarkers(Duration.ofHours(1), 10)).as("no table on PostgreSQL").isZero();
            return;
        }
        db.dropAfterTest(table);
        String twoHoursAgo = db.product() == DatabaseProduct.H2 ? "DATEADD(HOUR, -2, CURRENT_TIMESTAMP)"
                : "UTC_TIMESTAMP(6) - INTERVAL 2 HOUR";
        for (int i = 0; i < 3; i++) {
            db.execute("INSERT INTO " + table + " (id, created_at) VALUES (?, " + twoHoursAgo + ")", "old-" + i);
        }
        AtomicInteger attempts = new AtomicInteger();
        String counter = db.table("vc", "id INT PRIMARY KEY, n INT NOT NULL");
        db.execute("INSERT INTO " + counter + " (id, n) VALUES (1, 0)");
        assertThat(increment(tx, counter, attempts)).isEqualTo("done");
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + table)).as("3 old markers and this transaction's").isEqualTo(4);

        assertThat(tx.purgeCommitMarkers(Duration.ofHours(1), 2)).as("at most the limit").isEqualTo(2);
        assertThat(tx.purgeCommitMarkers(Duration.ofHours(1), 10)).isEqualTo(1);
        assertThat(tx.purgeCommitMarkers(Duration.ofHours(3), 10)).isZero();
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + table)).as("the fresh marker stays").isEqualTo(1);
    }

    @DatabaseTest(DbKind.H2)
    void badArgumentsAreRefusedNamingThem(TestDatabase db) {
        Transactions tx = db.latchkey().transactions();
        assertThatThrownBy(() -> tx.withVerifiedCommit(Duration.ofMillis(-1), "m"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait=PT-0.001S");
        assertThatThrownBy(() -> tx.withVerifiedCommit(null, "m")).hasMessage("maxWait");
        assertThatThrownBy(() -> tx.withVerifiedCommit(Duration.ZERO, null)).hasMessage("markerTable");
        assertThatThrownBy(() -> tx.withVerifiedCommit(Duration.ZERO, "bad name; --"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("markerTable");
        assertThatThrownBy(() -> tx.purgeCommitMarkers(Duration.ofMinutes(59), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("olderThan=PT59M");
        assertThatThrownBy(() -> tx.purgeCommitMarkers(Duration.ofHours(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit=0");
        assertThatThrownBy(() -> tx.purgeCommitMarkers(null, 1)).hasMessage("olderThan");
        assertThat(tx.verifiedCommit()).isFalse();
        assertThat(tx.withVerifiedCommit(true).verifiedCommit()).isTrue();
        assertThat(tx.withVerifiedCommit(true).withVerifiedCommit(false).verifiedCommit()).isFalse();
        assertThat(tx.withVerifiedCommit(true).withIsolation(Isolation.SERIALIZABLE).verifiedCommit())
                .as("kept by the other with-methods").isTrue();
    }

    /**
     * Statements and round trips of one transaction (one UPDATE), plain against verified, as
     * the driver sends them: statements counted by a wrapping data source, round trips by the
     * proxy (every request the driver sent, connection setup excluded: the connection is opened
     * before counting). Printed for the README; the statement counts are asserted.
     */
    @DatabaseTest
    void costOfVerification(TestDatabase db) throws Exception {
        String t = counter(db);
        try (ProxiedDatabase proxied = ProxiedDatabase.of(db)) {
            int[] plain = cost(db, proxied, t, false, false);
            int[] verified = cost(db, proxied, t, true, false);
            int[] readOnly = cost(db, proxied, t, true, true);
            System.out.printf("COST %s plain: %d statements, %d round trips; verified: %d statements, %d round "
                            + "trips; verified read-only: %d statements, %d round trips%n", db.kind().id(),
                    plain[0], plain[1], verified[0], verified[1], readOnly[0], readOnly[1]);
            assertThat(verified[0]).as("one statement more than plain").isEqualTo(plain[0] + 1);
            // round trips are reads at the proxy: printed, not asserted (a loaded machine may split or merge them)
            int readOnlyExtra = db.kind().isPostgres() ? 0 : 1;
            assertThat(readOnly[0]).as("read-only: nothing to verify where enforced (PostgreSQL only)")
                    .isEqualTo(plain[0] + readOnlyExtra);
        }
    }

    /** Statements and round trips of one transaction on an open connection of the proxied database. */
    private static int[] cost(TestDatabase db, ProxiedDatabase proxied, String table, boolean verified,
                              boolean readOnly) throws Exception {
        try (Connection held = proxied.dataSource().getConnection()) {
            CountingDataSource counting = new CountingDataSource(new DataSourceAdapter(null) {
                @Override
                public Connection getConnection() {
                    return (Connection) Proxy.newProxyInstance(
                            VerifiedCommitTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (p, m, args) -> {
                                if (m.getName().equals("close")) {
                                    return null; // keep the held connection open
                                }
                                if (m.getName().equals("unwrap") && args[0] == Connection.class) {
                                    return p;
                                }
                                try {
                                    return m.invoke(held, args);
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                }
            });
            Transactions tx = Latchkey.builder(counting).dialect(db.latchkey().dialect()).build().transactions()
                    .withReadOnly(readOnly).withVerifiedCommit(verified);
            String sql = readOnly ? "SELECT n FROM " + table + " WHERE id = 1"
                    : "UPDATE " + table + " SET n = n + 1 WHERE id = 1";
            tx.run(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    return ps.execute();
                }
            }); // warm: the driver's first use of a statement may cost more
            counting.reset();
            proxied.proxy().resetRequests();
            tx.run(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    return ps.execute();
                }
            });
            return new int[] {counting.statements(), proxied.proxy().requests()};
        }
    }
}

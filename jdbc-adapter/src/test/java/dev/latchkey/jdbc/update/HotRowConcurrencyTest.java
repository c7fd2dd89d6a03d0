package dev.latchkey.jdbc.update;

import static dev.latchkey.jdbc.update.Expressions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.Hammer;
import dev.latchkey.jdbc.testing.TestDatabase;
import dev.latchkey.retry.RetryPolicy;

/**
 * Many threads on one hot row: the atomic builder never oversells and reports every refusal, the
 * version-checked read-modify-write loses no update, and the naive read-then-write it replaces
 * (run here too, without Latchkey) does lose updates.
 */
class HotRowConcurrencyTest {
    private static final System.Logger LOG = System.getLogger(HotRowConcurrencyTest.class.getName());
    private static final int THREADS = 16;

    @DatabaseTest
    void sixteenThreadsDecrementingOneRowNeverOversell(TestDatabase db) {
        int perThread = 500;
        int initialStock = 5_000;   // fewer than the 16 x 500 = 8,000 attempts: oversubscribed
        String t = Tables.product(db);
        Tables.insert(db, t, 1, initialStock);
        Update takeOne = db.latchkey().update(t).set("stock", col("stock").minus(1)).whereId(1L)
                .require(col("stock").ge(1)).returning("stock");
        AtomicInteger applied = new AtomicInteger();
        AtomicInteger guardFailed = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        Set<Long> stockAfterEachSale = ConcurrentHashMap.newKeySet();
        Set<Long> stockSeenByRefusals = ConcurrentHashMap.newKeySet();

        long start = System.nanoTime();
        Hammer.run(THREADS, perThread, Duration.ofMinutes(5), (thread, i) -> {
            UpdateResult r = takeOne.execute();
            if (r.applied()) {
                applied.incrementAndGet();
                assertThat(stockAfterEachSale.add(r.getLong("stock"))).as("two sales left the same stock").isTrue();
            } else if (r.guardFailed()) {
                guardFailed.incrementAndGet();
                stockSeenByRefusals.add(r.getLong("stock"));
            } else {
                other.incrementAndGet();
            }
        });
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.log(System.Logger.Level.INFO, "[" + db + "] " + THREADS + " x " + perThread + " guarded decrements: "
                + applied + " applied, " + guardFailed + " guard failures, " + millis + " ms");

        assertThat(applied.get() + guardFailed.get()).as("every attempt is reported").isEqualTo(THREADS * perThread);
        assertThat(other.get()).isZero();
        assertThat(applied.get()).as("exactly the initial stock was sold").isEqualTo(initialStock);
        assertThat(guardFailed.get()).isEqualTo(THREADS * perThread - initialStock);
        assertThat(Tables.stock(db, t, 1)).isZero();
        assertThat(stockAfterEachSale).as("each sale left a distinct stock in [0, initial)").hasSize(initialStock)
                .allSatisfy(s -> assertThat(s).isBetween(0L, (long) initialStock - 1));
        assertThat(stockSeenByRefusals).as("a refusal only ever saw an empty shelf").containsOnly(0L);
    }

    @DatabaseTest
    void sixteenThreadsReadModifyWriteWithVersionsLoseNoUpdate(TestDatabase db) {
        int perThread = 50;
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 0);
        AtomicInteger retries = new AtomicInteger();
        RetryPolicy patient = RetryPolicy.builder().maxAttempts(10_000)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(20), 1.5)
                .onRetry(e -> retries.incrementAndGet()).build();
        ReadModifyWrite addOne = db.latchkey().update(t).whereId(1L)
                .modify(row -> {
                    // the application thinks for a moment between read and write, as real ones do;
                    // without it a loaded machine can serialize the threads and nothing conflicts
                    java.util.concurrent.locks.LockSupport.parkNanos(500_000);
                    return Map.of("stock", row.getLong("stock") + 1);
                }).reading("stock").withRetry(patient);

        long start = System.nanoTime();
        Hammer.run(THREADS, perThread, Duration.ofMinutes(5), (thread, i) ->
                assertThat(addOne.execute().applied()).isTrue());
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.log(System.Logger.Level.INFO, "[" + db + "] " + THREADS + " x " + perThread + " read-modify-writes: "
                + retries + " stale-version retries, " + millis + " ms");

        assertThat(Tables.stock(db, t, 1)).as("no lost update").isEqualTo(THREADS * perThread);
        assertThat(Tables.version(db, t, 1)).as("one version per write").isEqualTo(THREADS * perThread);
        assertThat(retries.get()).as("the threads really did conflict").isPositive();
    }

    /** The control: the same increments as a plain read, then write, with no version check. */
    @DatabaseTest
    void naiveReadThenWriteWithoutLatchkeyLosesUpdates(TestDatabase db) {
        int perThread = 20;
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 0);
        Hammer.run(THREADS, perThread, Duration.ofMinutes(5), (thread, i) -> {
            try (Connection c = db.dataSource().getConnection()) {
                long stock;
                try (PreparedStatement read = c.prepareStatement("SELECT stock FROM " + t + " WHERE id = 1");
                     ResultSet rs = read.executeQuery()) {
                    rs.next();
                    stock = rs.getLong(1);
                }
                Thread.sleep(2);   // the application thinks; others read the same value meanwhile
                try (PreparedStatement write = c.prepareStatement("UPDATE " + t + " SET stock = ? WHERE id = 1")) {
                    write.setLong(1, stock + 1);
                    write.executeUpdate();
                }
            }
        });
        long total = Tables.stock(db, t, 1);
        LOG.log(System.Logger.Level.INFO, "[" + db + "] naive read-then-write: " + total + " of "
                + THREADS * perThread + " increments survived");
        assertThat(total).as("the naive version loses updates").isLessThan(THREADS * perThread);
    }
}

package dev.latchkey.jdbc.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.latchkey.DeadlockException;
import dev.latchkey.jdbc.Transactions;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.Hammer;
import dev.latchkey.jdbc.testing.TestDatabase;

/**
 * Ordered multi-key locking cannot deadlock: 16 threads lock random overlapping sets of 3 to 5
 * hot rows for 2,000 transactions each through {@code lock(..).keys(..)} and see no deadlock,
 * while the same workload locking the rows one by one in random order (the control) does
 * deadlock, so the test can fail. Every committed transaction adds 1 to each row it locked and
 * the sum is checked exactly.
 */
class OrderedLockingDeadlockTest {
    private static final int THREADS = 16;
    private static final int ITERATIONS = 2_000;
    private static final int HOT_KEYS = 20;
    /** The control stops once it has proven its point, so the database's detection delay stays bounded. */
    private static final int CONTROL_DEADLOCKS_WANTED = 3;

    private static String counters(TestDatabase db) {
        String t = db.table("counter", "id BIGINT PRIMARY KEY, n INT NOT NULL");
        // more rows than hot keys, so every database reads the hot ones by primary key
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + " (id, n) VALUES (?, 0)")) {
            for (long id = 1; id <= 500; id++) {
                ps.setLong(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return t;
    }

    private static List<Long> randomKeys() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Long> keys = new ArrayList<>();
        for (long k = 1; k <= HOT_KEYS; k++) {
            keys.add(k);
        }
        Collections.shuffle(keys, random);
        return new ArrayList<>(keys.subList(0, 3 + random.nextInt(3)));
    }

    private static void increment(Connection tx, String t, List<Long> keys) throws SQLException {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            in.append(i == 0 ? "?" : ", ?");
        }
        try (PreparedStatement ps = tx.prepareStatement("UPDATE " + t + " SET n = n + 1 WHERE id IN (" + in + ")")) {
            for (int i = 0; i < keys.size(); i++) {
                ps.setLong(i + 1, keys.get(i));
            }
            ps.executeUpdate();
        }
    }

    /**
     * On an external PostgreSQL with fsync on, 32,000 commits mostly wait for the disk; commits
     * that do not wait for it keep the test short and change nothing about locking.
     */
    private static void relaxDurability(TestDatabase db, Connection tx) throws SQLException {
        if (db.kind().isPostgres()) {
            try (var st = tx.createStatement()) {
                st.execute("SET LOCAL synchronous_commit TO OFF");
            }
        }
    }

    @DatabaseTest
    void orderedLockingNeverDeadlocks(TestDatabase db) {
        String t = counters(db);
        Transactions once = db.latchkey().transactions().withRetry(LockTestSupport.NO_RETRY);
        RowLockQuery lock = db.latchkey().lock(t).columns("n");
        AtomicInteger deadlocks = new AtomicInteger();
        AtomicLong increments = new AtomicLong();
        long start = System.nanoTime();
        Hammer.run(THREADS, ITERATIONS, Duration.ofMinutes(10), (thread, i) -> {
            List<Long> keys = randomKeys();
            try {
                once.run(tx -> {
                    relaxDurability(db, tx);
                    assertThat(lock.keys(keys).fetch(tx)).hasSize(keys.size());
                    increment(tx, t, keys);
                    return null;
                });
                increments.addAndGet(keys.size());
            } catch (DeadlockException e) {
                deadlocks.incrementAndGet();
            }
        });
        System.out.printf("ordered locking on %s: %d transactions in %d ms, %d deadlocks%n", db,
                THREADS * ITERATIONS, Duration.ofNanos(System.nanoTime() - start).toMillis(), deadlocks.get());
        assertThat(deadlocks).hasValue(0);
        assertThat(db.queryLong("SELECT SUM(n) FROM " + t)).isEqualTo(increments.get());
    }

    @DatabaseTest
    void controlLockingInRandomOrderDeadlocks(TestDatabase db) {
        String t = counters(db);
        Transactions once = db.latchkey().transactions().withRetry(LockTestSupport.NO_RETRY);
        AtomicInteger deadlocks = new AtomicInteger();
        AtomicLong increments = new AtomicLong();
        AtomicInteger transactions = new AtomicInteger();
        long start = System.nanoTime();
        Hammer.run(THREADS, ITERATIONS, Duration.ofMinutes(10), (thread, i) -> {
            if (deadlocks.get() >= CONTROL_DEADLOCKS_WANTED) {
                return;
            }
            List<Long> keys = randomKeys(); // random order, locked one by one, as hand-written code would
            transactions.incrementAndGet();
            try {
                once.run(tx -> {
                    for (long key : keys) {
                        try (PreparedStatement ps = tx.prepareStatement(
                                "SELECT n FROM " + t + " WHERE id = ? FOR UPDATE")) {
                            ps.setLong(1, key);
                            ps.executeQuery().close();
                        }
                    }
                    increment(tx, t, keys);
                    return null;
                });
                increments.addAndGet(keys.size());
            } catch (DeadlockException e) {
                deadlocks.incrementAndGet();
            }
        });
        System.out.printf("control (random order) on %s: %d deadlocks in %d transactions, %d ms%n", db,
                deadlocks.get(), transactions.get(), Duration.ofNanos(System.nanoTime() - start).toMillis());
        assertThat(deadlocks.get()).as("deadlocks without ordered locking").isGreaterThan(0);
        assertThat(db.queryLong("SELECT SUM(n) FROM " + t)).isEqualTo(increments.get());
    }
}

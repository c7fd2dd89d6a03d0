package dev.latchkey.jdbc.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.latchkey.LockWaitTimeoutException;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.Transactions;
import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.lock.LockTestSupport.OpenTransaction;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.DbKind;
import dev.latchkey.jdbc.testing.Hammer;
import dev.latchkey.jdbc.testing.TestDatabase;

/**
 * Advisory locks: mutual exclusion across connections (with a control that loses updates
 * without the lock), release at commit and at rollback, nothing left held on the pooled
 * connection, the timeout form, and the refusals.
 */
@SuppressWarnings("try") // an open transaction in try-with-resources is the point
class AdvisoryLockTest {
    private static final int THREADS = 8;
    private static final int ITERATIONS = 40;

    private static Transactions once(TestDatabase db) {
        return db.latchkey().transactions().withRetry(LockTestSupport.NO_RETRY);
    }

    /** Whether any session holds the lock, as the database reports it. */
    private static boolean heldAnywhere(TestDatabase db, String name) {
        if (db.product() == DatabaseProduct.POSTGRESQL) {
            long key = AdvisoryLock.postgresKey(name);
            return db.queryLong("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    + "AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1", key >>> 32, key & 0xFFFF_FFFFL) > 0;
        }
        return db.queryValue("SELECT IS_USED_LOCK(?)", name) != null;
    }

    /** Reads, then writes, the counter in two statements: loses updates unless something serialises it. */
    private static void readModifyWrite(Connection tx, String t) throws SQLException {
        long n;
        try (PreparedStatement ps = tx.prepareStatement("SELECT n FROM " + t + " WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            n = rs.getLong(1);
        }
        Thread.onSpinWait();
        try (PreparedStatement ps = tx.prepareStatement("UPDATE " + t + " SET n = ? WHERE id = 1")) {
            ps.setLong(1, n + 1);
            ps.executeUpdate();
        }
    }

    private static String counter(TestDatabase db) {
        String t = db.table("counter", "id BIGINT PRIMARY KEY, n BIGINT NOT NULL");
        db.execute("INSERT INTO " + t + " (id, n) VALUES (1, 0)");
        return t;
    }

    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    void excludesTransactionsOnOtherConnections(TestDatabase db) {
        String t = counter(db);
        String name = db.uniqueName("advisory_mutex");
        AdvisoryLock lock = db.latchkey().advisoryLock(name);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        Hammer.run(THREADS, ITERATIONS, (thread, i) -> once(db).run(tx -> {
            lock.lock(tx);
            if (inside.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            readModifyWrite(tx, t);
            inside.decrementAndGet();
            return null;
        }));
        assertThat(overlaps).hasValue(0);
        assertThat(db.queryLong("SELECT n FROM " + t + " WHERE id = 1")).isEqualTo(THREADS * ITERATIONS);
        assertThat(heldAnywhere(db, name)).isFalse();
    }

    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    void controlWithoutTheLockLosesUpdates(TestDatabase db) {
        String t = counter(db);
        Hammer.run(THREADS, ITERATIONS, (thread, i) -> once(db).run(tx -> {
            readModifyWrite(tx, t);
            return null;
        }));
        assertThat(db.queryLong("SELECT n FROM " + t + " WHERE id = 1")).as("lost updates without the lock")
                .isLessThan(THREADS * ITERATIONS);
    }

    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    void releasedAtCommitAndNothingLeftOnThePooledConnection(TestDatabase db) throws Exception {
        String name = db.uniqueName("advisory_commit");
        AdvisoryLock lock = db.latchkey().advisoryLock(name);
        try (OpenTransaction holder = OpenTransaction.start(once(db), tx -> {
            lock.lock(tx);
            lock.lock(tx); // re-entrant: both acquisitions end with the transaction
        })) {
            assertThat(heldAnywhere(db, name)).as("held while the transaction is open").isTrue();
            assertThat(once(db).<Boolean>run(tx -> lock.tryLock(tx))).isFalse();
            holder.commit();
        }
        assertThat(heldAnywhere(db, name)).as("held after commit").isFalse();
        assertThat(once(db).<Boolean>run(tx -> lock.tryLock(tx))).isTrue();
        assertThat(heldAnywhere(db, name)).isFalse();
    }

    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    void releasedAtRollback(TestDatabase db) throws Exception {
        String name = db.uniqueName("advisory_rollback");
        AdvisoryLock lock = db.latchkey().advisoryLock(name);
        try (OpenTransaction holder = OpenTransaction.start(once(db), tx -> assertThat(lock.tryLock(tx)).isTrue())) {
            assertThat(heldAnywhere(db, name)).isTrue();
            holder.rollback();
        }
        assertThat(heldAnywhere(db, name)).as("held after rollback").isFalse();
        // a transaction failing after taking the lock releases it too
        assertThatThrownBy(() -> once(db).run(tx -> {
            lock.lock(tx);
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(heldAnywhere(db, name)).isFalse();
    }

    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    void aWaiterGetsTheLockWhenTheHolderCommits(TestDatabase db) throws Exception {
        String name = db.uniqueName("advisory_wait");
        AdvisoryLock lock = db.latchkey().advisoryLock(name);
        try (OpenTransaction holder = OpenTransaction.start(once(db), lock::lock)) {
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> once(db).run(tx -> {
                lock.lock(tx);
                return true;
            }), LockTestSupport::newThread);
            LockTestSupport.awaitLockWaiter(db, db.product() == DatabaseProduct.POSTGRESQL
                    ? "pg_advisory_xact_lock" : name, waiter);
            assertThat(waiter).isNotDone();
            holder.commit();
            assertThat(waiter.get(LockTestSupport.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        assertThat(heldAnywhere(db, name)).isFalse();
    }

    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    void aTimeoutOf300MillisecondsFailsBetween300MillisecondsAndOneAndAHalfSeconds(TestDatabase db) throws Exception {
        String name = db.uniqueName("advisory_timeout");
        AdvisoryLock lock = db.latchkey().advisoryLock(name);
        try (OpenTransaction holder = OpenTransaction.start(once(db), lock::lock)) {
            long start = System.nanoTime();
            LockWaitTimeoutException e = catchThrowableOfType(LockWaitTimeoutException.class,
                    () -> once(db).run(tx -> {
                        lock.lock(tx, Duration.ofMillis(300));
                        return null;
                    }));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertThat(e).isNotNull();
            assertThat(elapsed).isBetween(Duration.ofMillis(300), Duration.ofMillis(1_500));
            assertThat(e.table()).isEqualTo(name);
            assertThat(e.keys()).isEmpty();
            assertThat(e.getMessage()).startsWith("could not lock advisory lock '" + name + "': lock wait timed out "
                    + "after ").contains("ms (timeout 300 ms)");
            holder.commit();
        }
        // the timeout form on a free lock takes it
        assertThat(once(db).<Boolean>run(tx -> {
            lock.lock(tx, Duration.ofMillis(300));
            return heldAnywhere(db, name);
        })).isTrue();
        assertThat(heldAnywhere(db, name)).isFalse();
    }

    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    void refusedOutsideATransaction(TestDatabase db) throws Exception {
        AdvisoryLock lock = db.latchkey().advisoryLock(db.uniqueName("advisory_refused"));
        try (Connection c = db.dataSource().getConnection()) {
            assertThatThrownBy(() -> lock.tryLock(c)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("an advisory lock cannot be used outside a transaction: the connection is in "
                            + "auto-commit mode, so the lock would be released as soon as the statement ends; run "
                            + "it inside latchkey.transactions().run(..) or after connection.setAutoCommit(false)");
            c.setAutoCommit(false);
            try {
                if (db.product() == DatabaseProduct.POSTGRESQL) {
                    // a transaction-scoped lock is safe in any transaction
                    assertThat(lock.tryLock(c)).isTrue();
                } else {
                    assertThatThrownBy(() -> lock.tryLock(c)).isInstanceOf(IllegalStateException.class)
                            .hasMessage("advisory lock '" + lock.name() + "' on " + db.latchkey().dialect().name()
                                    + " is a session lock (GET_LOCK) that Latchkey releases when the transaction "
                                    + "ends; take it inside a transaction Latchkey knows of (latchkey.transactions()"
                                    + ".run(..), a connection bound with latchkey.bind(..), or a joined framework "
                                    + "transaction), so it can never leak into a pooled connection");
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
        assertThat(heldAnywhere(db, lock.name())).isFalse();
    }

    @DatabaseTest(DbKind.H2)
    void h2HasNoAdvisoryLocks(TestDatabase db) {
        Latchkey lk = db.latchkey();
        assertThat(lk.dialect().supportsAdvisoryLocks()).isFalse();
        assertThatThrownBy(() -> lk.advisoryLock("x")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("advisory locking is not supported by " + lk.dialect().name());
    }

    /**
     * Issue 12 item 5: an advisory lock timeout longer than the database takes is refused before
     * any statement runs, naming the limit and the dialect (PostgreSQL would fail with 22023;
     * MariaDB's GET_LOCK would take it, and past 2^64 ns return 0 at once), and the limit itself
     * takes a free lock on the real server.
     */
    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    void aTimeoutOverTheDatabasesLimitIsRefusedBeforeAnyStatementAndTheLimitItselfLocks(TestDatabase db) {
        Latchkey lk = db.latchkey();
        Duration max = Duration.ofMillis(LockSql.of(lk.dialect()).maxLockTimeoutMillis());
        AdvisoryLock lock = lk.advisoryLock(db.uniqueName("limit"));
        assertThatThrownBy(() -> once(db).run(tx -> {
            lock.lock(tx, max.plusMillis(1));
            return null;
        })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("timeout must be at most " + max + " (" + max.toMillis() + " ms) on "
                        + lk.dialect().name());
        assertThat(once(db).<Boolean>run(tx -> {
            lock.lock(tx, max);
            return true;
        })).isTrue();
    }
}

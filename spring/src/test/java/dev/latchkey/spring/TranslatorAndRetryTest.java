package dev.latchkey.spring;

import static dev.latchkey.jdbc.update.Expressions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.DeadlockException;
import dev.latchkey.LockNotAvailableException;
import dev.latchkey.LockWaitTimeoutException;
import dev.latchkey.RetriesExhaustedException;
import dev.latchkey.SerializationFailureException;
import dev.latchkey.StaleVersionException;
import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.error.SqlErrorTranslator;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.DbKind;
import dev.latchkey.jdbc.testing.HeldLock;
import dev.latchkey.jdbc.testing.TestDatabase;
import dev.latchkey.retry.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.transaction.support.TransactionTemplate;

/** Scenario 9: the translator's classification and the retrying template. */
class TranslatorAndRetryTest {
    private static final LatchkeySqlExceptionTranslator PG = translator(DatabaseProduct.POSTGRESQL);
    private static final LatchkeySqlExceptionTranslator MARIADB = translator(DatabaseProduct.MARIADB);

    private static LatchkeySqlExceptionTranslator translator(DatabaseProduct product) {
        return new LatchkeySqlExceptionTranslator(SqlErrorTranslator.forProduct(product),
                new SQLExceptionSubclassTranslator());
    }

    private static DataAccessException translate(LatchkeySqlExceptionTranslator t, String state, int code) {
        return t.translate("PreparedStatementCallback", "UPDATE t SET x = 1", new SQLException("boom", state, code));
    }

    @Test
    void classifiesLikeLatchkey() {
        assertThat(translate(PG, "55P03", 0)).isInstanceOf(CannotAcquireLockException.class)
                .hasCauseInstanceOf(LockNotAvailableException.class).hasMessageContaining("SQL [UPDATE t SET x = 1]");
        assertThat(translate(MARIADB, "HY000", 1205)).isInstanceOf(CannotAcquireLockException.class)
                .hasCauseInstanceOf(LockWaitTimeoutException.class);
        assertThat(translate(PG, "40001", 0)).isInstanceOf(PessimisticLockingFailureException.class)
                .hasCauseInstanceOf(SerializationFailureException.class);
        assertThat(translate(PG, "40P01", 0)).isInstanceOf(PessimisticLockingFailureException.class)
                .hasCauseInstanceOf(DeadlockException.class);
        assertThat(translate(MARIADB, "40001", 1213)).isInstanceOf(PessimisticLockingFailureException.class)
                .hasCauseInstanceOf(DeadlockException.class);
        assertThat(translate(PG, "23505", 0)).isInstanceOf(DuplicateKeyException.class)
                .hasCauseInstanceOf(dev.latchkey.DuplicateKeyException.class);
        assertThat(PG.translate("JDBC commit", null, new SQLException("gone", "08006")))
                .isInstanceOf(DataAccessResourceFailureException.class)
                .hasCauseInstanceOf(CommitOutcomeUnknownException.class);
        // not Latchkey's: the fallback answers (class 42 is a grammar error to Spring)
        assertThat(translate(PG, "42601", 0)).isNotNull().extracting(Throwable::getCause)
                .isInstanceOf(SQLException.class);
        // the driver's exception stays reachable
        assertThat(translate(PG, "55P03", 0).getMostSpecificCause()).isInstanceOf(SQLException.class);
        assertThat(PG.translate(new StaleVersionException("orders", 1, 2, 3)))
                .isInstanceOf(OptimisticLockingFailureException.class);
    }

    @Test
    void findsLatchkeysViewBehindSpringsOwnExceptions() {
        PessimisticLockingFailureException springs = new PessimisticLockingFailureException("x",
                new SQLException("deadlock detected", "40P01"));
        assertThat(PG.concurrencyFailure(springs)).isInstanceOf(DeadlockException.class);
        assertThat(PG.concurrencyFailure(new IllegalStateException("x"))).isNull();
    }

    /** A real 55P03 through JdbcTemplate: plain Spring cannot classify it; the Latchkey translator can. */
    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    @SuppressWarnings("try") // the held lock is used by being open
    void aLockNotAvailableThroughJdbcTemplateIsCannotAcquireLock(TestDatabase db) {
        String t = db.table("product", "id BIGINT PRIMARY KEY, stock INT NOT NULL");
        db.execute("INSERT INTO " + t + " (id, stock) VALUES (1, 1)");
        String nowait = db.kind() == DbKind.MARIADB
                ? "SET STATEMENT innodb_lock_wait_timeout = 1 FOR SELECT stock FROM " + t + " WHERE id = 1 FOR UPDATE"
                : "SELECT stock FROM " + t + " WHERE id = 1 FOR UPDATE NOWAIT";
        try (SpringApp app = SpringApp.start(db); HeldLock held = db.holdLock(
                "SELECT stock FROM " + t + " WHERE id = 1 FOR UPDATE")) {
            JdbcTemplate latchkeys = LatchkeySpring.jdbcTemplate(app.latchkey);
            assertThatThrownBy(() -> app.tx.execute(s -> latchkeys.queryForObject(nowait, Long.class)))
                    .isInstanceOf(CannotAcquireLockException.class)
                    .hasCauseInstanceOf(LockNotAvailableException.class);
            if (db.kind().isPostgres() && org.springframework.core.SpringVersion.getVersion().startsWith("6.")) {
                assertThatThrownBy(() -> app.tx.execute(s -> app.jdbc.queryForObject(nowait, Long.class)))
                        .as("plain Spring 6").isInstanceOf(UncategorizedSQLException.class);
            }
        }
    }

    @DatabaseTest
    void aDuplicateKeyThroughJdbcTemplateCarriesLatchkeysException(TestDatabase db) {
        String t = db.table("product", "id BIGINT PRIMARY KEY, stock INT NOT NULL");
        try (SpringApp app = SpringApp.start(db)) {
            JdbcTemplate jdbc = LatchkeySpring.jdbcTemplate(app.latchkey);
            jdbc.update("INSERT INTO " + t + " (id, stock) VALUES (1, 1)");
            assertThatThrownBy(() -> jdbc.update("INSERT INTO " + t + " (id, stock) VALUES (1, 1)"))
                    .isInstanceOf(DuplicateKeyException.class)
                    .hasCauseInstanceOf(dev.latchkey.DuplicateKeyException.class);
        }
    }

    @DatabaseTest
    void theRetryingTemplateRetriesADeadlockAsAWholeTransaction(TestDatabase db) {
        String t = db.table("orders", "id BIGINT PRIMARY KEY, attempt INT NOT NULL");
        try (SpringApp app = SpringApp.start(db)) {
            RetryingTransactionTemplate retrying = LatchkeySpring.retrying(app.tx, app.latchkey)
                    .withRetry(RetryPolicy.builder().maxAttempts(3).noBackoff().build());
            AtomicInteger attempts = new AtomicInteger();
            long id = retrying.execute(status -> {
                int attempt = attempts.incrementAndGet();
                app.jdbc.update("INSERT INTO " + t + " (id, attempt) VALUES (1, ?)", attempt);
                if (attempt == 1) {
                    // what Spring's own translator makes of a deadlock
                    throw new PessimisticLockingFailureException("deadlock",
                            new SQLException("deadlock detected", "40P01", 1213));
                }
                return 1L;
            });
            assertThat(id).isOne();
            assertThat(attempts.get()).isEqualTo(2);
            assertThat(db.queryLong("SELECT attempt FROM " + t + " WHERE id = 1")).as("only the 2nd attempt committed")
                    .isEqualTo(2);

            AtomicInteger exhausted = new AtomicInteger();
            assertThatThrownBy(() -> retrying.executeWithoutResult(status -> {
                exhausted.incrementAndGet();
                throw new DeadlockException("deadlock", null, "40P01", 0);
            })).isInstanceOf(RetriesExhaustedException.class);
            assertThat(exhausted.get()).isEqualTo(3);

            AtomicInteger notTransient = new AtomicInteger();
            assertThatThrownBy(() -> retrying.executeWithoutResult(status -> {
                notTransient.incrementAndGet();
                throw new DuplicateKeyException("dup", new SQLException("dup", "23505", 1062));
            })).isInstanceOf(DuplicateKeyException.class);
            assertThat(notTransient.get()).isOne();
        }
    }

    /** A real deadlock between two Spring transactions: the victim is re-run as a whole and both commit. */
    @DatabaseTest
    void theRetryingTemplateRetriesARealDeadlock(TestDatabase db) throws Exception {
        String t = db.table("account", "id BIGINT PRIMARY KEY, balance INT NOT NULL");
        db.execute("INSERT INTO " + t + " (id, balance) VALUES (1, 0), (2, 0)");
        try (SpringApp app = SpringApp.start(db)) {
            RetryingTransactionTemplate retrying = LatchkeySpring.retrying(app.tx, app.latchkey)
                    .withRetry(RetryPolicy.builder().maxAttempts(5).build());
            JdbcTemplate jdbc = LatchkeySpring.jdbcTemplate(app.latchkey);
            CyclicBarrier bothLocked = new CyclicBarrier(2);
            AtomicInteger attempts = new AtomicInteger();
            ExecutorService two = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (long[] order : new long[][] {{1, 2}, {2, 1}}) {
                    done.add(two.submit(() -> retrying.executeWithoutResult(status -> {
                        boolean first = attempts.incrementAndGet() <= 2;
                        app.latchkey.update(t).set("balance", col("balance").plus(1)).whereId(order[0]).execute();
                        if (first) {
                            await(bothLocked);
                        }
                        jdbc.update("UPDATE " + t + " SET balance = balance + 1 WHERE id = ?", order[1]);
                    })));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                two.shutdownNow();
            }
            assertThat(attempts.get()).as("attempts (one deadlock victim re-run)").isGreaterThanOrEqualTo(3);
            assertThat(db.queryLong("SELECT SUM(balance) FROM " + t)).as("both committed once").isEqualTo(4);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    @DatabaseTest({DbKind.H2, DbKind.EMBEDDED_POSTGRES})
    void theRetryingTemplateRefusesInsideARunningTransaction(TestDatabase db) {
        try (SpringApp app = SpringApp.start(db)) {
            RetryingTransactionTemplate retrying = LatchkeySpring.retrying(app.tx, app.latchkey);
            assertThatThrownBy(() -> app.tx.executeWithoutResult(status -> retrying.execute(s -> 1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("outermost");
            TransactionTemplate requiresNew = new TransactionTemplate(app.manager);
            requiresNew.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
            Integer inner = app.tx.execute(status -> LatchkeySpring.retrying(requiresNew, app.latchkey).execute(s -> 1));
            assertThat(inner).isOne();
        }
    }
}

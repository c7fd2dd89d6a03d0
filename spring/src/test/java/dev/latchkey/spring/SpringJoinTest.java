package dev.latchkey.spring;

import static dev.latchkey.jdbc.update.Expressions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.IdempotentResult;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore;
import dev.latchkey.jdbc.idempotency.TransactionalIdempotency;
import dev.latchkey.jdbc.lease.JdbcLease;
import dev.latchkey.jdbc.lease.JdbcLeases;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.DbKind;
import dev.latchkey.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.core.SpringVersion;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Latchkey inside Spring-managed transactions, in real application contexts, on every database:
 * the scenarios of issue 11 that broke atomicity, blocked or starved the pool before Latchkey
 * joined the caller's transaction.
 */
class SpringJoinTest {

    private static String product(TestDatabase db) {
        String t = db.table("product", "id BIGINT PRIMARY KEY, stock INT NOT NULL");
        db.execute("INSERT INTO " + t + " (id, stock) VALUES (1, 100)");
        return t;
    }

    private static String orders(TestDatabase db) {
        return db.table("orders", "id BIGINT PRIMARY KEY, product_id BIGINT NOT NULL");
    }

    private static long stock(TestDatabase db, String product) {
        return db.queryLong("SELECT stock FROM " + product + " WHERE id = 1");
    }

    private static long count(TestDatabase db, String table) {
        return db.queryLong("SELECT COUNT(*) FROM " + table);
    }

    @Test
    void runsOnTheExpectedSpringLine() {
        String major = System.getProperty("latchkey.spring.expectedMajor", "6");
        assertThat(SpringVersion.getVersion()).startsWith(major + ".");
    }

    /** Scenario 1: execute() inside a Spring transaction that rolls back is undone with it. */
    @DatabaseTest
    void executeInsideARolledBackSpringTransactionIsUndone(TestDatabase db) {
        String product = product(db);
        String orders = orders(db);
        for (SpringApp.Manager manager : SpringApp.Manager.values()) {
            try (SpringApp app = SpringApp.start(db.dataSource(), manager)) {
                app.tx.executeWithoutResult(status -> {
                    assertThat(app.latchkey.update(product).set("stock", col("stock").minus(1)).whereId(1)
                            .execute().applied()).isTrue();
                    app.jdbc.update("INSERT INTO " + orders + " (id, product_id) VALUES (1, 1)");
                    status.setRollbackOnly();
                });
                assertThat(stock(db, product)).as("stock after TransactionTemplate rollback, %s", manager)
                        .isEqualTo(100);
                assertThatThrownBy(() -> app.service.placeOrderAndFail(product, orders, 2))
                        .hasMessage("payment declined");
                assertThat(stock(db, product)).as("stock after @Transactional rollback, %s", manager)
                        .isEqualTo(100);
                assertThat(count(db, orders)).isZero();

                app.service.placeOrder(product, orders, 3);
                assertThat(stock(db, product)).as("a committed @Transactional order, %s", manager).isEqualTo(99);
                db.execute("UPDATE " + product + " SET stock = 100");
                db.execute("DELETE FROM " + orders);
            }
        }
    }

    /** Scenario 2: transactions().run(..) inside a Spring transaction joins it. */
    @DatabaseTest
    void runInsideASpringTransactionJoinsIt(TestDatabase db) {
        String orders = orders(db);
        try (SpringApp app = SpringApp.start(db)) {
            app.tx.executeWithoutResult(status -> {
                Connection spring = DataSourceUtils.getConnection(app.dataSource);
                Connection latchkeys = app.latchkey.transactions().run(c -> {
                    try (var ps = c.prepareStatement("INSERT INTO " + orders + " (id, product_id) VALUES (1, 1)")) {
                        ps.executeUpdate();
                    }
                    return c;
                });
                assertThat(latchkeys).as("the Spring transaction's connection").isSameAs(spring);
                assertThat(app.jdbc.queryForObject("SELECT COUNT(*) FROM " + orders, Long.class)).isOne();
                status.setRollbackOnly();
            });
            assertThat(count(db, orders)).as("run's insert rolled back with the Spring transaction").isZero();
        }
    }

    /** Scenario 3: a JdbcTemplate DAO inside run over transactionAwareDataSource() joins Latchkey's transaction. */
    @DatabaseTest
    void aJdbcTemplateDaoInsideRunJoinsLatchkeysTransaction(TestDatabase db) {
        String orders = orders(db);
        try (SpringApp app = SpringApp.start(db)) {
            JdbcTemplate dao = new JdbcTemplate(app.latchkey.transactionAwareDataSource());
            assertThatThrownBy(() -> app.latchkey.transactions().run(c -> {
                dao.update("INSERT INTO " + orders + " (id, product_id) VALUES (1, 1)");
                assertThat(dao.queryForObject("SELECT COUNT(*) FROM " + orders, Long.class)).isOne();
                throw new IllegalStateException("fails after the DAO wrote");
            })).hasMessage("fails after the DAO wrote");
            assertThat(count(db, orders)).as("the DAO's insert rolled back with run").isZero();

            app.latchkey.transactions().run(c -> dao.update("INSERT INTO " + orders + " (id, product_id) VALUES (2, 1)"));
            assertThat(count(db, orders)).isOne();

            // the wired template does both: inside a Spring transaction it joins that one
            JdbcTemplate wired = LatchkeySpring.jdbcTemplate(app.latchkey);
            app.tx.executeWithoutResult(status -> {
                wired.update("INSERT INTO " + orders + " (id, product_id) VALUES (3, 1)");
                status.setRollbackOnly();
            });
            assertThat(count(db, orders)).isOne();
        }
    }

    /** Scenario 4: transactional idempotency inside a Spring transaction that rolls back leaves no key and no replay. */
    @DatabaseTest
    void idempotencyInsideARolledBackSpringTransactionLeavesNoKey(TestDatabase db) {
        String orders = orders(db);
        String keys = db.uniqueName("idem");
        try (SpringApp app = SpringApp.start(db)) {
            JdbcIdempotencyStore store = app.latchkey.idempotencyStore(keys);
            store.createTableIfNotExists();
            db.dropAfterTest(keys);
            TransactionalIdempotency idempotency = store.transactional(IdempotencyPolicy.defaults());
            IdempotencyKey key = IdempotencyKey.of("orders", "k-1");
            Fingerprint fp = Fingerprint.sha256("order 1");
            app.tx.executeWithoutResult(status -> {
                IdempotentResult<StoredResponse> r = idempotency.execute(key, fp, c -> {
                    app.jdbc.update("INSERT INTO " + orders + " (id, product_id) VALUES (1, 1)");
                    return StoredResponse.ofText(201, "text/plain", "created 1");
                });
                assertThat(r.isFresh()).isTrue();
                status.setRollbackOnly();
            });
            assertThat(count(db, orders)).isZero();
            assertThat(count(db, keys)).as("idempotency keys after the rollback").isZero();

            IdempotentResult<StoredResponse> retry = app.tx.execute(status -> idempotency.execute(key, fp, c -> {
                app.jdbc.update("INSERT INTO " + orders + " (id, product_id) VALUES (2, 1)");
                return StoredResponse.ofText(201, "text/plain", "created 2");
            }));
            assertThat(retry.isFresh()).as("the retry runs the work, no replay of a rolled-back order").isTrue();
            assertThat(count(db, orders)).isOne();
            assertThat(app.tx.execute(status -> idempotency.execute(key, fp, c -> {
                throw new AssertionError("must replay");
            })).isReplayed()).isTrue();
        }
    }

    /** Scenario 5: execute() on a row the surrounding Spring transaction locked does not block on its own lock. */
    @DatabaseTest
    void executeOnARowTheSpringTransactionLockedDoesNotSelfBlock(TestDatabase db) throws Exception {
        String product = product(db);
        try (SpringApp app = SpringApp.start(db)) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Long> done = pool.submit(() -> app.tx.execute(status -> {
                    app.jdbc.queryForObject("SELECT stock FROM " + product + " WHERE id = 1 FOR UPDATE", Long.class);
                    app.latchkey.update(product).set("stock", col("stock").minus(1)).whereId(1).execute();
                    return app.jdbc.queryForObject("SELECT stock FROM " + product + " WHERE id = 1", Long.class);
                }));
                assertThat(done.get(30, TimeUnit.SECONDS)).isEqualTo(99);
            } finally {
                pool.shutdownNow();
            }
            assertThat(stock(db, product)).isEqualTo(99);
        }
    }

    /** Scenario 6: 16 concurrent Spring transactions on a pool of 4, each calling execute(), all succeed. */
    @DatabaseTest
    void sixteenSpringTransactionsOnAPoolOfFourAllSucceed(TestDatabase db) throws Exception {
        String product = product(db);
        try (HikariDataSource four = db.server().newPool(4); SpringApp app = SpringApp.start(four,
                SpringApp.Manager.DATA_SOURCE)) {
            four.setConnectionTimeout(10_000);
            ExecutorService threads = Executors.newFixedThreadPool(16);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    results.add(threads.submit(() -> {
                        start.await();
                        return app.tx.execute(status -> {
                            app.jdbc.queryForObject("SELECT stock FROM " + product + " WHERE id = 1", Long.class);
                            return app.latchkey.update(product).set("stock", col("stock").minus(1)).whereId(1)
                                    .execute().applied();
                        });
                    }));
                }
                start.countDown();
                for (Future<Boolean> r : results) {
                    assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
                }
            } finally {
                threads.shutdownNow();
            }
            assertThat(stock(db, product)).isEqualTo(84);
        }
    }

    /** Scenario 7: over TransactionAwareDataSourceProxy and with a pool that hands out auto-commit-off connections. */
    @DatabaseTest
    void proxyAndAutoCommitOffPoolWork(TestDatabase db) {
        String product = product(db);
        String orders = orders(db);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(db.server().jdbcUrl());
        cfg.setMaximumPoolSize(4);
        cfg.setAutoCommit(false);
        try (HikariDataSource manual = new HikariDataSource(cfg)) {
            for (DataSource given : List.<DataSource>of(manual, new TransactionAwareDataSourceProxy(manual),
                    new TransactionAwareDataSourceProxy(db.dataSource()))) {
                try (SpringApp app = SpringApp.start(given, SpringApp.Manager.DATA_SOURCE)) {
                    // outside a transaction: Latchkey's own short transaction, committed
                    app.latchkey.update(product).set("stock", col("stock").minus(1)).whereId(1).execute();
                    assertThat(stock(db, product)).as("execute() over %s", given).isEqualTo(99);
                    app.latchkey.transactions().run(c ->
                            app.latchkey.update(product).set("stock", col("stock").minus(1)).whereId(1).execute());
                    assertThat(stock(db, product)).as("run over %s", given).isEqualTo(98);
                    // inside a Spring transaction: joined, undone by its rollback
                    assertThatThrownBy(() -> app.service.placeOrderAndFail(product, orders, 1))
                            .hasMessage("payment declined");
                    app.tx.executeWithoutResult(status -> {
                        app.latchkey.transactions().run(c ->
                                app.latchkey.update(product).set("stock", col("stock").minus(1)).whereId(1).execute());
                        status.setRollbackOnly();
                    });
                    assertThat(stock(db, product)).as("after the Spring rollbacks over %s", given).isEqualTo(98);
                    app.service.placeOrder(product, orders, 2);
                    assertThat(stock(db, product)).isEqualTo(97);
                    assertThat(count(db, orders)).isOne();
                    db.execute("UPDATE " + product + " SET stock = 100");
                    db.execute("DELETE FROM " + orders);
                }
            }
        }
    }

    /** Scenario 8: a MariaDB GET_LOCK inside a Spring transaction is released at its end, never left in the pool. */
    @DatabaseTest({DbKind.MARIADB, DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES})
    void advisoryLockInsideASpringTransactionIsReleasedAtItsEnd(TestDatabase db) {
        String name = db.uniqueName("lk");
        try (HikariDataSource one = db.server().newPool(1); SpringApp app = SpringApp.start(one,
                SpringApp.Manager.DATA_SOURCE)) {
            for (boolean rollback : new boolean[] {false, true}) {
                app.tx.executeWithoutResult(status -> {
                    app.latchkey.advisoryLock(name).lock(DataSourceUtils.getConnection(app.dataSource));
                    assertThat(lockHeld(db, name)).as("held inside").isTrue();
                    if (rollback) {
                        status.setRollbackOnly();
                    }
                });
                assertThat(lockHeld(db, name)).as("held after the transaction (rollback=%s)", rollback).isFalse();
            }
            if (db.kind() == DbKind.MARIADB) {
                // the pool's only connection, as the next borrower gets it
                Long holder = new JdbcTemplate(one).queryForObject("SELECT IS_USED_LOCK(?)", Long.class, name);
                assertThat(holder).as("IS_USED_LOCK on the pooled connection").isNull();
            }
        }
    }

    /**
     * A lease released or extended inside a Spring transaction on a pool of one: each would commit
     * on a second connection the pool cannot give, so it is refused at once and the lease stays held.
     */
    @DatabaseTest
    void leaseReleaseInsideASpringTransactionIsRefusedAndTheLeaseStaysHeld(TestDatabase db) {
        String table = db.uniqueName("lease");
        db.dropAfterTest(table);
        try (HikariDataSource one = db.server().newPool(1); SpringApp app = SpringApp.start(one,
                SpringApp.Manager.DATA_SOURCE)) {
            JdbcLeases leases = app.latchkey.leases().withTable(table);
            leases.createTableIfNotExists();
            JdbcLease lease = leases.lease("job").tryAcquire(Duration.ofSeconds(10))
                    .orElseThrow();
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                app.tx.executeWithoutResult(status -> {
                    assertThatThrownBy(lease::release).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("outside transactions");
                    assertThatThrownBy(() -> lease.extend(Duration.ofSeconds(10)))
                            .isInstanceOf(IllegalStateException.class);
                });
            });
            assertThat(lease.isHeld()).as("still held after the refused release").isTrue();
            assertThat(leases.lease("job").tryAcquire(Duration.ofSeconds(10))).as("held in the table").isEmpty();
            assertThat(lease.release()).isTrue();
        }
    }

    /** Whether another session holds the lock: asked from another thread, in a transaction of its own. */
    private static boolean lockHeld(TestDatabase db, String name) {
        if (db.kind() == DbKind.MARIADB) {
            return db.queryValue("SELECT IS_USED_LOCK(?)", name) != null;
        }
        return !CompletableFuture.supplyAsync(() -> db.latchkey().transactions().run(c ->
                db.latchkey().advisoryLock(name).tryLock(c))).join();
    }

    /** The same joins with a connection the caller holds: bind(connection). */
    @DatabaseTest
    void aBoundConnectionIsJoined(TestDatabase db) throws Exception {
        String product = product(db);
        String orders = orders(db);
        Latchkey latchkey = LatchkeySpring.latchkey(db.dataSource());
        JdbcTemplate dao = new JdbcTemplate(latchkey.transactionAwareDataSource());
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (var bound = latchkey.bind(c)) {
                latchkey.update(product).set("stock", col("stock").minus(1)).whereId(1).execute();
                Connection used = latchkey.transactions().run(tx -> {
                    dao.update("INSERT INTO " + orders + " (id, product_id) VALUES (1, 1)");
                    return tx;
                });
                assertThat(used).isSameAs(c);
                assertThat(bound.rollbackCause()).isNull();
            }
            c.rollback();
            c.setAutoCommit(true);
        }
        assertThat(stock(db, product)).isEqualTo(100);
        assertThat(count(db, orders)).isZero();
    }

    /** Scenario 8 with a hand-held connection, and a Spring transaction inside which nothing is bound twice. */
    @DatabaseTest(DbKind.MARIADB)
    @SuppressWarnings("try") // the binding is used by being open
    void advisoryLockOnABoundConnectionIsReleasedWhenTheBindingCloses(TestDatabase db) throws Exception {
        String name = db.uniqueName("lk");
        Latchkey latchkey = LatchkeySpring.latchkey(db.dataSource());
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (var bound = latchkey.bind(c)) {
                latchkey.advisoryLock(name).lock(c);
                assertThat(lockHeld(db, name)).isTrue();
            }
            assertThat(lockHeld(db, name)).isFalse();
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /** Outside any transaction nothing is joined: each execute() commits on its own. */
    @DatabaseTest({DbKind.H2, DbKind.EMBEDDED_POSTGRES})
    void outsideATransactionExecuteCommitsOnItsOwn(TestDatabase db) {
        String product = product(db);
        try (SpringApp app = SpringApp.start(db)) {
            app.latchkey.update(product).set("stock", col("stock").minus(1)).whereId(1).execute();
            TransactionTemplate supports = new TransactionTemplate(app.manager);
            supports.setPropagationBehavior(TransactionTemplate.PROPAGATION_SUPPORTS);
            supports.executeWithoutResult(status -> {
                app.jdbc.queryForObject("SELECT stock FROM " + product + " WHERE id = 1", Long.class);
                app.latchkey.update(product).set("stock", col("stock").minus(1)).whereId(1).execute();
                status.setRollbackOnly();
            });
            assertThat(stock(db, product)).isEqualTo(98);
        }
    }
}

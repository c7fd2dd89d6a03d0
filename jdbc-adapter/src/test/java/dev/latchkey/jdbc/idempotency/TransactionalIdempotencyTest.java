package dev.latchkey.jdbc.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.ConcurrencyException;
import dev.latchkey.ConnectionFailureException;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyKeyInUseException;
import dev.latchkey.idempotency.IdempotencyKeyReusedException;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.IdempotentResult;
import dev.latchkey.idempotency.ReplayedFailureException;
import dev.latchkey.idempotency.ResponseCodec;
import dev.latchkey.idempotency.ResponseTooLargeException;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.spi.IdempotencyRecord;
import dev.latchkey.idempotency.spi.IdempotencyState;
import dev.latchkey.jdbc.Isolation;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.SqlFunction;
import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.testing.CountingDataSource;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.DbKind;
import dev.latchkey.jdbc.testing.Hammer;
import dev.latchkey.jdbc.testing.TestDatabase;
import dev.latchkey.test.Fault;
import dev.latchkey.test.FaultInjectingDataSource;
import dev.latchkey.test.FaultPlan;
import dev.latchkey.test.Trigger;
import dev.latchkey.retry.RetryPolicy;

/** Transactional mode: the claim, the business writes and the stored response commit together. */
class TransactionalIdempotencyTest {
    private static final Fingerprint FP = Fingerprint.sha256("charge 100 EUR");
    private static final IdempotencyPolicy POLICY = IdempotencyPolicy.builder().lease(Duration.ofMinutes(1))
            .retention(Duration.ofHours(1)).build();
    private static final List<Isolation> ISOLATIONS = List.of(Isolation.READ_COMMITTED, Isolation.REPEATABLE_READ);

    /** A store and a business table on a data source. */
    private static final class Fixture {
        final TestDatabase db;
        final Latchkey latchkey;
        final JdbcIdempotencyStore store;
        final String charges;

        Fixture(TestDatabase db, DataSource ds) {
            this.db = db;
            this.latchkey = Latchkey.builder(ds).dialect(db.latchkey().dialect()).build();
            String table = db.uniqueName("idem");
            db.dropAfterTest(table);
            this.store = latchkey.idempotencyStore(table);
            store.createTableIfNotExists();
            this.charges = db.table("charge", "id VARCHAR(64) PRIMARY KEY, idem VARCHAR(255) NOT NULL");
        }

        /** The business work: one charge row, answered with its id. */
        SqlFunction<StoredResponse> charge(IdempotencyKey key) {
            return tx -> StoredResponse.ofText(201, "application/json", "{\"id\":\"" + insertCharge(tx, key) + "\"}");
        }

        String insertCharge(Connection tx, IdempotencyKey key) throws SQLException {
            String id = UUID.randomUUID().toString();
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO " + charges + " (id, idem) VALUES (?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, key.key());
                ps.executeUpdate();
            }
            return id;
        }

        long charges(IdempotencyKey key) {
            return db.queryLong("SELECT COUNT(*) FROM " + charges + " WHERE idem = ?", key.key());
        }

        long keyRows(IdempotencyKey key) {
            return db.queryLong("SELECT COUNT(*) FROM " + store.table() + " WHERE scope = ? AND idem_key = ?",
                    key.scope(), key.key());
        }
    }

    private static IdempotencyKey newKey() {
        return IdempotencyKey.of("charges", UUID.randomUUID().toString());
    }

    @DatabaseTest
    void sixtyFourThreadsWithOneKeyWriteOnceAndAllGetTheSameResponse(TestDatabase db) {
        for (Isolation isolation : ISOLATIONS) {
            Fixture f = new Fixture(db, db.dataSource());
            TransactionalIdempotency idempotency = f.store.transactional(POLICY)
                    .withTransactions(f.latchkey.transactions().withIsolation(isolation));
            IdempotencyKey key = newKey();
            Set<String> bodies = ConcurrentHashMap.newKeySet();
            AtomicInteger fresh = new AtomicInteger();
            Hammer.run(64, 1, (t, i) -> {
                IdempotentResult<StoredResponse> r = idempotency.execute(key, FP, f.charge(key));
                bodies.add(r.value().bodyAsText());
                if (r.isFresh()) {
                    fresh.incrementAndGet();
                }
            });
            assertThat(f.charges(key)).as("charges at %s", isolation).isEqualTo(1);
            assertThat(fresh.get()).as("fresh results at %s", isolation).isEqualTo(1);
            assertThat(bodies).as("distinct responses at %s", isolation).hasSize(1);
            String id = (String) db.queryValue("SELECT id FROM " + f.charges + " WHERE idem = ?", key.key());
            assertThat(bodies.iterator().next()).contains(id);
        }
    }

    @DatabaseTest
    void sixtyFourThreadsOverTwoHundredKeysWriteEachKeyOnce(TestDatabase db) {
        for (Isolation isolation : ISOLATIONS) {
            Fixture f = new Fixture(db, db.dataSource());
            TransactionalIdempotency idempotency = f.store.transactional(POLICY)
                    .withTransactions(f.latchkey.transactions().withIsolation(isolation)
                            .withRetry(RetryPolicy.builder().maxAttempts(20).build()));
            int keys = 200;
            List<IdempotencyKey> keyList = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                keyList.add(newKey());
            }
            Map<Integer, Set<String>> bodies = new ConcurrentHashMap<>();
            AtomicInteger fresh = new AtomicInteger();
            List<List<Integer>> orders = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < keys; i++) {
                    order.add(i);
                }
                Collections.shuffle(order, new Random(t));
                orders.add(order);
            }
            Hammer.run(64, keys, (t, i) -> {
                int k = orders.get(t).get(i);
                IdempotencyKey key = keyList.get(k);
                IdempotentResult<StoredResponse> r = idempotency.execute(key, Fingerprint.sha256("k" + k), f.charge(key));
                bodies.computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).add(r.value().bodyAsText());
                if (r.isFresh()) {
                    fresh.incrementAndGet();
                }
            });
            assertThat(db.queryLong("SELECT COUNT(*) FROM " + f.charges)).as("charges at %s", isolation).isEqualTo(keys);
            assertThat(db.queryLong("SELECT COUNT(DISTINCT idem) FROM " + f.charges)).isEqualTo(keys);
            assertThat(fresh.get()).as("fresh results at %s", isolation).isEqualTo(keys);
            for (int k = 0; k < keys; k++) {
                assertThat(bodies.get(k)).as("responses of key %d at %s", k, isolation).hasSize(1);
            }
        }
    }

    /**
     * Issue 12 item 8: on H2 at SERIALIZABLE two claims of an absent key can both reach the
     * insert; the loser's duplicate key used to be retried inside the same snapshot, which never
     * sees the winner, so a caller got a DuplicateKeyException out of the claim (1 to 12 of 6,400).
     * Every caller must get the one response.
     */
    @DatabaseTest(DbKind.H2)
    void sixtyFourThreadsOverOneHundredKeysAtSerializableOnH2NeverSeeADuplicateKey(TestDatabase db) {
        Fixture f = new Fixture(db, db.dataSource());
        TransactionalIdempotency idempotency = f.store.transactional(POLICY)
                .withTransactions(f.latchkey.transactions().withIsolation(Isolation.SERIALIZABLE)
                        .withRetry(RetryPolicy.builder().maxAttempts(20).build()));
        int keys = 100;
        List<IdempotencyKey> keyList = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            keyList.add(newKey());
        }
        Map<Integer, Set<String>> bodies = new ConcurrentHashMap<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        Hammer.run(64, keys, (t, i) -> {
            int k = (i + t * 7) % keys;
            IdempotencyKey key = keyList.get(k);
            try {
                IdempotentResult<StoredResponse> r = idempotency.execute(key, FP, f.charge(key));
                bodies.computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).add(r.value().bodyAsText());
            } catch (RuntimeException e) {
                failures.add(e);
            }
        });
        assertThat(failures).as("callers that got a failure instead of the response").isEmpty();
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + f.charges)).isEqualTo(keys);
        for (int k = 0; k < keys; k++) {
            assertThat(bodies.get(k)).as("responses of key %d", k).hasSize(1);
        }
    }

    @DatabaseTest
    void aFailureInjectedAtEachStepLeavesNoBusinessWriteAndNoKey(TestDatabase db) {
        FaultInjectingDataSource faults = FaultInjectingDataSource.wrap(db.dataSource(), FaultPlan.none());
        Fixture f = new Fixture(db, faults);
        String table = f.latchkey.dialect().identifier("table", f.store.table());
        IdempotencySql statements = IdempotencySql.of(f.latchkey.dialect());
        String claimSql = statements.claim(table);
        String completeSql = statements.complete(table);
        TransactionalIdempotency idempotency = f.store.transactional(POLICY)
                .withTransactions(f.latchkey.transactions().withRetry(RetryPolicy.none()));
        ResponseCodec<String> brokenCodec = new ResponseCodec<>() {
            @Override
            public StoredResponse encode(String value) {
                throw new IllegalStateException("codec failed");
            }

            @Override
            public String decode(StoredResponse response) {
                return response.bodyAsText();
            }
        };

        Map<String, Step> steps = new LinkedHashMap<>();
        steps.put("the claim statement", key -> {
            faults.plan(failStatements("^" + Pattern.quote(claimSql) + "$"));
            idempotency.execute(key, FP, f.charge(key));
        });
        steps.put("the business write", key -> {
            faults.plan(failStatements("^" + Pattern.quote("INSERT INTO " + f.charges)));
            idempotency.execute(key, FP, f.charge(key));
        });
        steps.put("the work, after its write", key -> idempotency.execute(key, FP, tx -> {
            f.insertCharge(tx, key);
            throw new IllegalStateException("work failed after writing");
        }));
        steps.put("encoding the response", key -> idempotency.execute(key, FP, brokenCodec, tx -> f.insertCharge(tx, key)));
        steps.put("a response over the maximum", key -> idempotency.withPolicy(POLICY.toBuilder().maxResponseBytes(4).build())
                .execute(key, FP, f.charge(key)));
        steps.put("the complete statement", key -> {
            faults.plan(failStatements("^" + Pattern.quote(completeSql) + "$"));
            idempotency.execute(key, FP, f.charge(key));
        });
        steps.put("the commit", key -> {
            faults.plan(FaultPlan.none().inject(Fault.CONNECTION_LOST, Trigger.every(Trigger.Point.COMMIT), 1));
            idempotency.execute(key, FP, f.charge(key));
        });

        for (Map.Entry<String, Step> step : steps.entrySet()) {
            IdempotencyKey key = newKey();
            assertThatThrownBy(() -> step.getValue().run(key)).as("failure at %s", step.getKey())
                    .isInstanceOfAny(ConcurrencyException.class, IllegalStateException.class,
                            ResponseTooLargeException.class);
            faults.clear();
            assertThat(f.charges(key)).as("business rows after a failure at %s", step.getKey()).isZero();
            assertThat(f.keyRows(key)).as("key rows after a failure at %s", step.getKey()).isZero();

            IdempotentResult<StoredResponse> retried = idempotency.execute(key, FP, f.charge(key));
            assertThat(retried.isFresh()).isTrue();
            assertThat(idempotency.execute(key, FP, f.charge(key)).isReplayed()).isTrue();
            assertThat(f.charges(key)).as("business rows after the retry of %s", step.getKey()).isEqualTo(1);
        }
    }

    /**
     * Cancels every statement that matches: on MariaDB and H2 a cancel fails only the statement,
     * so the transaction's earlier writes are left for the runner to roll back.
     */
    private static FaultPlan failStatements(String regex) {
        return FaultPlan.none().inject(Fault.QUERY_CANCELLED, Trigger.statementsMatching(regex));
    }

    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    void aKilledConnectionRollsBackTheClaimWithTheWritesAndTheRetryRecovers(TestDatabase db) throws Exception {
        try (HikariDataSource own = db.server().newPool(4)) { // killed connections never reach the shared pool
            killMidTransaction(db, new Fixture(db, own));
        }
    }

    private static void killMidTransaction(TestDatabase db, Fixture f) throws Exception {
        String sleep = db.kind().isPostgres() ? "SELECT pg_sleep(30)" : "SELECT SLEEP(30)";
        for (boolean retry : new boolean[] {false, true}) {
            TransactionalIdempotency idempotency = f.store.transactional(POLICY).withTransactions(
                    f.latchkey.transactions().withRetry(retry ? RetryPolicy.defaults() : RetryPolicy.none()));
            IdempotencyKey key = newKey();
            AtomicLong session = new AtomicLong();
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch writing = new CountDownLatch(1);
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread worker = new Thread(() -> {
                try {
                    outcome.set(idempotency.execute(key, FP, tx -> {
                        String id = f.insertCharge(tx, key);
                        if (runs.incrementAndGet() == 1) {
                            session.set(db.sessionId(tx));
                            writing.countDown();
                            try (PreparedStatement ps = tx.prepareStatement(sleep)) {
                                ps.execute(); // killed here, after the claim and the business write
                            }
                        }
                        return StoredResponse.ofText(201, null, id);
                    }));
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            worker.start();
            assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100);
            db.killSession(session.get());
            worker.join(60_000);
            if (retry) {
                assertThat(outcome.get()).isInstanceOf(IdempotentResult.class);
                assertThat(runs.get()).isEqualTo(2);
                assertThat(f.charges(key)).isEqualTo(1);
                assertThat(f.store.find(key).orElseThrow().state()).isEqualTo(IdempotencyState.COMPLETED);
            } else {
                assertThat(outcome.get()).isInstanceOf(ConnectionFailureException.class);
                assertThat(f.charges(key)).as("the business write died with the connection").isZero();
                assertThat(f.keyRows(key)).as("and so did the claim").isZero();
                assertThat(idempotency.execute(key, FP, f.charge(key)).isFresh()).isTrue();
                assertThat(f.charges(key)).isEqualTo(1);
            }
        }
    }

    @DatabaseTest(DbKind.H2)
    void aConnectionClosedMidTransactionRollsBackEverythingOnH2(TestDatabase db) throws Exception {
        try (HikariDataSource own = db.server().newPool(2)) { // the closed connection never reaches the shared pool
            Fixture f = new Fixture(db, own);
            TransactionalIdempotency idempotency = f.store.transactional(POLICY)
                    .withTransactions(f.latchkey.transactions().withRetry(RetryPolicy.none()));
            IdempotencyKey key = newKey();
            assertThatThrownBy(() -> idempotency.execute(key, FP, tx -> {
                f.insertCharge(tx, key);
                tx.unwrap(org.h2.jdbc.JdbcConnection.class).close(); // the simulated crash: the session ends uncommitted
                return StoredResponse.ofText(201, null, "never");
            })).isInstanceOf(RuntimeException.class);
            own.getHikariPoolMXBean().softEvictConnections();
            assertThat(f.charges(key)).isZero();
            assertThat(f.keyRows(key)).isZero();
            assertThat(idempotency.execute(key, FP, f.charge(key)).isFresh()).isTrue();
            assertThat(f.charges(key)).isEqualTo(1);
        }
    }

    @DatabaseTest
    void aDifferentFingerprintIsRejectedOnEveryPathWithoutAnyWrite(TestDatabase db) throws Exception {
        Fixture f = new Fixture(db, db.dataSource());
        TransactionalIdempotency idempotency = f.store.transactional(POLICY);
        Fingerprint other = Fingerprint.sha256("charge 999 EUR");
        AtomicInteger runs = new AtomicInteger();
        SqlFunction<StoredResponse> counted = tx -> {
            runs.incrementAndGet();
            return StoredResponse.ofText(201, null, f.insertCharge(tx, IdempotencyKey.of("charges", "never")));
        };

        IdempotencyKey completed = newKey(); // replay path
        idempotency.execute(completed, FP, f.charge(completed));
        assertThatThrownBy(() -> idempotency.execute(completed, other, counted))
                .isInstanceOf(IdempotencyKeyReusedException.class);

        IdempotencyKey live = newKey(); // claim conflict with a live claim
        f.store.claim(live, FP, Duration.ofMinutes(5), Duration.ofHours(1));
        assertThatThrownBy(() -> idempotency.execute(live, other, counted)).isInstanceOf(IdempotencyKeyReusedException.class);

        IdempotencyKey lapsed = newKey(); // takeover of a crashed worker's lapsed lease
        f.store.claim(lapsed, FP, Duration.ofMillis(200), Duration.ofHours(1));
        Thread.sleep(300);
        assertThatThrownBy(() -> idempotency.execute(lapsed, other, counted)).isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(f.store.find(lapsed).orElseThrow().attempt()).as("the refused takeover changed nothing").isEqualTo(1);

        IdempotencyKey inFlight = newKey(); // a duplicate blocked on the first transaction's row lock
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Thread first = new Thread(() -> idempotency.execute(inFlight, FP, tx -> {
            claimed.countDown();
            try {
                finish.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return f.charge(inFlight).apply(tx);
        }));
        first.start();
        assertThat(claimed.await(30, TimeUnit.SECONDS)).isTrue();
        AtomicReference<Throwable> duplicate = new AtomicReference<>();
        Thread second = new Thread(() -> {
            try {
                idempotency.execute(inFlight, other, counted);
            } catch (Throwable e) {
                duplicate.set(e);
            }
        });
        second.start();
        Thread.sleep(200);
        finish.countDown();
        first.join(30_000);
        second.join(30_000);
        assertThat(duplicate.get()).isInstanceOf(IdempotencyKeyReusedException.class);

        assertThat(runs.get()).isZero();
        assertThat(f.charges(IdempotencyKey.of("charges", "never"))).isZero();
    }

    @DatabaseTest
    void aStoredFailureRollsBackTheWritesButKeepsTheAnswer(TestDatabase db) {
        Fixture f = new Fixture(db, db.dataSource());
        TransactionalIdempotency idempotency = f.store.transactional(POLICY.toBuilder()
                .storeFailures((k, e) -> e instanceof IllegalArgumentException
                        ? StoredResponse.ofText(402, "text/plain", e.getMessage()) : null)
                .build());
        IdempotencyKey key = newKey();
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> idempotency.execute(key, FP, tx -> {
            runs.incrementAndGet();
            f.insertCharge(tx, key);
            throw new IllegalArgumentException("card declined");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(f.charges(key)).isZero();
        IdempotencyRecord stored = f.store.find(key).orElseThrow();
        assertThat(stored.response().isFailure()).isTrue();
        assertThatThrownBy(() -> idempotency.execute(key, FP, f.charge(key)))
                .isInstanceOfSatisfying(ReplayedFailureException.class, e -> {
                    assertThat(e.response().status()).isEqualTo(402);
                    assertThat(e.response().bodyAsText()).isEqualTo("card declined");
                });
        assertThat(runs.get()).isEqualTo(1);
        assertThat(f.charges(key)).isZero();
    }

    @DatabaseTest
    void theWorkRunsOnTheTransactionThatHoldsTheUncommittedClaim(TestDatabase db) {
        Fixture f = new Fixture(db, db.dataSource());
        IdempotencyKey key = newKey();
        f.store.transactional(POLICY).execute(key, FP, tx -> {
            assertThat(tx.getAutoCommit()).isFalse();
            IdempotencyRecord mine = f.store.find(tx, key).orElseThrow();
            assertThat(mine.state()).isEqualTo(IdempotencyState.IN_PROGRESS);
            assertThat(f.keyRows(key)).as("invisible outside the transaction until it commits").isZero();
            return f.charge(key).apply(tx);
        });
        assertThat(f.keyRows(key)).isEqualTo(1);
        assertThat(f.charges(key)).isEqualTo(1);
    }

    @DatabaseTest
    void aFreshTransactionalExecutionIsClaimWorkCompleteAndOneCommit(TestDatabase db) {
        CountingDataSource counting = db.counting();
        Fixture f = new Fixture(db, counting);
        TransactionalIdempotency idempotency = f.store.transactional(POLICY);
        IdempotencyKey key = newKey();
        counting.reset();
        assertThat(idempotency.execute(key, FP, f.charge(key)).isFresh()).isTrue();
        assertThat(counting.statements()).as("claim + business insert + complete").isEqualTo(3);
        assertThat(counting.commits()).isEqualTo(1);
        assertThat(counting.rollbacks()).isZero();
        counting.reset();
        assertThat(idempotency.execute(key, FP, f.charge(key)).isReplayed()).isTrue();
        assertThat(counting.statements()).as("replay").isEqualTo(db.product() == DatabaseProduct.MARIADB ? 1 : 2);
        assertThat(counting.commits()).isEqualTo(1);
    }

    @DatabaseTest
    void aLapsedClaimOfACrashedNonTransactionalWorkerIsTakenOverAndALiveOneIsInUse(TestDatabase db) throws Exception {
        Fixture f = new Fixture(db, db.dataSource());
        TransactionalIdempotency idempotency = f.store.transactional(POLICY);
        IdempotencyKey key = newKey();
        f.store.claim(key, FP, Duration.ofSeconds(2), Duration.ofHours(1));
        assertThatThrownBy(() -> idempotency.execute(key, FP, f.charge(key)))
                .isInstanceOf(IdempotencyKeyInUseException.class);
        assertThat(f.charges(key)).isZero();
        Thread.sleep(2100);
        assertThat(idempotency.execute(key, FP, f.charge(key)).isFresh()).isTrue();
        assertThat(f.store.find(key).orElseThrow().attempt()).isEqualTo(2);
        assertThat(f.charges(key)).isEqualTo(1);
    }

    /** One way of failing. */
    @FunctionalInterface
    private interface Step {
        void run(IdempotencyKey key) throws Exception;
    }
}

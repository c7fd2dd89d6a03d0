package dev.latchkey.jdbc;

import dev.latchkey.jdbc.error.JdbcException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.ConcurrencyException;
import dev.latchkey.ConcurrencyListener;
import dev.latchkey.ConnectionFailureException;
import dev.latchkey.DeadlockException;
import dev.latchkey.DuplicateKeyException;
import dev.latchkey.LockNotAvailableException;
import dev.latchkey.RetriesExhaustedException;
import dev.latchkey.RetryEvent;
import dev.latchkey.SerializationFailureException;
import dev.latchkey.jdbc.internal.TransactionScope;
import dev.latchkey.jdbc.testing.DataSourceAdapter;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.DbKind;
import dev.latchkey.jdbc.testing.Hammer;
import dev.latchkey.jdbc.testing.HeldLock;
import dev.latchkey.jdbc.testing.TestDatabase;
import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The transaction runner on real databases: provoked conflicts retried to success with the exact
 * attempt counts, exhausted retries, failures that must not be retried, refusals, and the state
 * of the connection it hands back.
 */
// "try": a HeldLock is opened only to hold its lock for the duration of the block
@SuppressWarnings("try")
class TransactionsTest {

    private static final RetryPolicy FAST = RetryPolicy.builder().maxAttempts(5)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(20), 2.0).build();

    /** Records what the runner tells its listener. */
    static final class Recorder implements ConcurrencyListener {
        final List<RetryEvent> retries = new CopyOnWriteArrayList<>();
        final List<ConcurrencyException> conflicts = new CopyOnWriteArrayList<>();

        @Override
        public void onRetry(@NotNull RetryEvent event) {
            retries.add(event);
        }

        @Override
        public void onConflict(@Nullable String table, @Nullable Object key, @NotNull ConcurrencyException failure) {
            conflicts.add(failure);
        }
    }

    private final Recorder recorder = new Recorder();

    private Latchkey latchkey(TestDatabase db, DataSource ds, RetryPolicy policy) {
        return Latchkey.builder(ds).dialect(db.latchkey().dialect()).listener(recorder).retryPolicy(policy).build();
    }

    private Latchkey latchkey(TestDatabase db) {
        return latchkey(db, db.dataSource(), FAST);
    }

    // ---- provoked conflicts retried to success --------------------------------------------

    @DatabaseTest
    void aDeadlockIsRetriedToSuccess(TestDatabase db) {
        String t = rows(db, 2);
        Latchkey lk = latchkey(db);
        Collision collision = new Collision();

        collision.run((thread, counter) -> lk.transactions().run(c -> {
            collision.begin(thread, counter);
            long first = thread == 0 ? 1 : 2;
            long second = thread == 0 ? 2 : 1;
            increment(c, t, first);
            collision.meetOnFirstAttempt(counter);
            increment(c, t, second);
            return null;
        }));

        // the victim ran twice, the other once: three attempts, never more
        assertThat(collision.attempts()).containsExactlyInAnyOrder(1, 2);
        assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 1")).isEqualTo(2);
        assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 2")).isEqualTo(2);
        assertThat(recorder.conflicts).singleElement().isExactlyInstanceOf(DeadlockException.class);
        assertThat(recorder.retries).singleElement().satisfies(e -> {
            assertThat(e.failedAttempt()).isEqualTo(1);
            assertThat(e.failure()).isExactlyInstanceOf(DeadlockException.class);
        });
    }

    /*
     * The on-call invariant (at most one row set) under SERIALIZABLE: both transactions read "none
     * set" and each sets its own row, the classic write skew. PostgreSQL fails one with 40001;
     * InnoDB's SERIALIZABLE share-locks the reads, so the same race is a deadlock there. Either
     * way the loser re-runs, now sees the other's row, and sets nothing.
     * Not H2: its SERIALIZABLE does not detect write skew (see ErrorProvocationTest).
     */
    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    void aSerializableConflictIsRetriedToSuccess(TestDatabase db) {
        String t = rows(db, 2);
        Latchkey lk = latchkey(db);
        Collision collision = new Collision();
        List<Boolean> wrote = new CopyOnWriteArrayList<>();

        collision.run((thread, counter) -> wrote.add(lk.transactions().run(Isolation.SERIALIZABLE, c -> {
            collision.begin(thread, counter);
            long onCall = sum(c, t);
            collision.meetOnFirstAttempt(counter);
            if (onCall == 0) {
                increment(c, t, thread + 1);
                return true;
            }
            return false;
        })));

        assertThat(collision.attempts()).containsExactlyInAnyOrder(1, 2);
        assertThat(db.queryLong("SELECT SUM(v) FROM " + t)).as("the invariant held").isEqualTo(1);
        assertThat(wrote).containsExactlyInAnyOrder(true, false);
        Class<?> expected = db.kind().isPostgres() ? SerializationFailureException.class : DeadlockException.class;
        assertThat(recorder.conflicts).singleElement().isExactlyInstanceOf(expected);
        assertThat(recorder.retries).hasSize(1);
    }

    /*
     * A read-modify-write of one row by two transactions: without conflict detection one update
     * is lost. PostgreSQL REPEATABLE READ (40001), MariaDB REPEATABLE READ with
     * innodb_snapshot_isolation=ON (1020) and H2 SERIALIZABLE (which says 40001 "deadlock") reject
     * the stale write; the runner re-runs it on fresh data, so both increments land.
     */
    @DatabaseTest
    void aStaleWriteIsRetriedSoNoUpdateIsLost(TestDatabase db) {
        String t = rows(db, 1);
        try (HikariDataSource pool = db.server().newPool(2)) {
            Latchkey lk = latchkey(db, pool, FAST);
            Isolation isolation = db.kind() == DbKind.H2 ? Isolation.SERIALIZABLE : Isolation.REPEATABLE_READ;
            Collision collision = new Collision();

            collision.run((thread, counter) -> lk.transactions().run(isolation, c -> {
                collision.begin(thread, counter);
                if (db.kind() == DbKind.MARIADB) {
                    // the pool is this test's own and closed at its end, so the session setting goes with it
                    execute(c, "SET SESSION innodb_snapshot_isolation = ON");
                }
                long v = value(c, t, 1);
                collision.meetOnFirstAttempt(counter);
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + t + " SET v = ? WHERE id = 1")) {
                    ps.setLong(1, v + 1);
                    ps.executeUpdate();
                }
                return null;
            }));

            assertThat(collision.attempts()).containsExactlyInAnyOrder(1, 2);
            assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 1")).as("no update lost").isEqualTo(2);
            Class<?> expected = db.kind() == DbKind.H2 ? DeadlockException.class : SerializationFailureException.class;
            assertThat(recorder.conflicts).singleElement().isExactlyInstanceOf(expected);
        }
    }

    // ---- giving up, and what is never retried ---------------------------------------------

    @DatabaseTest
    void retriesExhaustedCarriesTheLastFailure(TestDatabase db) {
        String t = rows(db, 1);
        RetryPolicy three = RetryPolicy.builder().maxAttempts(3).noBackoff().build();
        Latchkey lk = latchkey(db, db.dataSource(), three);
        AtomicInteger attempts = new AtomicInteger();

        try (HeldLock held = db.holdLock("SELECT id FROM " + t + " WHERE id = 1 FOR UPDATE")) {
            assertThatThrownBy(() -> lk.transactions().run(c -> {
                attempts.incrementAndGet();
                return value(c, t, 1, " FOR UPDATE NOWAIT");
            })).isInstanceOfSatisfying(RetriesExhaustedException.class, e -> {
                assertThat(e.attempts()).isEqualTo(3);
                assertThat(e.lastFailure()).isInstanceOf(LockNotAvailableException.class)
                        .isSameAs(recorder.conflicts.get(2));
                assertThat(e.getSuppressed()).containsExactly(recorder.conflicts.get(0), recorder.conflicts.get(1));
                assertThat(e.sqlState()).isEqualTo(((LockNotAvailableException) e.lastFailure()).sqlState());
            });
        }
        assertThat(attempts).hasValue(3);
        assertThat(recorder.retries).extracting(RetryEvent::failedAttempt).containsExactly(1, 2);
    }

    @DatabaseTest
    void aDuplicateKeyIsNotRetried(TestDatabase db) {
        String t = rows(db, 1);
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> latchkey(db).transactions().run(c -> {
            attempts.incrementAndGet();
            execute(c, "INSERT INTO " + t + " (id, v) VALUES (1, 0)");
            return null;
        })).isExactlyInstanceOf(DuplicateKeyException.class);

        assertThat(attempts).hasValue(1);
        assertThat(recorder.retries).isEmpty();
        assertThat(recorder.conflicts).isEmpty();
    }

    @DatabaseTest
    void aSyntaxErrorIsAJdbcExceptionAndIsNotRetried(TestDatabase db) {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> latchkey(db).transactions().run(c -> {
            attempts.incrementAndGet();
            execute(c, "SELEC 1");
            return null;
        })).isInstanceOfSatisfying(JdbcException.class, e -> {
            switch (db.product()) {
                case POSTGRESQL:
                    assertThat(e.sqlState()).isEqualTo("42601");
                    break;
                case MARIADB:
                    assertThat(e.sqlState()).isEqualTo("42000");
                    assertThat(e.vendorCode()).isEqualTo(1064);
                    break;
                default:
                    assertThat(e.sqlState()).isEqualTo("42001");
                    assertThat(e.vendorCode()).isEqualTo(42001);
                    break;
            }
        });
        assertThat(attempts).hasValue(1);
    }

    @DatabaseTest
    void theWorksOwnExceptionPropagatesAfterRollbackAndNothingIsWritten(TestDatabase db) {
        String t = rows(db, 0);
        AtomicInteger attempts = new AtomicInteger();
        IllegalArgumentException bug = new IllegalArgumentException("business rule");

        assertThatThrownBy(() -> latchkey(db).transactions().run(c -> {
            attempts.incrementAndGet();
            execute(c, "INSERT INTO " + t + " (id, v) VALUES (7, 7)");
            throw bug;
        })).isSameAs(bug);

        AssertionError error = new AssertionError("an Error is not retried either");
        assertThatThrownBy(() -> latchkey(db).transactions().run(c -> {
            attempts.incrementAndGet();
            execute(c, "INSERT INTO " + t + " (id, v) VALUES (8, 8)");
            throw error;
        })).isSameAs(error);

        assertThat(attempts).hasValue(2);
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + t)).isZero();
    }

    @DatabaseTest
    void aConnectionLostBeforeCommitIsRetriedOnAFreshConnection(TestDatabase db) {
        String t = rows(db, 1);
        try (HikariDataSource pool = db.server().newPool(2)) {
            Latchkey lk = latchkey(db, pool, FAST);
            List<Long> sessions = new ArrayList<>();

            lk.transactions().run(c -> {
                long session = db.sessionId(c);
                sessions.add(session);
                if (sessions.size() == 1) {
                    db.killSession(session);
                }
                increment(c, t, 1);
                return null;
            });

            assertThat(sessions).hasSize(2).doesNotHaveDuplicates();
            assertThat(recorder.conflicts).singleElement().isExactlyInstanceOf(ConnectionFailureException.class);
            assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 1")).isEqualTo(1);
        }
    }

    @DatabaseTest
    void anUnknownCommitOutcomeIsNeverRetriedWhateverThePolicySays(TestDatabase db) {
        String t = rows(db, 1);
        RetryPolicy everything = RetryPolicy.builder().maxAttempts(5).noBackoff().retryIf(e -> true).build();
        try (HikariDataSource pool = db.server().newPool(2)) {
            Latchkey lk = latchkey(db, pool, everything);
            AtomicInteger attempts = new AtomicInteger();

            assertThatThrownBy(() -> lk.transactions().run(c -> {
                attempts.incrementAndGet();
                increment(c, t, 1);
                // the last thing before COMMIT: the session dies
                db.killSession(db.sessionId(c));
                return null;
            })).isExactlyInstanceOf(CommitOutcomeUnknownException.class)
                    .satisfies(e -> assertThat(((CommitOutcomeUnknownException) e).isTransient()).isFalse());

            assertThat(attempts).hasValue(1);
            assertThat(recorder.retries).isEmpty();
        }
        assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 1")).isZero();
    }

    /*
     * An unknown commit outcome the WORK throws (e.g. from an auto-commit write it ran on another
     * connection, which died) says nothing about this transaction, which has not committed: it
     * must be rolled back. Skipping the rollback let the runner's restore of auto-commit commit
     * the work's half-done writes.
     */
    @DatabaseTest
    void anUnknownCommitOutcomeThrownByTheWorkRollsTheTransactionBack(TestDatabase db) {
        String t = rows(db, 1);
        Latchkey lk = latchkey(db);
        CommitOutcomeUnknownException elsewhere =
                new CommitOutcomeUnknownException("an auto-commit write on another connection", null, "08006", 0);

        assertThatThrownBy(() -> lk.transactions().run(c -> {
            increment(c, t, 1);
            throw elsewhere;
        })).isSameAs(elsewhere);

        assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 1")).isZero();
    }

    // ---- refusals -------------------------------------------------------------------------

    @DatabaseTest
    void aNestedRunJoinsTheOuterTransaction(TestDatabase db) {
        String t = rows(db, 1);
        Latchkey lk = latchkey(db);

        // the inner run works on the outer connection and commits nothing by itself
        assertThatThrownBy(() -> lk.transactions().run(outer -> {
            Connection inner = lk.transactions().withIsolation(Isolation.SERIALIZABLE).run(c -> {
                increment(c, t, 1);
                return c;
            });
            assertThat(inner).isSameAs(outer);
            assertThat(value(outer, t, 1)).isEqualTo(1);
            throw new IllegalStateException("outer fails after the inner run returned");
        })).hasMessageContaining("outer fails");
        assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 1")).isZero();

        lk.transactions().run(outer -> lk.transactions().run(inner -> {
            increment(inner, t, 1);
            return null;
        }));
        assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 1")).isEqualTo(1);
    }

    @DatabaseTest
    void aFailureThatAbortedTheTransactionIsNeverReportedAsCommitted(TestDatabase db) {
        String t = rows(db, 1);
        Latchkey lk = latchkey(db, db.dataSource(), RetryPolicy.none());
        AtomicInteger attempts = new AtomicInteger();

        // the inner run fails with a deadlock-class failure the outer work swallows: the database has
        // rolled the transaction back (or will), so the runner must not return the work's value
        assertThatThrownBy(() -> lk.transactions().run(outer -> {
            attempts.incrementAndGet();
            increment(outer, t, 1);
            try {
                lk.transactions().run(inner -> {
                    throw new DeadlockException("provoked", null, "40P01", 0);
                });
            } catch (DeadlockException swallowed) {
                // the work carries on as if nothing happened
            }
            return "reported as committed";
        })).isInstanceOf(DeadlockException.class);
        assertThat(attempts).hasValue(1);
        assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 1")).isZero();
    }

    @DatabaseTest
    void thePlainIdempotencyExecutorJoinsTheTransactionAndLeavesNoKeyWhenItRollsBack(TestDatabase db) {
        Latchkey lk = latchkey(db);
        String table = db.uniqueName("tx_idem");
        dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore store = lk.idempotencyStore(table);
        store.createTableIfNotExists();
        db.dropAfterTest(table);
        dev.latchkey.idempotency.IdempotencyKey key = dev.latchkey.idempotency.IdempotencyKey.of("s", "joined");
        dev.latchkey.idempotency.Fingerprint fp = dev.latchkey.idempotency.Fingerprint.sha256("req");

        assertThatThrownBy(() -> lk.transactions().run(tx -> {
            store.executor(dev.latchkey.idempotency.IdempotencyPolicy.defaults())
                    .execute(key, fp, () -> dev.latchkey.idempotency.StoredResponse.ofText(201, "text/plain", "x"));
            assertThat(store.find(key)).isPresent(); // the same transaction sees its own key
            throw new IllegalStateException("rolled back after the key was stored");
        })).hasMessageContaining("rolled back");
        assertThat(store.find(key)).isEmpty();
    }

    @DatabaseTest
    void aCaughtStaleVersionDoesNotMarkTheTransactionRollbackOnly(TestDatabase db) {
        String t = db.table("txv", "id BIGINT PRIMARY KEY, v BIGINT NOT NULL, version BIGINT NOT NULL");
        db.execute("INSERT INTO " + t + " (id, v, version) VALUES (1, 0, 5), (2, 0, 0)");
        Latchkey lk = latchkey(db, db.dataSource(), RetryPolicy.none());
        String r = lk.transactions().run(tx -> {
            try {
                lk.update(t).set("v", 1).whereId(1L).expectVersion(4L).execute(); // joined; no statement fails
            } catch (dev.latchkey.StaleVersionException expected) {
                // the caller branches on the stale version and carries on
            }
            lk.update(t).set("v", 2).whereId(2L).execute();
            return "committed";
        });
        assertThat(r).isEqualTo("committed");
        assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 2")).isEqualTo(2);
    }

    @DatabaseTest
    void requiresNewRunsASeparateTransactionThatSurvivesTheOuterRollback(TestDatabase db) {
        String t = rows(db, 2);
        Latchkey lk = latchkey(db);

        assertThatThrownBy(() -> lk.transactions().run(outer -> {
            increment(outer, t, 1);
            Connection separate = lk.transactions().withRequiresNew(true).run(c -> {
                increment(c, t, 2);
                return c;
            });
            assertThat(separate).isNotSameAs(outer);
            throw new IllegalStateException("outer rolls back");
        })).hasMessageContaining("outer rolls back");

        assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 1")).isZero();
        assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 2")).isEqualTo(1);
        assertThat(lk.transactions().withRequiresNew(true).requiresNew()).isTrue();
        assertThat(lk.transactions().requiresNew()).isFalse();
    }

    @DatabaseTest
    void aPoolThatHandsOutAutoCommitOffConnectionsIsCommittedAndLeftAsItWas(TestDatabase db) throws Exception {
        String t = rows(db, 1);
        try (Connection real = db.dataSource().getConnection()) {
            real.setAutoCommit(false);
            OneConnection ds = new OneConnection(real);
            Latchkey lk = latchkey(db, ds, FAST);

            assertThat(lk.transactions().<Long>run(c -> {
                increment(c, t, 1);
                return value(c, t, 1);
            })).isEqualTo(1);
            lk.update(t).set("v", dev.latchkey.jdbc.update.Expressions.col("v").plus(1)).whereId(1L).execute();

            assertThat(ds.calls).doesNotContain("setAutoCommit");
            assertThat(ds.calls).contains("commit");
            assertThat(real.getAutoCommit()).isFalse();
            assertThat(ds.closes).hasValue(ds.gets.get());
            real.setAutoCommit(true);
        }
        assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 1")).isEqualTo(2);
    }

    // ---- the connection handed back -------------------------------------------------------

    @DatabaseTest
    void restoresAutoCommitIsolationAndReadOnlyAfterCommitAndAfterFailure(TestDatabase db) throws Exception {
        String t = rows(db, 1);
        try (Connection real = db.dataSource().getConnection()) {
            real.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            OneConnection ds = new OneConnection(real);
            Transactions readOnlySerializable = latchkey(db, ds, FAST).transactions()
                    .withIsolation(Isolation.SERIALIZABLE).withReadOnly(true);

            long v = readOnlySerializable.run(c -> {
                assertThat(c.getAutoCommit()).isFalse();
                assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
                if (db.kind() != DbKind.H2) { // H2 ignores setReadOnly and always reports false
                    assertThat(c.isReadOnly()).isTrue();
                }
                return value(c, t, 1);
            });
            assertThat(v).isZero();
            assertRestored(db, real);

            if (db.kind().isPostgres()) {
                // PostgreSQL enforces it (MariaDB Connector/J and H2 only record the flag)
                assertThatThrownBy(() -> readOnlySerializable.run(c -> {
                    increment(c, t, 1);
                    return null;
                })).isInstanceOfSatisfying(JdbcException.class, e -> assertThat(e.sqlState()).isEqualTo("25006"));
                assertRestored(db, real);
            }

            assertThatThrownBy(() -> readOnlySerializable.run(c -> {
                throw new IllegalStateException("fails inside");
            })).hasMessage("fails inside");
            assertRestored(db, real);
            assertThat(ds.calls).contains("rollback");
            assertThat(ds.closes.get()).isEqualTo(ds.gets.get());
        }
    }

    /* H2 cannot be set read-only per connection (it ignores setReadOnly), so it has nothing to restore. */
    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    void aReadWriteRunnerLiftsAndRestoresAReadOnlyConnection(TestDatabase db) throws Exception {
        String t = rows(db, 1);
        try (Connection real = db.dataSource().getConnection()) {
            real.setReadOnly(true);
            OneConnection ds = new OneConnection(real);

            latchkey(db, ds, FAST).transactions().run(c -> {
                assertThat(c.isReadOnly()).isFalse();
                increment(c, t, 1);
                return null;
            });

            assertThat(real.isReadOnly()).isTrue();
            assertThat(real.getAutoCommit()).isTrue();
            real.setReadOnly(false);
        }
        assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 1")).isEqualTo(1);
    }

    @DatabaseTest
    void runAtAnIsolationLevelUsesIt(TestDatabase db) {
        Transactions tx = latchkey(db).transactions();
        assertThat(tx.isolation()).isEqualTo(Isolation.DEFAULT);
        assertThat(tx.readOnly()).isFalse();
        assertThat(tx.retryPolicy()).isSameAs(FAST);
        assertThat(tx.<Integer>run(Isolation.SERIALIZABLE, Connection::getTransactionIsolation))
                .isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(tx.<Integer>run(Isolation.READ_COMMITTED, Connection::getTransactionIsolation))
                .isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
        assertThat(tx.<Object>run(c -> null)).isNull();
    }

    // ---- completion actions ---------------------------------------------------------------

    @DatabaseTest
    void completionActionsRunAfterCommitInReverseOrder(TestDatabase db) {
        String t = rows(db, 0);
        Latchkey lk = latchkey(db);
        List<String> seen = new CopyOnWriteArrayList<>();

        lk.transactions().run(c -> {
            execute(c, "INSERT INTO " + t + " (id, v) VALUES (1, 1)");
            TransactionScope scope = TransactionScope.of(c);
            assertThat(scope).isNotNull();
            scope.onCompletion(conn -> seen.add("first registered"));
            scope.onCompletion(conn -> seen.add("second registered: autoCommit=" + conn.getAutoCommit()
                    + ", scope=" + TransactionScope.of(conn) + ", active=" + TransactionScope.isActive(lk.dataSource())
                    + ", committed rows seen elsewhere=" + db.queryLong("SELECT COUNT(*) FROM " + t)));
            return null;
        });

        assertThat(seen).containsExactly(
                "second registered: autoCommit=true, scope=null, active=false, committed rows seen elsewhere=1",
                "first registered");
    }

    @DatabaseTest
    void completionActionsRunAfterRollbackOncePerAttempt(TestDatabase db) {
        String t = rows(db, 0);
        List<Long> rowsSeen = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> latchkey(db).transactions().run(c -> {
            int attempt = attempts.incrementAndGet();
            execute(c, "INSERT INTO " + t + " (id, v) VALUES (1, 1)");
            TransactionScope.of(c).onCompletion(conn -> rowsSeen.add(db.queryLong("SELECT COUNT(*) FROM " + t)));
            if (attempt == 1) {
                // a transient failure of the first attempt: rolled back and re-run
                throw new DeadlockException("simulated deadlock", null, "40P01", 0);
            }
            throw new IllegalStateException("the second attempt fails for good");
        })).hasMessage("the second attempt fails for good");

        assertThat(attempts).hasValue(2);
        assertThat(rowsSeen).as("one action per attempt, each after its rollback").containsExactly(0L, 0L);
    }

    @DatabaseTest
    void aCompletionActionFailingAfterCommitIsReportedAndNeverRetried(TestDatabase db) {
        String t = rows(db, 0);
        RetryPolicy everything = RetryPolicy.builder().maxAttempts(5).noBackoff().retryIf(e -> true).build();
        AtomicInteger attempts = new AtomicInteger();
        DeadlockException actionFailure = new DeadlockException("looks transient", null, null, 0);

        assertThatThrownBy(() -> latchkey(db, db.dataSource(), everything).transactions().run(c -> {
            attempts.incrementAndGet();
            execute(c, "INSERT INTO " + t + " (id, v) VALUES (1, 1)");
            TransactionScope.of(c).onCompletion(conn -> {
                throw actionFailure;
            });
            return null;
        })).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the transaction committed, but an action registered to run on its completion failed")
                .hasCause(actionFailure);

        assertThat(attempts).hasValue(1);
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + t)).isEqualTo(1);
    }

    @DatabaseTest
    void aCompletionActionFailingAfterRollbackIsSuppressedOnTheFailure(TestDatabase db) {
        IllegalStateException actionFailure = new IllegalStateException("action");
        IllegalArgumentException workFailure = new IllegalArgumentException("work");

        assertThatThrownBy(() -> latchkey(db).transactions().run(c -> {
            TransactionScope.of(c).onCompletion(conn -> {
                throw actionFailure;
            });
            throw workFailure;
        })).isSameAs(workFailure);
        assertThat(workFailure.getSuppressed()).contains(actionFailure);
    }

    // ---- helpers --------------------------------------------------------------------------

    /**
     * Two runs on two threads that collide exactly once: the first attempt of each meets the other
     * at a barrier at the point that makes them conflict; a retry starts only once the other run
     * has returned, so a fast retry cannot collide again (as it could in production, where the
     * backoff makes that unlikely) and the attempt counts are exact.
     */
    private static final class Collision {
        private final CyclicBarrier firstAttempts = new CyclicBarrier(2);
        private final CountDownLatch[] returned = {new CountDownLatch(1), new CountDownLatch(1)};
        private final AtomicInteger[] attempts = {new AtomicInteger(), new AtomicInteger()};

        /** One run of a thread; receives the thread index and a counter of its attempts. */
        @FunctionalInterface
        interface Contender {
            void run(int thread, AtomicInteger attempts) throws Exception;
        }

        void run(Contender contender) {
            Hammer.run(2, 1, (thread, i) -> {
                try {
                    contender.run(thread, attempts[thread]);
                } finally {
                    returned[thread].countDown();
                }
            });
        }

        /** Counts the attempt; a retry first waits until the other run has returned. */
        void begin(int thread, AtomicInteger attemptCounter) {
            if (attemptCounter.incrementAndGet() > 1) {
                awaitOrFail(() -> returned[1 - thread].await(30, TimeUnit.SECONDS));
            }
        }

        /** On the first attempt, waits for the other thread to reach the same point. */
        void meetOnFirstAttempt(AtomicInteger attemptCounter) {
            if (attemptCounter.get() == 1) {
                awaitOrFail(() -> {
                    firstAttempts.await(30, TimeUnit.SECONDS);
                    return true;
                });
            }
        }

        List<Integer> attempts() {
            return List.of(attempts[0].get(), attempts[1].get());
        }

        /** A wait that fails the attempt for good (not retried) when broken or timed out. */
        private static void awaitOrFail(Callable<Boolean> wait) {
            try {
                if (!wait.call()) {
                    throw new IllegalStateException("timed out waiting for the other contender");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void assertRestored(TestDatabase db, Connection real) throws SQLException {
        assertThat(real.getAutoCommit()).isTrue();
        assertThat(real.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
        assertThat(real.isReadOnly()).isFalse();
        assertThat(TransactionScope.isActive(db.dataSource())).isFalse();
    }

    /** A table of {@code n} rows {@code (id, v = 0)}, ids from 1. */
    private static String rows(TestDatabase db, int n) {
        String t = db.table("tx", "id BIGINT PRIMARY KEY, v INT NOT NULL");
        for (int id = 1; id <= n; id++) {
            db.execute("INSERT INTO " + t + " (id, v) VALUES (?, 0)", (long) id);
        }
        return t;
    }

    private static void increment(Connection c, String t, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t + " SET v = v + 1 WHERE id = ?")) {
            ps.setLong(1, id);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private static long value(Connection c, String t, long id) throws SQLException {
        return value(c, t, id, "");
    }

    private static long value(Connection c, String t, long id, String suffix) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM " + t + " WHERE id = ?" + suffix)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    private static long sum(Connection c, String t) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT SUM(v) FROM " + t)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * A data source that hands out one real connection again and again, recording the calls made
     * on it; {@code close()} only counts, so the test can inspect the connection afterwards.
     */
    static final class OneConnection extends DataSourceAdapter {
        final Connection real;
        final AtomicInteger gets = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final List<String> calls = new CopyOnWriteArrayList<>();

        OneConnection(Connection real) {
            super(null);
            this.real = real;
        }

        @Override
        public Connection getConnection() {
            gets.incrementAndGet();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, m, args) -> {
                        calls.add(m.getName());
                        switch (m.getName()) {
                            case "close":
                                closes.incrementAndGet();
                                return null;
                            case "isClosed":
                                return false;
                            case "equals":
                                return proxy == args[0];
                            case "hashCode":
                                return System.identityHashCode(proxy);
                            default:
                                try {
                                    return m.invoke(real, args);
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                        }
                    });
        }
    }
}

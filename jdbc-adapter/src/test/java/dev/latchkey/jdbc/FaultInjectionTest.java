package dev.latchkey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.ConcurrencyException;
import dev.latchkey.ConnectionFailureException;
import dev.latchkey.DeadlockException;
import dev.latchkey.LockNotAvailableException;
import dev.latchkey.LockWaitTimeoutException;
import dev.latchkey.QueryCancelledException;
import dev.latchkey.SerializationFailureException;
import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;
import dev.latchkey.retry.RetryPolicy;
import dev.latchkey.test.Database;
import dev.latchkey.test.Fault;
import dev.latchkey.test.FaultInjectingDataSource;
import dev.latchkey.test.FaultPlan;
import dev.latchkey.test.Trigger;
import dev.latchkey.test.junit.Contention;
import dev.latchkey.test.junit.ContentionResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.opentest4j.AssertionFailedError;

/**
 * latchkey-test's fault injector on every real database, under Latchkey: each injected fault is
 * translated exactly as the database's own error is (so the imitation is faithful to what
 * {@code ErrorProvocationTest} provokes for real), the transaction runner retries what is safe to
 * retry and reports a lost COMMIT reply as {@link CommitOutcomeUnknownException}, and a user-style
 * naive retry loop that passes on a healthy database is caught double-applying its write.
 */
class FaultInjectionTest {
    private static final RetryPolicy FAST = RetryPolicy.builder().maxAttempts(5)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(20), 2.0).build();

    private static String counter(TestDatabase db) {
        String t = db.table("fault", "id INT PRIMARY KEY, v INT NOT NULL");
        db.execute("INSERT INTO " + t + " (id, v) VALUES (1, 0)");
        return t;
    }

    private static long value(TestDatabase db, String t) {
        return db.queryLong("SELECT v FROM " + t + " WHERE id = 1");
    }

    private static int increment(Connection c, String t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t + " SET v = v + 1 WHERE id = 1")) {
            return ps.executeUpdate();
        }
    }

    private static Latchkey latchkey(TestDatabase db, DataSource ds, RetryPolicy retry) {
        return Latchkey.builder(ds).dialect(db.latchkey().dialect()).retryPolicy(retry).build();
    }

    /** What Latchkey makes of the real error the database raises for this fault. */
    private static Class<? extends ConcurrencyException> expected(Fault fault, boolean atCommit, DatabaseProduct product) {
        switch (fault) {
            case DEADLOCK:
                return DeadlockException.class;
            case SERIALIZATION_FAILURE:
                return SerializationFailureException.class;
            case LOCK_NOT_AVAILABLE:
                // MariaDB and H2 answer NOWAIT with their lock-timeout error (ErrorProvocationTest)
                return product == DatabaseProduct.POSTGRESQL ? LockNotAvailableException.class
                        : LockWaitTimeoutException.class;
            case LOCK_WAIT_TIMEOUT:
                return LockWaitTimeoutException.class;
            case QUERY_CANCELLED:
                return QueryCancelledException.class;
            case CONNECTION_LOST:
                return atCommit ? CommitOutcomeUnknownException.class : ConnectionFailureException.class;
            default:
                return CommitOutcomeUnknownException.class;
        }
    }

    @DatabaseTest
    void everyInjectedFaultIsTranslatedAsTheDatabasesOwnError(TestDatabase db) {
        String t = counter(db);
        Database database = Database.fromProductName(db.product().name());
        long committed = 0;
        for (Fault fault : Fault.values()) {
            for (boolean atCommit : new boolean[] {false, true}) {
                if (atCommit ? !fault.canHappenAtCommit() : !fault.canHappenAtStatement()) {
                    continue;
                }
                FaultInjectingDataSource faults = FaultInjectingDataSource.wrap(db.dataSource(), FaultPlan.none()
                        .inject(fault, atCommit ? Trigger.commit(1) : Trigger.statementsMatching("^UPDATE ")));
                Latchkey lk = latchkey(db, faults, RetryPolicy.none());
                ConcurrencyException e = catchThrowableOfType(ConcurrencyException.class,
                        () -> lk.transactions().run(c -> increment(c, t)));
                String where = fault + (atCommit ? " at COMMIT" : " before a statement");
                assertThat(e).as(where).isExactlyInstanceOf(expected(fault, atCommit, db.product()));
                assertThat(e.sqlState()).as(where).isEqualTo(database.error(fault).getSQLState());
                assertThat(e.vendorCode()).as(where).isEqualTo(database.error(fault).getErrorCode());
                assertThat(faults.injected()).as(where).hasSize(1);
                if (fault == Fault.COMMIT_REPLY_LOST) {
                    committed++;
                }
                assertThat(value(db, t)).as("committed after " + where).isEqualTo(committed);
            }
        }
        assertThat(committed).isEqualTo(1);
    }

    @DatabaseTest
    void anUnreachableDatabaseIsAConnectionFailureWithTheDatabasesOwnCodesAndNothingRuns(TestDatabase db) {
        String t = counter(db);
        Database database = Database.fromProductName(db.product().name());
        FaultInjectingDataSource faults = FaultInjectingDataSource.wrap(db.dataSource(), FaultPlan.none()
                .inject(Fault.DATABASE_UNREACHABLE, Trigger.every(Trigger.Point.CONNECT)));
        AtomicInteger runs = new AtomicInteger();

        ConnectionFailureException e = catchThrowableOfType(ConnectionFailureException.class,
                () -> latchkey(db, faults, RetryPolicy.none()).transactions().run(c -> runs.incrementAndGet()));

        assertThat(e.sqlState()).isEqualTo(database.error(Fault.DATABASE_UNREACHABLE).getSQLState());
        assertThat(e.vendorCode()).isEqualTo(database.error(Fault.DATABASE_UNREACHABLE).getErrorCode());
        assertThat(runs).hasValue(0);
        faults.clear();
        latchkey(db, faults, RetryPolicy.none()).transactions().run(c -> increment(c, t));
        assertThat(value(db, t)).isEqualTo(1);
    }

    @DatabaseTest
    void theRunnerRetriesInjectedDeadlocksAndSerializationFailuresToOneIncrement(TestDatabase db) {
        String t = counter(db);
        FaultInjectingDataSource faults = FaultInjectingDataSource.wrap(db.dataSource(), FaultPlan.none()
                .inject(Fault.DEADLOCK, Trigger.statementsMatching("^UPDATE "), 2)
                .inject(Fault.SERIALIZATION_FAILURE, Trigger.commit(1)));
        AtomicInteger attempts = new AtomicInteger();

        latchkey(db, faults, FAST).transactions().run(c -> {
            attempts.incrementAndGet();
            return increment(c, t);
        });

        assertThat(attempts).hasValue(4);
        assertThat(faults.injected()).extracting(i -> i.fault())
                .containsExactly(Fault.DEADLOCK, Fault.DEADLOCK, Fault.SERIALIZATION_FAILURE);
        assertThat(value(db, t)).isEqualTo(1);
    }

    @DatabaseTest
    void aLostCommitReplyIsReportedAsUnknownAndNeverRetried(TestDatabase db) {
        String t = counter(db);
        FaultInjectingDataSource faults = FaultInjectingDataSource.wrap(db.dataSource(),
                FaultPlan.none().inject(Fault.COMMIT_REPLY_LOST, Trigger.commit(1)));
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> latchkey(db, faults, FAST).transactions().run(c -> {
            attempts.incrementAndGet();
            return increment(c, t);
        })).isExactlyInstanceOf(CommitOutcomeUnknownException.class);

        assertThat(attempts).as("a transaction that may have committed is not run again").hasValue(1);
        assertThat(value(db, t)).as("it did commit").isEqualTo(1);
    }

    /**
     * The user-style test the kit exists for. A naive "retry on any SQLException" increment passes
     * on a healthy database; the same test with two lost COMMIT replies injected fails, because
     * the loop re-runs transactions that had committed. Latchkey's runner, under the same plan,
     * keeps the invariant and hands the two unknown outcomes to the caller.
     */
    @DatabaseTest
    void aNaiveRetryLoopPassesUntilTheInjectorLosesACommitReply(TestDatabase db) throws Exception {
        FaultPlan twoLostReplies = FaultPlan.none()
                .inject(Fault.COMMIT_REPLY_LOST, Trigger.commit(3))
                .inject(Fault.COMMIT_REPLY_LOST, Trigger.commit(8));
        Contention twoThreads = Contention.threads(2).repetitions(10);

        String healthy = counter(db);
        twoThreads.run((thread, i) -> naiveIncrement(db.dataSource(), healthy))
                .assertNoFailures()
                .assertInvariant("one increment per call", () -> value(db, healthy) == 20);

        String naive = counter(db);
        FaultInjectingDataSource naiveFaults = FaultInjectingDataSource.wrap(db.dataSource(), twoLostReplies);
        ContentionResult naiveRun = twoThreads.faults(naiveFaults).run((thread, i) -> naiveIncrement(naiveFaults, naive))
                .assertNoFailures();
        assertThatThrownBy(() -> naiveRun.assertInvariant("one increment per call", () -> value(db, naive) == 20))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("does not hold")
                .hasMessageContaining("COMMIT_REPLY_LOST");
        assertThat(value(db, naive)).as("two calls applied twice").isEqualTo(22);

        String guarded = counter(db);
        FaultInjectingDataSource latchkeyFaults = FaultInjectingDataSource.wrap(db.dataSource(), twoLostReplies);
        Latchkey lk = latchkey(db, latchkeyFaults, FAST);
        ContentionResult latchkeyRun = twoThreads.faults(latchkeyFaults)
                .run((thread, i) -> lk.transactions().run(c -> increment(c, guarded)))
                .assertFailuresOnly(CommitOutcomeUnknownException.class)
                .assertInvariant("one increment per call", () -> value(db, guarded) == 20);
        assertThat(latchkeyRun.failuresOf(CommitOutcomeUnknownException.class)).isEqualTo(2);
    }

    /** What a hurried developer writes: retry the whole transaction on any SQLException. */
    private static void naiveIncrement(DataSource ds, String t) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                increment(c, t);
                c.commit();
                return;
            } catch (SQLException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }
}

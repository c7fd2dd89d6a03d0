package dev.latchkey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.ConcurrencyListener;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.IdempotentResult;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.memory.InMemoryIdempotencyStore;
import dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore;
import dev.latchkey.jdbc.idempotency.TransactionalIdempotency;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;
import dev.latchkey.retry.RetryPolicy;

/**
 * An independent reviewer's attacks on transaction participation and hardening (issues 11, 12):
 * each test names the defect it proved.
 */
class ReviewTest {
    private static final RetryPolicy ONCE = RetryPolicy.none();

    private static String rows(TestDatabase db) {
        return TxRows.table(db, "rev");
    }

    private static void assertThreadAndPoolClean(Latchkey lk, HikariDataSource one, String t) throws SQLException {
        // a pool of one: the next transaction and execute() get the connection back; nothing joined
        assertThat(lk.transactions().<Long>run(tx -> 7L)).isEqualTo(7L);
        assertThat(lk.update(t).set("v", 1).whereId(1L).execute().applied()).isTrue();
        try (Connection c = one.getConnection()) {
            assertThat(c.getAutoCommit()).isTrue();
        }
    }

    /**
     * Issue 11: "run inside a running transaction joins it: the failure marks the outer
     * transaction rollback-only and propagates". A joined run that wrote and then failed
     * (any failure, not only one the database aborted on) must not have its half-done writes
     * committed when the outer work catches the failure.
     */
    @DatabaseTest
    void aFailedJoinedRunIsNotCommittedHalfDoneByAnOuterCatch(TestDatabase db) {
        String t = rows(db);
        Latchkey lk = Latchkey.builder(db.dataSource()).retryPolicy(ONCE).build();
        assertThatThrownBy(() -> lk.transactions().run(outer -> {
            try {
                lk.transactions().run(inner -> {
                    TxRows.insert(inner, t, 2);
                    throw new IllegalStateException("business rule violated after the insert");
                });
            } catch (IllegalStateException expected) {
                // the outer work carries on
            }
            return "ok";
        })).isInstanceOf(IllegalStateException.class);
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + t + " WHERE id = 2")).isZero();
    }

    /**
     * A connection handed out by the transaction-aware view inside a transaction must not keep
     * working after the transaction ended: it would run statements on a pooled connection that
     * now belongs to nobody (or to another thread's transaction), in auto-commit.
     */
    @DatabaseTest
    void aTransactionAwareHandleIsDeadAfterItsTransactionEnds(TestDatabase db) {
        String t = rows(db);
        Latchkey lk = Latchkey.builder(db.dataSource()).retryPolicy(ONCE).build();
        DataSource view = lk.transactionAwareDataSource();
        AtomicReference<Connection> leaked = new AtomicReference<>();
        lk.transactions().run(tx -> {
            leaked.set(view.getConnection());
            return null;
        });
        assertThatThrownBy(() -> {
            try (Statement s = leaked.get().createStatement()) {
                s.executeUpdate("INSERT INTO " + t + " (id, v) VALUES (3, 0)");
            }
        }).isInstanceOf(SQLException.class);
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + t + " WHERE id = 3")).isZero();
    }

    /**
     * The same with a bound connection, which stays open after the binding ends: a handle kept
     * from the view must not write into whatever the user does with the connection next.
     */
    @DatabaseTest
    void aTransactionAwareHandleIsDeadAfterItsBindingEnds(TestDatabase db) throws Exception {
        String t = rows(db);
        Latchkey lk = Latchkey.builder(db.dataSource()).retryPolicy(ONCE).build();
        DataSource view = lk.transactionAwareDataSource();
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            Connection leaked;
            try (BoundConnection bound = lk.bind(c)) {
                assertThat(bound.rollbackCause()).isNull();
                leaked = view.getConnection();
            }
            c.commit();
            c.setAutoCommit(true);
            assertThat(leaked.isClosed()).isTrue();
            assertThatThrownBy(() -> {
                try (Statement s = leaked.createStatement()) {
                    s.executeUpdate("INSERT INTO " + t + " (id, v) VALUES (3, 0)");
                }
            }).isInstanceOf(SQLException.class);
        }
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + t + " WHERE id = 3")).isZero();
    }

    /**
     * A binding closed on another thread must not silently leave the binding thread bound to the
     * connection forever (every later operation on that thread would join a finished transaction).
     */
    @DatabaseTest
    void closingABindingOnAnotherThreadIsRefused(TestDatabase db) throws Exception {
        String t = rows(db);
        Latchkey lk = Latchkey.builder(db.dataSource()).retryPolicy(ONCE).build();
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            BoundConnection bound = lk.bind(c);
            AtomicReference<Throwable> onOther = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    bound.close();
                } catch (Throwable e) {
                    onOther.set(e);
                }
            });
            other.start();
            other.join();
            assertThat(onOther.get()).isInstanceOf(IllegalStateException.class);
            bound.close();
            c.rollback();
            c.setAutoCommit(true);
        }
        // this thread is not bound any more: execute() takes its own connection and commits
        assertThat(lk.update(t).set("v", 9).whereId(1L).execute().applied()).isTrue();
        assertThat(db.queryLong("SELECT v FROM " + t + " WHERE id = 1")).isEqualTo(9);
    }

    /** Closing a binding twice is harmless. */
    @DatabaseTest
    void closingABindingTwiceIsHarmless(TestDatabase db) throws Exception {
        Latchkey lk = Latchkey.builder(db.dataSource()).retryPolicy(ONCE).build();
        try (Connection c = db.dataSource().getConnection()) {
            assertThatThrownBy(() -> lk.bind(c)).isInstanceOf(IllegalArgumentException.class);
            c.setAutoCommit(false);
            BoundConnection bound = lk.bind(c);
            bound.close();
            bound.close();
            c.rollback();
            c.setAutoCommit(true);
        }
        assertThat(lk.transactions().<Long>run(tx -> 1L)).isEqualTo(1L);
    }

    /** Errors (a simulated StackOverflowError) and smuggled checked exceptions, in every path. */
    @DatabaseTest
    void errorsAndCheckedExceptionsLeaveNothingBehindInEveryPath(TestDatabase db) throws Exception {
        String t = rows(db);
        try (HikariDataSource one = db.server().newPool(1)) {
            Latchkey lk = Latchkey.builder(one).retryPolicy(ONCE).build();
            StackOverflowError soe = new StackOverflowError("simulated");
            IOException io = new IOException("smuggled");
            // runner
            assertThatThrownBy(() -> lk.transactions().run(tx -> {
                TxRows.insert(tx, t, 2);
                throw soe;
            })).isSameAs(soe);
            assertThreadAndPoolClean(lk, one, t);
            // joined run, inner throws checked
            assertThatThrownBy(() -> lk.transactions().run(outer -> lk.transactions().run(inner -> {
                TxRows.insert(inner, t, 3);
                TxRows.sneakyThrow(io);
                return null;
            }))).isSameAs(io);
            assertThreadAndPoolClean(lk, one, t);
            assertThat(db.queryLong("SELECT COUNT(*) FROM " + t + " WHERE id IN (2, 3)")).isZero();
        }
    }

    /** A listener that throws never changes the outcome of a transaction. */
    @DatabaseTest
    void aThrowingListenerDoesNotChangeTheOutcome(TestDatabase db) {
        String t = rows(db);
        ConcurrencyListener bad = new ConcurrencyListener() {
            @Override
            public void onTransactionEnd(boolean committed, Duration duration, int attempt) {
                throw new IllegalStateException("listener bug");
            }
        };
        Latchkey lk = Latchkey.builder(db.dataSource()).retryPolicy(ONCE).listener(bad).build();
        assertThat(lk.transactions().<String>run(tx -> {
            TxRows.insert(tx, t, 4);
            return "ok";
        })).isEqualTo("ok");
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + t + " WHERE id = 4")).isOne();
    }

    /**
     * Issue 12 item 2, plain executor: a checked exception smuggled out of the work must leave
     * the key as a failure would (released, so the retry runs), not IN_PROGRESS for the lease.
     */
    @DatabaseTest
    void aSmuggledCheckedExceptionReleasesThePlainExecutorsKey(TestDatabase db) {
        JdbcIdempotencyStore jdbc = db.latchkey().idempotencyStore(db.uniqueName("idem"));
        jdbc.createTableIfNotExists();
        db.dropAfterTest(jdbc.table());
        for (Idempotency executor : new Idempotency[] {
                InMemoryIdempotencyStore.create().executor(IdempotencyPolicy.defaults()),
                jdbc.executor(IdempotencyPolicy.defaults())}) {
            IdempotencyKey key = IdempotencyKey.of("review", db.uniqueName("k"));
            Fingerprint fp = Fingerprint.sha256("req");
            IOException io = new IOException("smuggled");
            assertThatThrownBy(() -> executor.execute(key, fp, () -> {
                TxRows.sneakyThrow(io);
                return StoredResponse.ofText(201, "text/plain", "created");
            })).isSameAs(io);
            IdempotentResult<StoredResponse> again = executor.execute(key, fp,
                    () -> StoredResponse.ofText(201, "text/plain", "created"));
            assertThat(again.isReplayed()).as(executor.toString()).isFalse();
        }
    }

    /** Issue 12 item 2, transactional idempotency: nothing stays locked, the retry runs the work. */
    @DatabaseTest
    void aSmuggledCheckedExceptionLeavesNoTransactionalClaim(TestDatabase db) throws Exception {
        String t = rows(db);
        try (HikariDataSource one = db.server().newPool(1)) {
            Latchkey lk = Latchkey.builder(one).retryPolicy(ONCE).build();
            JdbcIdempotencyStore store = lk.idempotencyStore(db.uniqueName("idem"));
            store.createTableIfNotExists();
            db.dropAfterTest(store.table());
            TransactionalIdempotency idem = store.transactional(IdempotencyPolicy.defaults());
            IdempotencyKey key = IdempotencyKey.of("review", "k1");
            Fingerprint fp = Fingerprint.sha256("req");
            IOException io = new IOException("smuggled");
            assertThatThrownBy(() -> idem.execute(key, fp, tx -> {
                TxRows.insert(tx, t, 5);
                TxRows.sneakyThrow(io);
                return StoredResponse.ofText(201, "text/plain", "created");
            })).isSameAs(io);
            assertThreadAndPoolClean(lk, one, t);
            IdempotentResult<StoredResponse> again = idem.execute(key, fp, tx -> {
                TxRows.insert(tx, t, 5);
                return StoredResponse.ofText(201, "text/plain", "created");
            });
            assertThat(again.isReplayed()).isFalse();
        }
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + t + " WHERE id = 5")).isOne();
    }
}

package dev.latchkey.jdbc.lock;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.latchkey.jdbc.Transactions;
import dev.latchkey.jdbc.testing.TestDatabase;
import dev.latchkey.retry.RetryPolicy;

/** Helpers shared by the lock tests: a transaction held open on another thread, lock-wait probes. */
final class LockTestSupport {
    static final Duration PATIENCE = Duration.ofSeconds(30);
    /** One attempt, and its failure thrown as is (not wrapped in RetriesExhaustedException). */
    static final RetryPolicy NO_RETRY = RetryPolicy.builder().maxAttempts(1).retryIf(e -> false).build();

    private LockTestSupport() {
    }

    /** Work inside a transaction that returns nothing. */
    @FunctionalInterface
    interface TxWork {
        void run(Connection tx) throws SQLException;
    }

    /**
     * Waits until some session waits for a lock while running a statement that mentions the
     * marker (a unique table or lock name), as the database itself reports it.
     */
    static void awaitLockWaiter(TestDatabase db, String marker) throws InterruptedException {
        String sql;
        switch (db.product()) {
            case POSTGRESQL:
                sql = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?1";
                break;
            case MARIADB:
            case MYSQL:
                sql = "SELECT (SELECT count(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT' "
                        + "AND trx_query LIKE ?1) + (SELECT count(*) FROM information_schema.processlist "
                        + "WHERE state = 'User lock' AND info LIKE ?1)";
                break;
            default:
                sql = "SELECT count(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL "
                        + "AND EXECUTING_STATEMENT LIKE ?1";
                break;
        }
        int uses = sql.split("\\?1", -1).length - 1;
        sql = sql.replace("?1", "?");
        Object[] params = new Object[uses];
        java.util.Arrays.fill(params, "%" + marker + "%");
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        while (db.queryLong(sql, params) == 0) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("no session started waiting for a lock on " + marker);
            }
            Thread.sleep(10);
        }
    }

    /**
     * A Latchkey transaction running on its own thread: it runs the work, reports it done, and
     * stays open (holding whatever the work locked) until {@link #commit()} or {@link #rollback()}.
     */
    static final class OpenTransaction implements AutoCloseable {
        private final CountDownLatch held = new CountDownLatch(1);
        private final CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        private final CompletableFuture<Void> finished;

        private OpenTransaction(Transactions transactions, TxWork work) {
            finished = CompletableFuture.runAsync(() -> transactions.run(tx -> {
                work.run(tx);
                held.countDown();
                boolean commit;
                try {
                    commit = outcome.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException | ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("the test never ended the open transaction", e);
                }
                if (!commit) {
                    throw new RolledBack();
                }
                return null;
            }));
        }

        /** Starts the transaction and waits until its work is done (its locks taken). */
        static OpenTransaction start(Transactions transactions, TxWork work) throws Exception {
            OpenTransaction t = new OpenTransaction(transactions, work);
            while (!t.held.await(10, TimeUnit.MILLISECONDS)) {
                if (t.finished.isDone()) {
                    t.finished.get();
                    throw new AssertionError("the open transaction ended before its work was done");
                }
            }
            return t;
        }

        /** Commits and waits until the transaction has ended (its locks released). */
        void commit() throws Exception {
            outcome.complete(true);
            finished.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }

        /** Rolls back and waits until the transaction has ended (its locks released). */
        void rollback() throws Exception {
            outcome.complete(false);
            try {
                finished.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                throw new AssertionError("the open transaction should have rolled back");
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RolledBack)) {
                    throw e;
                }
            }
        }

        @Override
        public void close() {
            if (!outcome.isDone()) {
                try {
                    rollback();
                } catch (Exception e) {
                    throw new IllegalStateException("could not end the open transaction", e);
                }
            }
        }
    }

    /** Thrown by an open transaction told to roll back. */
    static final class RolledBack extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RolledBack() {
            super("rolled back on purpose", null, false, false);
        }
    }
}

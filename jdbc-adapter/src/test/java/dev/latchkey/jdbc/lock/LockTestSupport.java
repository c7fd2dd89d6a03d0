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
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.testing.DataSourceAdapter;
import dev.latchkey.jdbc.testing.TestDatabase;
import dev.latchkey.retry.RetryPolicy;

/** Helpers shared by the lock tests: a transaction held open on another thread, lock-wait probes. */
final class LockTestSupport {
    static final Duration PATIENCE = Duration.ofSeconds(30);
    /** One attempt, and its failure thrown as is (not wrapped in RetriesExhaustedException). */
    static final RetryPolicy NO_RETRY = RetryPolicy.builder().maxAttempts(1).retryIf(e -> false).build();

    private LockTestSupport() {
    }

    /** A context over a data source that refuses connections: rendering never connects. */
    static JdbcContext renderingContext(Dialect d) {
        return JdbcContext.of(new DataSourceAdapter(null) {
            @Override
            public Connection getConnection() throws SQLException {
                throw new SQLException("rendering tests never connect");
            }
        }, d);
    }

    /** Work inside a transaction that returns nothing. */
    @FunctionalInterface
    interface TxWork {
        void run(Connection tx) throws SQLException;
    }

    /**
     * Waits until some session waits for a lock while running a statement that mentions the
     * marker (a unique table or lock name), as the database itself reports it.
     *
     * @param waiter the task expected to wait; if it ends first, its outcome fails the test
     */
    static void awaitLockWaiter(TestDatabase db, String marker, java.util.concurrent.Future<?> waiter)
            throws Exception {
        String sql;
        switch (db.product()) {
            case POSTGRESQL:
                sql = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?";
                break;
            case MARIADB:
            case MYSQL:
                // a session still running the statement on a held row is waiting for it (innodb_trx
                // does not always show LOCK WAIT for a primary-key read, which locks during optimisation)
                sql = "SELECT count(*) FROM information_schema.processlist WHERE command = 'Query' "
                        + "AND info LIKE ? AND id <> CONNECTION_ID()";
                break;
            default:
                sql = "SELECT count(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL "
                        + "AND EXECUTING_STATEMENT LIKE ?";
                break;
        }
        long giveUp = System.nanoTime() + PATIENCE.toNanos();
        while (db.queryLong(sql, "%" + marker + "%") == 0) {
            if (waiter.isDone()) {
                throw new AssertionError("the waiter finished without waiting for a lock on " + marker + ": "
                        + waiter.get());
            }
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
            }), LockTestSupport::newThread);
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

    /** Runs a task on a new daemon thread: the common pool may have a single thread on a small machine. */
    static void newThread(Runnable task) {
        Thread t = new Thread(task, "lock-test");
        t.setDaemon(true);
        t.start();
    }

    /** Thrown by an open transaction told to roll back. */
    static final class RolledBack extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RolledBack() {
            super("rolled back on purpose", null, false, false);
        }
    }
}

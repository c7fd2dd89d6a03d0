package dev.latchkey.jdbc.anomaly;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.latchkey.ConcurrencyException;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.testing.DbKind;
import dev.latchkey.jdbc.testing.TestDatabase;

/**
 * Two or three real JDBC sessions driven step by step, the way Hermitage drives {@code psql}
 * windows by hand. Each session has its own connection and its own thread, so a step may block.
 *
 * <p>Each step is handed to its session's thread, and the driver waits until the step has either
 * finished or is <em>waiting for a lock</em>, which it asks the server ({@code pg_stat_activity},
 * {@code INNODB_TRX}, H2's {@code SESSIONS.BLOCKER_ID}) rather than guessing from a timeout, so a
 * slow step on a busy machine does not count as blocked (a step that has neither finished nor been
 * reported waiting after {@value #BLOCKED_AFTER_MS} ms counts as blocked all the same). While a session is blocked, its later steps
 * queue behind the blocked one and the driver goes on with the other sessions; after a session
 * commits, rolls back or fails, the driver lets the released sessions catch up before the next
 * step. A step that fails (deadlock, serialization failure, stale version) rolls its transaction
 * back at once, as a client would, and the session's later steps are skipped.
 */
final class Interleaving implements AutoCloseable {
    private static final long FIRST_WAIT_MS = 30;
    private static final long GRACE_MS = 150;
    private static final long BLOCKED_AFTER_MS = 500;
    private static final long STEP_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final int LOCK_TIMEOUT_SECONDS = 5;

    /** A step's work on its session's connection; what it returns is stored under the step's label. */
    @FunctionalInterface
    interface Work {
        Object run(Connection c) throws SQLException;
    }

    private enum State { OPEN, COMMITTED, ROLLED_BACK, FAILED }

    private final TestDatabase db;
    private final String table;
    private final String guard;
    private final Connection monitor;
    private final List<Session> sessions = new ArrayList<>();
    private final Map<String, Object> seen = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Throwable> bugs = new ConcurrentLinkedQueue<>();
    private final List<String> blockedSteps = Collections.synchronizedList(new ArrayList<>());

    /**
     * Prepares the sessions on connections the caller owns (and closes): each gets the isolation
     * level and a {@value #LOCK_TIMEOUT_SECONDS} s lock timeout, so that a mistake cannot hang the
     * build. The connections must be outside a transaction; they are left outside one by
     * {@link #close()}.
     *
     * @param connections one connection per session (more are ignored), reusable across runs
     * @param monitor an auto-commit connection used to ask the server who waits for a lock
     */
    Interleaving(TestDatabase db, Level level, int sessionCount, List<Connection> connections, Connection monitor,
            String table, String guard) throws SQLException {
        this.db = db;
        this.table = table;
        this.guard = guard;
        this.monitor = monitor;
        try {
            for (int i = 0; i < sessionCount; i++) {
                Connection c = connections.get(i);
                sessions.add(new Session(i, c));
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute(lockTimeoutSql(db.kind()));
                    if (db.kind() == DbKind.MARIADB) {
                        s.execute("SET SESSION innodb_snapshot_isolation = OFF"); // a reused session may have it on
                    }
                    for (String sql : level.sessionSql()) {
                        s.execute(sql);
                    }
                }
                if (level.jdbcLevel() >= 0) {
                    c.setTransactionIsolation(level.jdbcLevel());
                }
                c.setAutoCommit(false);
                sessions.get(i).serverId = db.sessionId(c);
                String inEffect = levelInEffect(db.kind(), c);
                c.commit(); // these queries must not open the transaction's snapshot
                if (!inEffect.equals(level.name())) {
                    throw new IllegalStateException("asked for " + level.name() + " but " + db + " runs " + inEffect);
                }
            }
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The level the server says the session runs at, in {@link Level#name()}'s words. */
    private static String levelInEffect(DbKind kind, Connection c) throws SQLException {
        String sql;
        switch (kind.product()) {
            case POSTGRESQL:
                sql = "SELECT current_setting('transaction_isolation')";
                break;
            case MARIADB:
                sql = "SELECT CONCAT(@@tx_isolation, IF(@@innodb_snapshot_isolation, ' + innodb_snapshot_isolation', ''))";
                break;
            case H2:
                sql = "SELECT ISOLATION_LEVEL FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID()";
                break;
            default:
                throw new UnsupportedOperationException("cannot read the isolation level of " + kind.id());
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            String v = rs.getString(1).toUpperCase(Locale.ROOT).replace('-', ' ');
            return v.replace("INNODB_SNAPSHOT_ISOLATION", "innodb_snapshot_isolation");
        }
    }

    private static String lockTimeoutSql(DbKind kind) {
        switch (kind.product()) {
            case POSTGRESQL:
                return "SET lock_timeout = '" + LOCK_TIMEOUT_SECONDS + "s'";
            case MARIADB:
                return "SET SESSION innodb_lock_wait_timeout = " + LOCK_TIMEOUT_SECONDS;
            case H2:
                return "SET LOCK_TIMEOUT " + LOCK_TIMEOUT_SECONDS * 1000;
            default:
                throw new UnsupportedOperationException("no lock timeout for " + kind.id());
        }
    }

    /** @return the Latchkey of the database, for the steps that go through a Latchkey pattern */
    Latchkey latchkey() {
        return db.latchkey();
    }

    /** @return the table under test: {@code id INT PRIMARY KEY, v INT, version BIGINT} */
    String table() {
        return table;
    }

    /** @return the guard table: one row, id 1, that a transaction locks to claim the whole table */
    String guard() {
        return guard;
    }

    /** Runs a write (update, insert, delete); {@code {t}} in the SQL is the table. */
    void sql(int session, String sql, Object... params) {
        count(session, null, sql, params);
    }

    /** Runs a write and stores its update count under the label. */
    void count(int session, String label, String sql, Object... params) {
        step(session, label, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.replace("{t}", table))) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    /** Reads {@code id, v} of the rows matching a condition (all rows when it is empty) and stores them, id to v. */
    void read(int session, String label, String where, Object... params) {
        step(session, label, c -> {
            String sql = "SELECT id, v FROM " + table + (where.isEmpty() ? "" : " WHERE " + where) + " ORDER BY id";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    Map<Integer, Integer> rows = new LinkedHashMap<>();
                    while (rs.next()) {
                        rows.put(rs.getInt(1), rs.getInt(2));
                    }
                    return rows;
                }
            }
        });
    }

    /** Commits the session's transaction. */
    void commit(int session) {
        submit(session, "commit", null, State.COMMITTED);
    }

    /** Rolls the session's transaction back. */
    void rollback(int session) {
        submit(session, "rollback", null, State.ROLLED_BACK);
    }

    /** Runs any work on the session and stores its result under the label (when both are non-null). */
    void step(int session, String label, Work work) {
        submit(session, label == null ? "write" : label, work, null);
    }

    /** @return what a step stored, or {@code null} if it did not run (its session had failed) */
    Object seen(String label) {
        return seen.get(label);
    }

    private void submit(int index, String label, Work work, State end) {
        Session s = sessions.get(index);
        String name = "T" + (index + 1) + " " + label;
        s.last = s.thread.submit(() -> s.run(label, work, end));
        if (!s.waiting) {
            awaitOrBlocked(s, name);
        }
        boolean released = s.last.isDone() && s.state != State.OPEN;
        for (Session other : sessions) {
            if (other != s && other.waiting) {
                settle(other, released);
            }
        }
    }

    /** Waits until the step finished or its session waits for a lock. */
    private void awaitOrBlocked(Session s, String name) {
        if (finishesWithin(s, FIRST_WAIT_MS)) {
            return;
        }
        if (stillBlocked(s)) {
            s.waiting = true;
            blockedSteps.add(name);
        }
    }

    /**
     * Polls until the session's last step finished (false) or it waits for a lock (true): the
     * server says so, or, as a fallback, it has not finished within {@value #BLOCKED_AFTER_MS} ms.
     */
    private boolean stillBlocked(Session s) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BLOCKED_AFTER_MS);
        while (!s.last.isDone()) {
            if (waitsForLock(s) || System.nanoTime() > deadline) {
                return true;
            }
            finishesWithin(s, pollMillis());
        }
        return false;
    }

    /**
     * MariaDB refreshes its {@code INNODB_TRX} cache only when nobody read it for 0.1 s, so polling
     * it faster would see the same stale rows forever.
     */
    private long pollMillis() {
        return db.kind() == DbKind.MARIADB ? 110 : 10;
    }

    /**
     * Brings a blocked session up to date: it is released when its queued steps have finished;
     * after another session ended its transaction, it gets a short grace to finish before it counts
     * as still blocked (by the server's word).
     */
    private void settle(Session s, boolean othersReleased) {
        if (s.last.isDone() || othersReleased && finishesWithin(s, GRACE_MS)) {
            s.waiting = false;
            return;
        }
        if (othersReleased && !stillBlocked(s)) {
            s.waiting = false;
        }
    }

    private static boolean finishesWithin(Session s, long millis) {
        try {
            s.last.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError("a step failed outside its own handling", e.getCause());
        }
    }

    private boolean waitsForLock(Session s) {
        String sql;
        switch (db.product()) {
            case POSTGRESQL:
                sql = "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ? AND wait_event_type = 'Lock'";
                break;
            case MARIADB:
                // INNODB_TRX is a cache refreshed at most every 0.1 s: polling covers that
                sql = "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = ?"
                        + " AND trx_state = 'LOCK WAIT'";
                break;
            case H2:
                sql = "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = ? AND BLOCKER_ID IS NOT NULL";
                break;
            default:
                throw new UnsupportedOperationException("cannot see lock waits on " + db);
        }
        try (PreparedStatement ps = monitor.prepareStatement(sql)) {
            ps.setLong(1, s.serverId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot ask " + db + " about lock waits", e);
        }
    }


    /**
     * Waits for every queued step, rolls back what is still open, and reports what happened.
     *
     * @return the run
     * @throws AssertionError if a step hung, or failed with something other than a database
     *         refusal (a bug in the scenario, not an outcome)
     */
    Run finish() throws SQLException {
        for (Session s : sessions) {
            if (s.last == null) {
                continue; // no step ran on this session
            }
            try {
                s.last.get(STEP_LIMIT_NANOS, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("T" + (s.index + 1) + " still running 15 s after the last step on " + db, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            } catch (ExecutionException e) {
                throw new AssertionError("a step failed outside its own handling", e.getCause());
            }
            if (s.state == State.OPEN) {
                s.connection.rollback();
                s.state = State.ROLLED_BACK;
            }
        }
        if (!bugs.isEmpty()) {
            AssertionError e = new AssertionError("a step failed: " + bugs.peek(), bugs.peek());
            bugs.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
        Map<Integer, Integer> rows = new LinkedHashMap<>();
        try (Statement st = monitor.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, v FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getInt(2));
            }
        }
        boolean[] committed = new boolean[sessions.size()];
        for (Session s : sessions) {
            committed[s.index] = s.state == State.COMMITTED;
        }
        Throwable first = failures.peek();
        return new Run(Map.copyOf(seen), committed, List.copyOf(blockedSteps),
                first == null ? null : code(first, db.kind()), rows);
    }

    /**
     * The code a failure is recorded with: SQLSTATE, then the vendor code when the database has
     * one that says more (MariaDB's 1213 deadlock against 1020 record changed), or the Latchkey
     * exception's name when it carries no SQLSTATE (a stale version).
     */
    static String code(Throwable e, DbKind kind) {
        String state;
        int vendor;
        if (e instanceof SQLException) {
            state = ((SQLException) e).getSQLState();
            vendor = ((SQLException) e).getErrorCode();
        } else {
            ConcurrencyException c = (ConcurrencyException) e;
            state = c.sqlState();
            vendor = c.vendorCode();
            if (state == null) {
                return c.getClass().getSimpleName();
            }
        }
        if (kind.isPostgres() || vendor == 0 || String.valueOf(vendor).equals(state)) {
            return state;
        }
        return state + "/" + vendor;
    }

    /** Stops the session threads and rolls back whatever is still open; the connections stay open. */
    @Override
    public void close() {
        for (Session s : sessions) {
            s.thread.shutdownNow();
            try {
                if (!s.connection.getAutoCommit()) {
                    s.connection.rollback();
                }
            } catch (SQLException ignored) {
                // the caller closes the connection anyway
            }
        }
    }

    private final class Session {
        final int index;
        final Connection connection;
        final ExecutorService thread;
        long serverId;
        /** Driver thread only: the last step handed to this session. */
        Future<?> last;
        /** Driver thread only: the session is waiting for a lock and its later steps queue. */
        boolean waiting;
        /** Written by the session's thread, read by the driver after the step's future completed. */
        volatile State state = State.OPEN;

        Session(int index, Connection connection) {
            this.index = index;
            this.connection = connection;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "anomaly-T" + (index + 1));
                t.setDaemon(true);
                return t;
            });
        }

        void run(String label, Work work, State end) {
            if (state != State.OPEN) {
                return; // the transaction failed earlier: the rest of its script is moot
            }
            try {
                if (work != null) {
                    Object result = work.run(connection);
                    if (label != null && result != null) {
                        seen.put(label, result);
                    }
                }
                if (end == State.COMMITTED) {
                    connection.commit();
                    state = State.COMMITTED;
                } else if (end == State.ROLLED_BACK) {
                    connection.rollback();
                    state = State.ROLLED_BACK;
                }
            } catch (SQLException | ConcurrencyException e) {
                failures.add(e);
                rollbackAfterFailure();
            } catch (RuntimeException | Error e) {
                bugs.add(e);
                rollbackAfterFailure();
            }
        }

        private void rollbackAfterFailure() {
            state = State.FAILED;
            try {
                connection.rollback();
            } catch (SQLException e) {
                bugs.add(e);
            }
        }
    }
}

package dev.latchkey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.ConcurrencyException;
import dev.latchkey.ConnectionFailureException;
import dev.latchkey.DeadlockException;
import dev.latchkey.DuplicateKeyException;
import dev.latchkey.LockNotAvailableException;
import dev.latchkey.LockWaitTimeoutException;
import dev.latchkey.QueryCancelledException;
import dev.latchkey.SerializationFailureException;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.DbKind;
import dev.latchkey.jdbc.testing.HeldLock;
import dev.latchkey.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;

/**
 * Every failure category provoked for real on each database that can produce it, and the
 * translated exception asserted exactly: type, SQLSTATE, vendor code and whether it is transient.
 * A test restricted to some databases says why the others cannot produce that failure.
 */
// "try": a HeldLock is opened only to hold its lock for the duration of the block
@SuppressWarnings("try")
class ErrorProvocationTest {

    private static final long WAIT_SECONDS = 30;

    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "provocation");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stopBackground() throws InterruptedException {
        background.shutdownNow();
        assertThat(background.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    /** A statement or two on a connection, for a background thread. */
    @FunctionalInterface
    interface SqlRun {
        void run() throws SQLException;
    }

    // ---- deadlock -------------------------------------------------------------------------

    @DatabaseTest
    void twoConnectionsLockingTwoRowsInOppositeOrderDeadlock(TestDatabase db) throws Exception {
        String t = twoRows(db);
        try (Connection a = begin(db.dataSource()); Connection b = begin(db.dataSource())) {
            update(a, t, 1);
            update(b, t, 2);
            Future<SQLException> aWaits = inBackground(a, () -> update(a, t, 2));
            awaitBlocked(aWaits);
            Future<SQLException> bWaits = inBackground(b, () -> update(b, t, 1));

            SQLException victim = exactlyOneFailed(aWaits, bWaits);
            switch (db.product()) {
                case POSTGRESQL:
                    assertTranslated(db, victim, DeadlockException.class, "40P01", 0, true);
                    break;
                case MARIADB:
                    assertTranslated(db, victim, DeadlockException.class, "40001", 1213, true);
                    break;
                default:
                    assertTranslated(db, victim, DeadlockException.class, "40001", 40001, true);
                    break;
            }
            a.rollback();
            b.rollback();
        }
    }

    // ---- serialization failures -----------------------------------------------------------

    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES})
    void postgresSerializableWriteSkewFailsAtCommit(TestDatabase db) throws Exception {
        String t = twoRows(db);
        try (Connection a = begin(db.dataSource(), Connection.TRANSACTION_SERIALIZABLE);
             Connection b = begin(db.dataSource(), Connection.TRANSACTION_SERIALIZABLE)) {
            assertThat(sum(a, t)).isZero();
            assertThat(sum(b, t)).isZero();
            update(a, t, 1);
            update(b, t, 2);
            a.commit();

            SQLException e = expectSqlException(b::commit);
            RuntimeException translated = db.latchkey().errors().translate(e, true);
            assertExactly(translated, SerializationFailureException.class, "40001", 0, true);
            b.rollback();
        }
        assertThat(db.queryLong("SELECT SUM(v) FROM " + t)).isEqualTo(1);
    }

    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES})
    void postgresRepeatableReadRejectsAnUpdateOfARowChangedSinceTheSnapshot(TestDatabase db) throws Exception {
        String t = twoRows(db);
        try (Connection a = begin(db.dataSource(), Connection.TRANSACTION_REPEATABLE_READ)) {
            assertThat(sum(a, t)).isZero();
            db.execute("UPDATE " + t + " SET v = v + 1 WHERE id = 1");

            SQLException e = expectSqlException(() -> update(a, t, 1));
            assertTranslated(db, e, SerializationFailureException.class, "40001", 0, true);
            a.rollback();
        }
    }

    /*
     * InnoDB SERIALIZABLE turns plain reads into shared locks, so write skew becomes a deadlock
     * (1213) rather than a serialization failure.
     */
    @DatabaseTest(DbKind.MARIADB)
    void mariaDbSerializableWriteSkewIsADeadlock(TestDatabase db) throws Exception {
        String t = twoRows(db);
        try (Connection a = begin(db.dataSource(), Connection.TRANSACTION_SERIALIZABLE);
             Connection b = begin(db.dataSource(), Connection.TRANSACTION_SERIALIZABLE)) {
            assertThat(sum(a, t)).isZero();
            assertThat(sum(b, t)).isZero();
            Future<SQLException> aWaits = inBackground(a, () -> update(a, t, 1));
            awaitBlocked(aWaits);
            Future<SQLException> bWaits = inBackground(b, () -> update(b, t, 2));

            SQLException victim = exactlyOneFailed(aWaits, bWaits);
            assertTranslated(db, victim, DeadlockException.class, "40001", 1213, true);
            a.rollback();
            b.rollback();
        }
    }

    /*
     * MariaDB 10.11 keeps innodb_snapshot_isolation OFF by default: REPEATABLE READ then silently
     * loses the concurrent update. With it ON, the stale write fails with 1020 "Record has changed
     * since last read".
     */
    @DatabaseTest(DbKind.MARIADB)
    void mariaDbSnapshotIsolationReportsAStaleWriteAs1020(TestDatabase db) throws Exception {
        String t = twoRows(db);
        try (HikariDataSource pool = db.server().newPool(2)) {
            try (Connection a = begin(pool, Connection.TRANSACTION_REPEATABLE_READ)) {
                execute(a, "SET SESSION innodb_snapshot_isolation = ON");
                assertThat(sum(a, t)).isZero();
                db.execute("UPDATE " + t + " SET v = v + 1 WHERE id = 1");

                SQLException e = expectSqlException(() -> update(a, t, 1));
                assertTranslated(db, e, SerializationFailureException.class, "HY000", 1020, true);
                a.rollback();
            }
            // the control: the 10.11 default lets the same stale write through
            try (Connection a = begin(pool, Connection.TRANSACTION_REPEATABLE_READ)) {
                execute(a, "SET SESSION innodb_snapshot_isolation = OFF");
                assertThat(sum(a, t)).isEqualTo(1);
                db.execute("UPDATE " + t + " SET v = v + 1 WHERE id = 1");
                update(a, t, 1);
                a.commit();
            }
        }
    }

    /*
     * H2 as it behaves: its SERIALIZABLE does not detect write skew (both commit), and it reports
     * a write to a row changed since the snapshot as a "deadlock" (40001, DEADLOCK_1).
     */
    @DatabaseTest(DbKind.H2)
    void h2SerializableMissesWriteSkewAndReportsAStaleWriteAsADeadlock(TestDatabase db) throws Exception {
        String t = twoRows(db);
        try (Connection a = begin(db.dataSource(), Connection.TRANSACTION_SERIALIZABLE);
             Connection b = begin(db.dataSource(), Connection.TRANSACTION_SERIALIZABLE)) {
            assertThat(sum(a, t)).isZero();
            assertThat(sum(b, t)).isZero();
            update(a, t, 1);
            update(b, t, 2);
            a.commit();
            b.commit();
        }
        assertThat(db.queryLong("SELECT SUM(v) FROM " + t)).as("write skew went through").isEqualTo(2);

        try (Connection a = begin(db.dataSource(), Connection.TRANSACTION_SERIALIZABLE)) {
            assertThat(sum(a, t)).isEqualTo(2);
            db.execute("UPDATE " + t + " SET v = v + 1 WHERE id = 1");

            SQLException e = expectSqlException(() -> update(a, t, 1));
            assertTranslated(db, e, DeadlockException.class, "40001", 40001, true);
            a.rollback();
        }
    }

    // ---- lock not available / lock wait timeout -------------------------------------------

    /*
     * MariaDB (1205) and H2 (50200) report NOWAIT with their lock-timeout code, so only PostgreSQL
     * can say "not available" rather than "timed out"; both are LockNotAvailableExceptions.
     */
    @DatabaseTest
    void nowaitOnAHeldRowIsRefusedAtOnce(TestDatabase db) throws Exception {
        String t = twoRows(db);
        try (HeldLock held = db.holdLock("SELECT id FROM " + t + " WHERE id = 1 FOR UPDATE");
             Connection c = begin(db.dataSource())) {
            SQLException e = expectSqlException(() -> query(c, "SELECT id FROM " + t + " WHERE id = 1 FOR UPDATE NOWAIT"));
            RuntimeException translated;
            switch (db.product()) {
                case POSTGRESQL:
                    translated = assertTranslated(db, e, LockNotAvailableException.class, "55P03", 0, true);
                    break;
                case MARIADB:
                    translated = assertTranslated(db, e, LockWaitTimeoutException.class, "HY000", 1205, true);
                    break;
                default:
                    translated = assertTranslated(db, e, LockWaitTimeoutException.class, "HYT00", 50200, true);
                    break;
            }
            assertThat(translated).isInstanceOf(LockNotAvailableException.class);
            c.rollback();
        }
    }

    @DatabaseTest
    void aLockWaitRunsOutOfTime(TestDatabase db) throws Exception {
        String t = twoRows(db);
        try (HikariDataSource pool = db.server().newPool(2);
             HeldLock held = db.holdLock("SELECT id FROM " + t + " WHERE id = 1 FOR UPDATE");
             Connection c = begin(pool)) {
            switch (db.product()) {
                case POSTGRESQL:
                    execute(c, "SET LOCAL lock_timeout = '200ms'");
                    assertTranslated(db, expectSqlException(() -> update(c, t, 1)),
                            LockWaitTimeoutException.class, "55P03", 0, true);
                    break;
                case MARIADB:
                    execute(c, "SET SESSION innodb_lock_wait_timeout = 1");
                    assertTranslated(db, expectSqlException(() -> update(c, t, 1)),
                            LockWaitTimeoutException.class, "HY000", 1205, true);
                    break;
                default:
                    execute(c, "SET LOCK_TIMEOUT 200");
                    assertTranslated(db, expectSqlException(() -> update(c, t, 1)),
                            LockWaitTimeoutException.class, "HYT00", 50200, true);
                    break;
            }
            c.rollback();
        }
    }

    // ---- duplicate keys -------------------------------------------------------------------

    @DatabaseTest
    void aDuplicateInsertNamesTheViolatedConstraint(TestDatabase db) throws Exception {
        String uq = db.uniqueName("uq_name");
        String t = db.table("dup", "id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, CONSTRAINT " + uq
                + " UNIQUE (name)");
        db.execute("INSERT INTO " + t + " (id, name) VALUES (1, 'a')");
        try (Connection c = db.dataSource().getConnection()) {
            SQLException byName = expectSqlException(() -> insert(c, t, 2, "a"));
            SQLException byKey = expectSqlException(() -> insert(c, t, 1, "b"));
            DuplicateKeyException name;
            DuplicateKeyException key;
            switch (db.product()) {
                case POSTGRESQL:
                    name = assertTranslated(db, byName, DuplicateKeyException.class, "23505", 0, false);
                    key = assertTranslated(db, byKey, DuplicateKeyException.class, "23505", 0, false);
                    assertThat(key.constraint()).isEqualTo(t + "_pkey");
                    break;
                case MARIADB:
                    name = assertTranslated(db, byName, DuplicateKeyException.class, "23000", 1062, false);
                    key = assertTranslated(db, byKey, DuplicateKeyException.class, "23000", 1062, false);
                    assertThat(key.constraint()).isEqualTo("PRIMARY");
                    break;
                default:
                    name = assertTranslated(db, byName, DuplicateKeyException.class, "23505", 23505, false);
                    key = assertTranslated(db, byKey, DuplicateKeyException.class, "23505", 23505, false);
                    assertThat(key.constraint()).as("H2 does not name a primary key").isNull();
                    break;
            }
            // H2 upper-cases unquoted names; the others keep them as written
            assertThat(name.constraint()).isEqualToIgnoringCase(uq);
        }
    }

    /* MariaDB and H2 have no deferrable constraints: only PostgreSQL checks a unique key at COMMIT. */
    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES})
    void aDeferredUniqueViolationSurfacesAtCommit(TestDatabase db) throws Exception {
        String uq = db.uniqueName("uq_deferred");
        String t = db.table("deferred", "id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, CONSTRAINT " + uq
                + " UNIQUE (name) DEFERRABLE INITIALLY DEFERRED");
        try (Connection c = begin(db.dataSource())) {
            insert(c, t, 1, "a");
            insert(c, t, 2, "a");
            SQLException e = expectSqlException(c::commit);
            RuntimeException translated = db.latchkey().errors().translate(e, true);
            DuplicateKeyException dup = assertExactly(translated, DuplicateKeyException.class, "23505", 0, false);
            assertThat(dup.constraint()).isEqualTo(uq);
            c.rollback();
        }
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + t)).isZero();
    }

    // ---- cancelled statements -------------------------------------------------------------

    @DatabaseTest
    void statementCancelStopsARunningStatement(TestDatabase db) throws Exception {
        String t = twoRows(db);
        try (HeldLock held = db.holdLock("SELECT id FROM " + t + " WHERE id = 1 FOR UPDATE");
             Connection c = begin(db.dataSource());
             Statement s = c.createStatement()) {
            Future<SQLException> waiting = inBackground(null, () -> s.execute(longStatement(db, t)));
            awaitBlocked(waiting);
            // a cancel that arrives before the statement reaches the server does nothing: repeat it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (!waiting.isDone() && System.nanoTime() < deadline) {
                s.cancel();
                Thread.sleep(100);
            }
            SQLException e = waiting.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat((Throwable) e).as("the cancelled statement failed").isNotNull();
            switch (db.product()) {
                case POSTGRESQL:
                    assertTranslated(db, e, QueryCancelledException.class, "57014", 0, false);
                    break;
                case MARIADB:
                    assertTranslated(db, e, QueryCancelledException.class, "70100", 1317, false);
                    break;
                default:
                    assertTranslated(db, e, QueryCancelledException.class, "57014", 57014, false);
                    break;
            }
            c.rollback();
        }
    }

    @DatabaseTest
    void aQueryTimeoutStopsARunningStatement(TestDatabase db) throws Exception {
        String t = twoRows(db);
        try (HeldLock held = db.holdLock("SELECT id FROM " + t + " WHERE id = 1 FOR UPDATE");
             Connection c = begin(db.dataSource());
             Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            SQLException e = expectSqlException(() -> s.execute(longStatement(db, t)));
            switch (db.product()) {
                case POSTGRESQL:
                    // pgjdbc implements the timeout with a cancel request
                    assertTranslated(db, e, QueryCancelledException.class, "57014", 0, false);
                    break;
                case MARIADB:
                    // MariaDB Connector/J sends SET STATEMENT max_statement_time=1 FOR ...
                    assertTranslated(db, e, QueryCancelledException.class, "70100", 1969, false);
                    break;
                default:
                    assertTranslated(db, e, QueryCancelledException.class, "57014", 57014, false);
                    break;
            }
            c.rollback();
        }
    }

    @DatabaseTest
    void aServerSideStatementTimeoutStopsARunningStatement(TestDatabase db) throws Exception {
        String t = twoRows(db);
        try (HikariDataSource pool = db.server().newPool(2);
             HeldLock held = db.holdLock("SELECT id FROM " + t + " WHERE id = 1 FOR UPDATE");
             Connection c = begin(pool)) {
            switch (db.product()) {
                case POSTGRESQL:
                    execute(c, "SET LOCAL statement_timeout = '200ms'");
                    assertTranslated(db, expectSqlException(() -> update(c, t, 1)),
                            QueryCancelledException.class, "57014", 0, false);
                    break;
                case MARIADB:
                    assertTranslated(db, expectSqlException(() -> execute(c,
                                    "SET STATEMENT max_statement_time = 0.2 FOR UPDATE " + t + " SET v = 1 WHERE id = 1")),
                            QueryCancelledException.class, "70100", 1969, false);
                    break;
                default:
                    execute(c, "SET QUERY_TIMEOUT 200");
                    assertTranslated(db, expectSqlException(() -> execute(c, longStatement(db, t))),
                            QueryCancelledException.class, "57014", 57014, false);
                    break;
            }
            c.rollback();
        }
    }

    // ---- connection failures --------------------------------------------------------------

    /*
     * Not H2: ABORT_SESSION first cancels the running statement and then closes the session, so
     * the statement fails either as cancelled (57014) or as closed (90098), whichever it notices
     * first. H2's killed session is provoked deterministically by the two tests below.
     */
    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES, DbKind.MARIADB})
    void killingTheSessionOfAConnectionInUseIsAConnectionFailure(TestDatabase db) throws Exception {
        String t = twoRows(db);
        try (HikariDataSource pool = db.server().newPool(2);
             HeldLock held = db.holdLock("SELECT id FROM " + t + " WHERE id = 1 FOR UPDATE");
             Connection c = begin(pool)) {
            long session = db.sessionId(c);
            Future<SQLException> waiting = inBackground(null, () -> execute(c, longStatement(db, t)));
            awaitBlocked(waiting);
            db.killSession(session);

            SQLException e = waiting.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat((Throwable) e).as("the killed statement failed").isNotNull();
            switch (db.product()) {
                case POSTGRESQL:
                    assertTranslated(db, e, ConnectionFailureException.class, "57P01", 0, true);
                    break;
                default:
                    // the server closes the socket; Connector/J reports the broken stream
                    assertTranslated(db, e, ConnectionFailureException.class, "08000", -1, true);
                    break;
            }
        }
    }

    @DatabaseTest
    void anIdleConnectionWhoseSessionWasKilledFailsOnItsNextStatement(TestDatabase db) throws Exception {
        try (HikariDataSource pool = db.server().newPool(2); Connection c = begin(pool)) {
            db.killSession(db.sessionId(c));

            SQLException e = expectSqlException(() -> query(c, "SELECT 1"));
            switch (db.product()) {
                case POSTGRESQL:
                    assertTranslated(db, e, ConnectionFailureException.class, "57P01", 0, true);
                    break;
                case MARIADB:
                    assertTranslated(db, e, ConnectionFailureException.class, "08000", -1, true);
                    break;
                default:
                    assertTranslated(db, e, ConnectionFailureException.class, "90121", 90121, true);
                    break;
            }
        }
    }

    @DatabaseTest
    void killingTheSessionRightBeforeCommitLeavesTheOutcomeUnknown(TestDatabase db) throws Exception {
        String t = twoRows(db);
        try (HikariDataSource pool = db.server().newPool(2); Connection c = begin(pool)) {
            update(c, t, 1);
            db.killSession(db.sessionId(c));

            SQLException e = expectSqlException(c::commit);
            RuntimeException translated = db.latchkey().errors().translate(e, true);
            switch (db.product()) {
                case POSTGRESQL:
                    assertExactly(translated, CommitOutcomeUnknownException.class, "57P01", 0, false);
                    break;
                case MARIADB:
                    assertExactly(translated, CommitOutcomeUnknownException.class, "08000", -1, false);
                    break;
                default:
                    assertExactly(translated, CommitOutcomeUnknownException.class, "90121", 90121, false);
                    break;
            }
            // outside COMMIT the same failure is an ordinary (retryable) connection failure
            assertThat(db.latchkey().errors().translate(e)).isExactlyInstanceOf(ConnectionFailureException.class);
        }
        // from here we can look: the killed transaction did not commit
        assertThat(db.queryLong("SELECT SUM(v) FROM " + t)).isZero();
    }

    // ---- helpers --------------------------------------------------------------------------

    /**
     * A statement that runs until it is stopped: an update of the row the test holds locked, or on
     * H2, which does not look at a cancel or a kill while it waits for a row lock (only its
     * LOCK_TIMEOUT ends that wait), a computation over ten billion rows.
     */
    private static String longStatement(TestDatabase db, String t) {
        return db.kind() == DbKind.H2
                ? "SELECT SUM(a.X * b.X) FROM SYSTEM_RANGE(1, 100000) a, SYSTEM_RANGE(1, 100000) b"
                : "UPDATE " + t + " SET v = 1 WHERE id = 1";
    }

    private static String twoRows(TestDatabase db) {
        String t = db.table("rows", "id BIGINT PRIMARY KEY, v INT NOT NULL");
        db.execute("INSERT INTO " + t + " (id, v) VALUES (1, 0), (2, 0)");
        return t;
    }

    private static Connection begin(DataSource ds) throws SQLException {
        Connection c = ds.getConnection();
        c.setAutoCommit(false);
        return c;
    }

    private static Connection begin(DataSource ds, int isolation) throws SQLException {
        Connection c = ds.getConnection();
        c.setTransactionIsolation(isolation);
        c.setAutoCommit(false);
        return c;
    }

    private static void update(Connection c, String t, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t + " SET v = v + 1 WHERE id = ?")) {
            ps.setLong(1, id);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private static void insert(Connection c, String t, long id, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + " (id, name) VALUES (?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, name);
            ps.executeUpdate();
        }
    }

    private static long sum(Connection c, String t) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT SUM(v) FROM " + t)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static void query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                // read every row
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static SQLException expectSqlException(SqlRun run) {
        try {
            run.run();
        } catch (SQLException e) {
            return e;
        }
        return fail("expected an SQLException");
    }

    /**
     * Runs statements in the background; the future holds the SQLException they raised (after
     * rolling back {@code rollbackOnFailure}, so that its locks go), or {@code null}.
     */
    private Future<SQLException> inBackground(Connection rollbackOnFailure, SqlRun run) {
        return background.submit(() -> {
            try {
                run.run();
                return null;
            } catch (SQLException e) {
                if (rollbackOnFailure != null) {
                    try {
                        rollbackOnFailure.rollback();
                    } catch (SQLException rollbackFailure) {
                        e.addSuppressed(rollbackFailure);
                    }
                }
                return e;
            }
        });
    }

    /** Gives the background statement time to reach the server and start waiting (or computing). */
    private static void awaitBlocked(Future<?> waiting) throws InterruptedException {
        Thread.sleep(300);
        assertThat(waiting.isDone()).as("the statement should still be running").isFalse();
    }

    private static SQLException exactlyOneFailed(Future<SQLException> a, Future<SQLException> b) throws Exception {
        SQLException ea = a.get(WAIT_SECONDS, TimeUnit.SECONDS);
        SQLException eb = b.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(ea == null ^ eb == null).as("exactly one of the two is the victim: %s / %s", ea, eb).isTrue();
        return ea != null ? ea : eb;
    }

    private static <E extends ConcurrencyException> E assertTranslated(TestDatabase db, SQLException e, Class<E> type,
                                                                       String sqlState, int vendorCode,
                                                                       boolean transientFailure) {
        return assertExactly(db.latchkey().errors().translate(e), type, sqlState, vendorCode, transientFailure);
    }

    private static <E extends ConcurrencyException> E assertExactly(RuntimeException translated, Class<E> type,
                                                                    String sqlState, int vendorCode,
                                                                    boolean transientFailure) {
        assertThat(translated).isExactlyInstanceOf(type);
        E e = type.cast(translated);
        assertThat(e.sqlState()).as("SQLSTATE of %s", e.getCause()).isEqualTo(sqlState);
        assertThat(e.vendorCode()).as("vendor code of %s", e.getCause()).isEqualTo(vendorCode);
        assertThat(e.isTransient()).isEqualTo(transientFailure);
        assertThat(e.getCause()).isInstanceOf(SQLException.class);
        return e;
    }
}

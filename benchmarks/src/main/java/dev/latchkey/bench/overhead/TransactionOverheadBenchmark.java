package dev.latchkey.bench.overhead;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import dev.latchkey.bench.stub.Answer;
import dev.latchkey.bench.stub.StubDataSource;
import dev.latchkey.bench.stub.StubProduct;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latchkey's own cost for the transaction runner, on the stub driver (no I/O): one transaction
 * of one {@code UPDATE} through {@code transactions().run(..)} with no retry, against the same
 * transaction written by hand (auto-commit off, the update, commit, auto-commit back on) on the
 * same stub connection. Setup checks that both sides do the same.
 *
 * <p>Baseline: {@link #handWritten()}. Figure: {@code latchkey - handWritten} in ns/op and B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
public class TransactionOverheadBenchmark {
    private static final int ROWS = 1024;
    static final String UPDATE = "UPDATE product SET stock = stock + 1 WHERE id = ?";
    private static final Answer ONE = Answer.updated(1);

    /** The database the stub claims to be: {@code postgresql} or {@code mariadb}. */
    @Param({"postgresql"})
    public String product;

    private StubDataSource dataSource;
    private Transactions transactions;
    private int next;

    /** Opens the stub and checks that both sides do the same. */
    @Setup(Level.Trial)
    public void setUp() {
        dataSource = new StubDataSource(StubProduct.named(product), (sql, params) -> {
            if (sql.equals(UPDATE)) {
                return ONE;
            }
            throw new IllegalStateException("unexpected statement: " + sql);
        });
        transactions = Latchkey.of(dataSource).transactions().withRetry(RetryPolicy.none());
        SameStatements.require("transaction", dataSource.connection(), this::latchkey, this::handWritten);
    }

    private long nextId() {
        next = next == ROWS ? 1 : next + 1;
        return next;
    }

    /**
     * One transaction through the runner, no retry.
     *
     * @return the update count
     */
    @Benchmark
    public int latchkey() {
        long id = nextId();
        return transactions.run(c -> update(c, id));
    }

    /**
     * The same transaction by hand.
     *
     * @return the update count
     * @throws SQLException never on the stub
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

    private static int update(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            ps.setLong(1, id);
            return ps.executeUpdate();
        }
    }
}

package dev.latchkey.bench.overhead;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.latchkey.bench.stub.Answer;
import dev.latchkey.bench.stub.StubDataSource;
import dev.latchkey.bench.stub.StubProduct;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.lock.AdvisoryLock;
import dev.latchkey.jdbc.lock.LockedRow;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latchkey's own cost for row and advisory locks, on the stub driver claiming to be PostgreSQL
 * (no I/O): each lock taken in a transaction on a connection held in manual-commit mode and
 * followed by the commit, a fresh builder per call, against the same statements hand-written
 * on the same stub connection, reading every column of every row as Latchkey does. Setup
 * checks that both sides send the same statements.
 *
 * <ul>
 *   <li>by key: {@code SELECT * FROM product WHERE id = ? FOR UPDATE};</li>
 *   <li>{@code NOWAIT}: the same with {@code NOWAIT};</li>
 *   <li>{@code SKIP LOCKED} claim of 10 queue rows;</li>
 *   <li>advisory lock: {@code SELECT pg_advisory_xact_lock(?)}, its key hashed from a name
 *       (the baseline binds the same key, computed once).</li>
 * </ul>
 *
 * <p>Baselines: the {@code ...HandWritten} methods. Figure: {@code latchkey - handWritten} in
 * ns/op and B/op per pair.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
public class LockOverheadBenchmark {
    private static final int ROWS = 1024;
    private static final int CLAIM = 10;
    static final String BY_KEY = "SELECT * FROM product WHERE id = ? FOR UPDATE";
    static final String NOWAIT = "SELECT * FROM product WHERE id = ? FOR UPDATE NOWAIT";
    static final String CLAIM_SQL = "SELECT * FROM job WHERE job_status = ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED";
    static final String ADVISORY = "SELECT pg_advisory_xact_lock(?)";
    private static final String LOCK_NAME = "nightly-report";

    private static final Answer PRODUCT_ROW = Answer.rows(List.of("id", "stock", "version"),
            new Object[] {Answer.param(1), 100L, 3L});
    private static final Answer JOB_ROWS = jobs();
    private static final Answer ADVISORY_ROW = Answer.rows(List.of("pg_advisory_xact_lock"), new Object[] {""});

    private StubDataSource dataSource;
    private Latchkey latchkey;
    private Connection tx;
    private long advisoryKey;
    private int next;

    private static Answer jobs() {
        Object[][] rows = new Object[CLAIM][];
        for (int i = 0; i < CLAIM; i++) {
            rows[i] = new Object[] {(long) i + 1, "ready", "job " + (i + 1)};
        }
        return Answer.rows(List.of("id", "job_status", "payload"), rows);
    }

    /** Opens the stub, starts the transaction and checks that each pair sends the same statements. */
    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        dataSource = new StubDataSource(StubProduct.POSTGRESQL, (sql, params) -> {
            if (sql.startsWith("SELECT * FROM product")) {
                return PRODUCT_ROW;
            }
            if (sql.startsWith("SELECT * FROM job")) {
                return JOB_ROWS;
            }
            if (sql.startsWith("SELECT pg_advisory_xact_lock")) {
                return ADVISORY_ROW;
            }
            throw new IllegalStateException("unexpected statement: " + sql);
        });
        latchkey = Latchkey.of(dataSource);
        advisoryKey = AdvisoryLock.postgresKey(LOCK_NAME);
        tx = dataSource.getConnection();
        tx.setAutoCommit(false);
        var c = dataSource.connection();
        SameStatements.require("lock by key", c, this::byKeyLatchkey, this::byKeyHandWritten);
        SameStatements.require("NOWAIT", c, this::nowaitLatchkey, this::nowaitHandWritten);
        SameStatements.require("SKIP LOCKED claim", c, this::skipLockedClaimLatchkey, this::skipLockedClaimHandWritten);
        SameStatements.require("advisory lock", c, this::advisoryLockLatchkey, this::advisoryLockHandWritten);
    }

    private long nextId() {
        next = next == ROWS ? 1 : next + 1;
        return next;
    }

    /**
     * Lock one row by key through Latchkey, then commit.
     *
     * @return the locked row
     * @throws SQLException never on the stub
     */
    @Benchmark
    public Optional<LockedRow> byKeyLatchkey() throws SQLException {
        Optional<LockedRow> row = latchkey.lock("product").forUpdate().key(nextId()).fetchOne(tx);
        tx.commit();
        return row;
    }

    /**
     * Lock one row by key, hand-written, then commit.
     *
     * @return the row's columns
     * @throws SQLException never on the stub
     */
    @Benchmark
    public List<Object[]> byKeyHandWritten() throws SQLException {
        List<Object[]> rows = query(BY_KEY, nextId());
        tx.commit();
        return rows;
    }

    /**
     * {@code NOWAIT} through Latchkey, then commit.
     *
     * @return the locked row
     * @throws SQLException never on the stub
     */
    @Benchmark
    public Optional<LockedRow> nowaitLatchkey() throws SQLException {
        Optional<LockedRow> row = latchkey.lock("product").nowait().key(nextId()).fetchOne(tx);
        tx.commit();
        return row;
    }

    /**
     * {@code NOWAIT}, hand-written, then commit.
     *
     * @return the row's columns
     * @throws SQLException never on the stub
     */
    @Benchmark
    public List<Object[]> nowaitHandWritten() throws SQLException {
        List<Object[]> rows = query(NOWAIT, nextId());
        tx.commit();
        return rows;
    }

    /**
     * Claim 10 queue rows with {@code SKIP LOCKED} through Latchkey, then commit.
     *
     * @return the claimed rows
     * @throws SQLException never on the stub
     */
    @Benchmark
    public List<LockedRow> skipLockedClaimLatchkey() throws SQLException {
        List<LockedRow> rows = latchkey.lock("job").where("job_status", "ready").claim(CLAIM).fetch(tx);
        tx.commit();
        return rows;
    }

    /**
     * Claim 10 queue rows with {@code SKIP LOCKED}, hand-written, then commit.
     *
     * @return the rows' columns
     * @throws SQLException never on the stub
     */
    @Benchmark
    public List<Object[]> skipLockedClaimHandWritten() throws SQLException {
        List<Object[]> rows = query(CLAIM_SQL, "ready", CLAIM);
        tx.commit();
        return rows;
    }

    /**
     * A transaction-scoped advisory lock through Latchkey, then commit.
     *
     * @throws SQLException never on the stub
     */
    @Benchmark
    public void advisoryLockLatchkey() throws SQLException {
        latchkey.advisoryLock(LOCK_NAME).lock(tx);
        tx.commit();
    }

    /**
     * A transaction-scoped advisory lock, hand-written, then commit.
     *
     * @throws SQLException never on the stub
     */
    @Benchmark
    public void advisoryLockHandWritten() throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(ADVISORY)) {
            ps.setLong(1, advisoryKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                rs.getObject(1);
            }
        }
        tx.commit();
    }

    private List<Object[]> query(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                List<Object[]> rows = new ArrayList<>();
                while (rs.next()) {
                    Object[] row = new Object[columns];
                    for (int c = 0; c < columns; c++) {
                        row[c] = rs.getObject(c + 1);
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }
}

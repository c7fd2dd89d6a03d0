package dev.latchkey.bench.contention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import dev.latchkey.jdbc.update.UpdateResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every thread writes the same row: throughput and retries at 1, 2, 4, 8 and 16 threads (the
 * nested classes {@code T01} to {@code T16}) for three ways to take one unit of stock:
 * <ul>
 *   <li>atomic update: {@code UPDATE .. SET stock = stock - 1 WHERE id = 1 AND stock >= 1}, one
 *       statement, never retried;</li>
 *   <li>optimistic read-modify-write: read stock and version, write back with
 *       {@code WHERE version = ?}, and on a stale version read again, at once;</li>
 *   <li>pessimistic: in a transaction, {@code SELECT id, stock .. FOR UPDATE}, then
 *       {@code UPDATE .. SET stock = ?}, commit.</li>
 * </ul>
 * Each as a pair: through Latchkey, and the same SQL hand-written (the baseline, same pool).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class HotRowContentionBenchmark {

    /**
     * Atomic update through {@code latchkey.update(..).require(..).execute()}.
     *
     * @param row the hot row
     * @param retries unused: an atomic update never retries (kept so every pair reports the column)
     * @return the outcome
     */
    @Benchmark
    public UpdateResult atomicLatchkey(HotRow row, Retries retries) {
        return row.decrement.execute();
    }

    /**
     * Atomic update, hand-written.
     *
     * @param row the hot row
     * @param retries unused: an atomic update never retries (kept so every pair reports the column)
     * @return the update count
     * @throws SQLException on a database error
     */
    @Benchmark
    public int atomicHandWritten(HotRow row, Retries retries) throws SQLException {
        try (Connection c = row.database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE " + row.table
                     + " SET stock = stock - ? WHERE id = ? AND stock >= ?")) {
            ps.setLong(1, 1);
            ps.setLong(2, 1);
            ps.setLong(3, 1);
            return ps.executeUpdate();
        }
    }

    /**
     * Optimistic read-modify-write with immediate retry through
     * {@code latchkey.update(..).modify(..).execute()}.
     *
     * @param writer this thread's read-modify-write; counts the stale-version retries
     * @return the outcome
     */
    @Benchmark
    public UpdateResult optimisticLatchkey(OptimisticWriter writer) {
        return writer.takeOne().execute();
    }

    /**
     * Optimistic read-modify-write with immediate retry, hand-written.
     *
     * @param row the hot row
     * @param retries counts the stale-version retries
     * @return the stock written
     * @throws SQLException on a database error
     */
    @Benchmark
    public long optimisticHandWritten(HotRow row, Retries retries) throws SQLException {
        String read = "SELECT stock, version FROM " + row.table + " WHERE id = ?";
        String write = "UPDATE " + row.table + " SET stock = ?, version = version + 1 WHERE id = ? AND version = ?";
        try (Connection c = row.database.dataSource().getConnection()) {
            while (true) {
                long stock;
                long version;
                try (PreparedStatement ps = c.prepareStatement(read)) {
                    ps.setLong(1, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        stock = rs.getLong(1);
                        version = rs.getLong(2);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(write)) {
                    ps.setLong(1, stock - 1);
                    ps.setLong(2, 1);
                    ps.setLong(3, version);
                    if (ps.executeUpdate() == 1) {
                        return stock - 1;
                    }
                }
                retries.retries++;
            }
        }
    }

    /**
     * Pessimistic lock-then-update in a transaction of Latchkey's runner, with Latchkey's row
     * lock and update builders.
     *
     * @param writer this thread's runner; counts the transaction retries
     * @return the stock written
     */
    @Benchmark
    public long pessimisticLatchkey(PessimisticWriter writer) {
        return writer.takeOne();
    }

    /**
     * Pessimistic lock-then-update in a transaction, hand-written (no retry: one row cannot
     * deadlock).
     *
     * @param row the hot row
     * @param retries unused: kept so every pair reports the column
     * @return the stock written
     * @throws SQLException on a database error
     */
    @Benchmark
    public long pessimisticHandWritten(HotRow row, Retries retries) throws SQLException {
        try (Connection c = row.database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                long stock;
                try (PreparedStatement ps = c.prepareStatement("SELECT id, stock FROM " + row.table
                        + " WHERE id = ? FOR UPDATE")) {
                    ps.setLong(1, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        stock = rs.getLong(2);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + row.table + " SET stock = ? WHERE id = ?")) {
                    ps.setLong(1, stock - 1);
                    ps.setLong(2, 1);
                    ps.executeUpdate();
                }
                c.commit();
                return stock - 1;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** One thread. */
    @Threads(1)
    public static class T01 extends HotRowContentionBenchmark {
    }

    /** Two threads. */
    @Threads(2)
    public static class T02 extends HotRowContentionBenchmark {
    }

    /** Four threads. */
    @Threads(4)
    public static class T04 extends HotRowContentionBenchmark {
    }

    /** Eight threads. */
    @Threads(8)
    public static class T08 extends HotRowContentionBenchmark {
    }

    /** Sixteen threads. */
    @Threads(16)
    public static class T16 extends HotRowContentionBenchmark {
    }
}

package dev.latchkey.bench.contention;

import java.util.Map;

import dev.latchkey.jdbc.update.ReadModifyWrite;
import dev.latchkey.retry.RetryPolicy;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One thread's Latchkey read-modify-write of the hot row: read stock and version, write
 * {@code stock - 1} at that version, and on a stale version read again at once (no backoff, as
 * the hand-written loop). Its retry policy's listener counts the retries, reported like
 * {@link Retries}. Thread-confined: plain fields.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class OptimisticWriter {
    /** Attempts that met a stale version and ran again. */
    public long retries;

    private ReadModifyWrite takeOne;

    /**
     * Builds the thread's read-modify-write.
     *
     * @param row the hot row
     */
    @Setup(Level.Trial)
    public void setUp(HotRow row) {
        RetryPolicy immediate = RetryPolicy.builder().noBackoff().maxAttempts(1_000_000)
                .onRetry(event -> retries++)
                .build();
        takeOne = row.latchkey.update(row.table).whereId(1L)
                .modify(current -> Map.of("stock", current.getLong("stock") - 1))
                .reading("stock")
                .withRetry(immediate);
    }

    /** JMH reads the counters per iteration: they start at zero each time. */
    @Setup(Level.Iteration)
    public void reset() {
        retries = 0;
    }

    ReadModifyWrite takeOne() {
        return takeOne;
    }
}

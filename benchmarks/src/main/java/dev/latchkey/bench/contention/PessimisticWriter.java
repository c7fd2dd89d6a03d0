package dev.latchkey.bench.contention;

import java.time.Duration;

import dev.latchkey.jdbc.Transactions;
import dev.latchkey.jdbc.lock.RowLockQuery;
import dev.latchkey.jdbc.update.Update;
import dev.latchkey.retry.RetryPolicy;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One thread's Latchkey lock-then-update of the hot row: in a transaction of the runner,
 * {@code latchkey.lock(t).columns("stock").key(1)} ({@code SELECT id, stock .. FOR UPDATE}),
 * then {@code latchkey.update(t).set("stock", stock - 1)}. The runner's retry policy (for
 * deadlocks and lock timeouts, which one row should never cause) counts its retries, reported
 * like {@link Retries}. Thread-confined: plain fields.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class PessimisticWriter {
    /** Transactions re-run after a transient failure. */
    public long retries;

    private Transactions transactions;
    private RowLockQuery lock;
    private Update update;

    /**
     * Builds the thread's runner and statements.
     *
     * @param row the hot row
     */
    @Setup(Level.Trial)
    public void setUp(HotRow row) {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(100)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(50), 2.0)
                .onRetry(event -> retries++)
                .build();
        transactions = row.latchkey.transactions().withRetry(policy);
        lock = row.latchkey.lock(row.table).columns("stock").key(1L);
        update = row.latchkey.update(row.table).whereId(1L);
    }

    /** JMH reads the counters per iteration: they start at zero each time. */
    @Setup(Level.Iteration)
    public void reset() {
        retries = 0;
    }

    long takeOne() {
        return transactions.run(tx -> {
            long stock = lock.fetchOne(tx).orElseThrow().getLong("stock");
            update.set("stock", stock - 1).execute(tx);
            return stock - 1;
        });
    }
}

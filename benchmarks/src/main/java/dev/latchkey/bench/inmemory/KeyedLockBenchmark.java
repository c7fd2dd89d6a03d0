package dev.latchkey.bench.inmemory;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.latchkey.lock.KeyedLocks;
import dev.latchkey.lock.LockedKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lock and unlock one key, uncontended: Latchkey's {@link KeyedLocks} (reference-counted: a
 * key's lock exists only while it is held, so memory is bounded by keys in use) against two
 * baselines: one {@link ReentrantLock} (the floor: what a lock costs at all) and the usual
 * hand-rolled keyed lock, {@code ConcurrentHashMap.computeIfAbsent(key, k -> new ReentrantLock())},
 * which keeps one lock per key ever seen. Keys cycle over 1024. Run with {@code -prof gc} for
 * the allocation per operation.
 *
 * <p>Baselines: {@link #reentrantLock()}, {@link #concurrentHashMapOfReentrantLocks()}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KeyedLockBenchmark {
    private static final int KEYS = 1024;

    private final Long[] keys = new Long[KEYS];
    private final KeyedLocks<Long> keyedLocks = KeyedLocks.create();
    private final ReentrantLock single = new ReentrantLock();
    private final ConcurrentHashMap<Long, ReentrantLock> lockPerKey = new ConcurrentHashMap<>();

    /** Boxes the keys once, so no side pays for boxing. */
    @Setup(Level.Trial)
    public void setUp() {
        for (int i = 0; i < KEYS; i++) {
            keys[i] = (long) i;
        }
    }

    /** Each benchmark thread's position in the keys; thread-confined. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        int advance() {
            next = (next + 1) & (KEYS - 1);
            return next;
        }
    }

    /**
     * Latchkey's keyed locks.
     *
     * @param cursor the thread's key position
     * @return the key that was held
     * @throws InterruptedException never: uncontended
     */
    @Benchmark
    public Long keyedLocks(Cursor cursor) throws InterruptedException {
        Long key = keys[cursor.advance()];
        try (LockedKeys<Long> held = keyedLocks.lock(key)) {
            return held.keys().get(0);
        }
    }

    /**
     * One {@link ReentrantLock}, whatever the key.
     *
     * @param cursor the thread's key position
     * @return the key
     */
    @Benchmark
    public Long reentrantLock(Cursor cursor) {
        Long key = keys[cursor.advance()];
        single.lock();
        try {
            return key;
        } finally {
            single.unlock();
        }
    }

    /**
     * A {@link ReentrantLock} per key in a map that only grows.
     *
     * @param cursor the thread's key position
     * @return the key
     */
    @Benchmark
    public Long concurrentHashMapOfReentrantLocks(Cursor cursor) {
        Long key = keys[cursor.advance()];
        ReentrantLock lock = lockPerKey.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            return key;
        } finally {
            lock.unlock();
        }
    }
}

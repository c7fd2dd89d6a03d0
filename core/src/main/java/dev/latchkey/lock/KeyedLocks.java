// Over 400 lines on purpose: the lock table, its per-key Entry and its Builder share the
// reference-counting invariant and change together; over a third is Javadoc.
package dev.latchkey.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.jetbrains.annotations.NotNull;

/**
 * Per-key mutual exclusion within one JVM: at most one thread at a time holds the lock of a
 * given key, while threads working on different keys never wait for each other.
 *
 * <p><b>Memory.</b> A key has a lock object only while some thread holds or waits for it: each
 * lock is reference-counted and removed from the internal map when its last holder or waiter
 * leaves. Memory is therefore bounded by the number of keys in use at the same time, never by
 * the number of keys ever seen ({@link #activeKeys()} reports the current count).
 *
 * <p><b>Ordered multi-key locking.</b> {@link #lockAll(Collection)} and
 * {@link #tryLockAll(Collection, Duration)} take the keys in the one order given by this
 * instance's comparator (duplicates removed), so two threads locking overlapping sets of keys,
 * each in one call, cannot deadlock. The comparator must be consistent with {@code equals}; two
 * distinct keys that compare as equal are refused with {@link IllegalArgumentException}, since
 * their order would be ambiguous. A thread that already holds keys and then locks more in a
 * second call is outside this guarantee.
 *
 * <p><b>Threads.</b> Locks are {@link ReentrantLock}s: a thread may lock a key it already holds
 * (each acquisition is released by its own handle), and a {@link LockedKeys} handle must be
 * closed by the thread that acquired it. Waiting never happens inside a {@code synchronized}
 * block, so virtual threads waiting for a key do not pin their carrier. Blocking acquisitions
 * are interruptible.
 *
 * <p><b>Time.</b> A multi-key timeout is one deadline for the whole set, computed from the
 * injected nanosecond clock ({@link Builder#nanoClock(LongSupplier)}); the single-key wait
 * itself is timed by {@link ReentrantLock#tryLock(long, TimeUnit)}.
 *
 * <p>Instances are thread-safe; share one per kind of key (e.g. one for account ids).
 *
 * @param <K> the key type; keys must be immutable with consistent {@code equals} and
 *        {@code hashCode}
 */
public final class KeyedLocks<K> {
    /** Key to its lock; an entry is present exactly while its {@code users} count is positive. */
    private final ConcurrentHashMap<K, Entry> entries = new ConcurrentHashMap<>();
    private final Comparator<? super K> order;
    private final boolean fair;
    private final LongSupplier nanoClock;

    private KeyedLocks(Builder<K> b) {
        this.order = b.order;
        this.fair = b.fair;
        this.nanoClock = b.nanoClock;
    }

    /**
     * Keyed locks over naturally ordered keys (strings, numbers, UUIDs...), non-fair, on the
     * system clock.
     *
     * @param <K> the key type
     * @return new keyed locks
     */
    public static <K extends Comparable<? super K>> @NotNull KeyedLocks<K> create() {
        return KeyedLocks.<K>builder(Comparator.naturalOrder()).build();
    }

    /**
     * Keyed locks whose multi-key acquisitions follow the given order, non-fair, on the system
     * clock.
     *
     * @param order the lock order; must be consistent with {@code equals}
     * @param <K> the key type
     * @return new keyed locks
     */
    public static <K> @NotNull KeyedLocks<K> create(@NotNull Comparator<? super K> order) {
        return KeyedLocks.<K>builder(order).build();
    }

    /**
     * A builder for keyed locks with the given lock order.
     *
     * @param order the lock order; must be consistent with {@code equals}
     * @param <K> the key type
     * @return a new builder
     */
    public static <K> @NotNull Builder<K> builder(@NotNull Comparator<? super K> order) {
        return new Builder<>(Objects.requireNonNull(order, "order"));
    }

    /**
     * Locks one key, waiting as long as it takes.
     *
     * @param key the key
     * @return the handle; close it (on this thread) to unlock
     * @throws InterruptedException if the thread is interrupted while waiting; nothing is held then
     * @throws NullPointerException if the key is {@code null}
     */
    public @NotNull LockedKeys<K> lock(@NotNull K key) throws InterruptedException {
        Objects.requireNonNull(key, "key");
        return new LockedKeys<>(this, List.of(key), List.of(acquire(key)));
    }

    /**
     * Locks one key if no other thread holds it, without waiting.
     *
     * @param key the key
     * @return the handle, or empty when another thread holds the key
     * @throws NullPointerException if the key is {@code null}
     */
    public @NotNull Optional<LockedKeys<K>> tryLock(@NotNull K key) {
        Objects.requireNonNull(key, "key");
        Entry e = retain(key);
        if (e.lock.tryLock()) {
            return Optional.of(new LockedKeys<>(this, List.of(key), List.of(e)));
        }
        release(key, e);
        return Optional.empty();
    }

    /**
     * Locks one key, waiting at most the given time.
     *
     * @param key the key
     * @param timeout how long to wait; zero means do not wait
     * @return the handle, or empty when the time ran out
     * @throws InterruptedException if the thread is interrupted while waiting; nothing is held then
     * @throws IllegalArgumentException if the timeout is negative
     * @throws NullPointerException if an argument is {@code null}
     */
    public @NotNull Optional<LockedKeys<K>> tryLock(@NotNull K key, @NotNull Duration timeout)
            throws InterruptedException {
        Objects.requireNonNull(key, "key");
        long nanos = timeoutNanos(timeout);
        Entry e = retain(key);
        boolean locked = false;
        try {
            locked = nanos == 0 ? e.lock.tryLock() : e.lock.tryLock(nanos, TimeUnit.NANOSECONDS);
        } finally {
            if (!locked) {
                release(key, e);
            }
        }
        return locked ? Optional.of(new LockedKeys<>(this, List.of(key), List.of(e))) : Optional.empty();
    }

    /**
     * Locks several keys in this instance's order, waiting as long as it takes.
     *
     * @param keys the keys, in any order, duplicates allowed; may be empty
     * @return the handle holding every key; close it (on this thread) to unlock them all
     * @throws InterruptedException if the thread is interrupted while waiting; nothing is held then
     * @throws IllegalArgumentException if two distinct keys compare as equal
     * @throws NullPointerException if the collection or a key is {@code null}
     */
    public @NotNull LockedKeys<K> lockAll(@NotNull Collection<? extends K> keys) throws InterruptedException {
        List<K> sorted = sortedDistinct(keys);
        List<Entry> held = new ArrayList<>(sorted.size());
        try {
            for (K key : sorted) {
                held.add(acquire(key));
            }
        } catch (InterruptedException | RuntimeException ex) {
            unlockAll(sorted, held);
            throw ex;
        }
        return new LockedKeys<>(this, sorted, held);
    }

    /**
     * Locks several keys in this instance's order if none is held by another thread, without
     * waiting. All or nothing.
     *
     * @param keys the keys, in any order, duplicates allowed; may be empty
     * @return the handle holding every key, or empty when some key was held (then none is held)
     * @throws IllegalArgumentException if two distinct keys compare as equal
     * @throws NullPointerException if the collection or a key is {@code null}
     */
    public @NotNull Optional<LockedKeys<K>> tryLockAll(@NotNull Collection<? extends K> keys) {
        List<K> sorted = sortedDistinct(keys);
        List<Entry> held = new ArrayList<>(sorted.size());
        for (K key : sorted) {
            Entry e = retain(key);
            if (!e.lock.tryLock()) {
                release(key, e);
                unlockAll(sorted, held);
                return Optional.empty();
            }
            held.add(e);
        }
        return Optional.of(new LockedKeys<>(this, sorted, held));
    }

    /**
     * Locks several keys in this instance's order, waiting at most the given time for the whole
     * set. All or nothing.
     *
     * @param keys the keys, in any order, duplicates allowed; may be empty
     * @param timeout the time allowed for the whole set, measured on the injected clock; zero
     *        means do not wait
     * @return the handle holding every key, or empty when the time ran out (then none is held)
     * @throws InterruptedException if the thread is interrupted while waiting; nothing is held then
     * @throws IllegalArgumentException if the timeout is negative or two distinct keys compare as equal
     * @throws NullPointerException if an argument or a key is {@code null}
     */
    public @NotNull Optional<LockedKeys<K>> tryLockAll(@NotNull Collection<? extends K> keys,
                                                      @NotNull Duration timeout) throws InterruptedException {
        long nanos = timeoutNanos(timeout);
        List<K> sorted = sortedDistinct(keys);
        long deadline = saturatedAdd(nanoClock.getAsLong(), nanos);
        List<Entry> held = new ArrayList<>(sorted.size());
        boolean complete = false;
        try {
            for (K key : sorted) {
                Entry e = retain(key);
                boolean locked = false;
                try {
                    long remaining = deadline - nanoClock.getAsLong();
                    locked = remaining <= 0 ? e.lock.tryLock() : e.lock.tryLock(remaining, TimeUnit.NANOSECONDS);
                } finally {
                    if (!locked) {
                        release(key, e);
                    }
                }
                if (!locked) {
                    return Optional.empty();
                }
                held.add(e);
            }
            complete = true;
        } finally {
            if (!complete) {
                unlockAll(sorted, held);
            }
        }
        return Optional.of(new LockedKeys<>(this, sorted, held));
    }

    /**
     * How many keys currently have a lock object: those held or waited for. Zero when no thread
     * holds or waits for any key. A monitoring figure; it may be stale by the time it returns.
     *
     * @return the number of keys in use
     */
    public int activeKeys() {
        return entries.size();
    }

    /**
     * Whether some thread holds the key's lock right now. A monitoring figure; it may be stale
     * by the time it returns.
     *
     * @param key the key
     * @return {@code true} when the key is locked
     */
    public boolean isLocked(@NotNull K key) {
        Entry e = entries.get(Objects.requireNonNull(key, "key"));
        return e != null && e.lock.isLocked();
    }

    /**
     * Returns the order in which multi-key acquisitions take their keys.
     *
     * @return the order in which multi-key acquisitions take their keys
     */
    public @NotNull Comparator<? super K> order() {
        return order;
    }

    /**
     * Returns whether the locks grant access in arrival order.
     *
     * @return whether the locks grant access in arrival order
     */
    public boolean isFair() {
        return fair;
    }

    /** Unlocks one key acquired through a handle of this instance; called by {@link LockedKeys}. */
    void unlock(K key, Entry e) {
        e.lock.unlock();
        release(key, e);
    }

    /**
     * Registers the calling thread as a user (holder or waiter) of the key's lock, creating it
     * when absent.
     */
    private Entry retain(K key) {
        return entries.compute(key, (k, e) -> {
            Entry entry = e == null ? new Entry(fair) : e;
            entry.users++;
            return entry;
        });
    }

    /**
     * Deregisters a user after it unlocked (or gave up waiting); the last one removes the entry,
     * so a key nobody uses costs no memory. Must come after {@code unlock}: removing first would
     * let a newcomer create a second lock for a key that is still held.
     */
    private void release(K key, Entry e) {
        entries.computeIfPresent(key, (k, current) -> {
            if (current != e) {
                throw new IllegalStateException("lock entry of key " + k + " was replaced while in use");
            }
            return --current.users == 0 ? null : current;
        });
    }

    private void unlockAll(List<K> sorted, List<Entry> held) {
        for (int i = held.size() - 1; i >= 0; i--) {
            unlock(sorted.get(i), held.get(i));
        }
    }

    private List<K> sortedDistinct(Collection<? extends K> keys) {
        Objects.requireNonNull(keys, "keys");
        List<K> sorted = new ArrayList<>(keys.size());
        for (K key : keys) {
            sorted.add(Objects.requireNonNull(key, "keys must not contain null"));
        }
        sorted.sort(order);
        List<K> distinct = new ArrayList<>(sorted.size());
        for (K key : sorted) {
            if (!distinct.isEmpty()) {
                K last = distinct.get(distinct.size() - 1);
                if (order.compare(last, key) == 0) {
                    if (last.equals(key)) {
                        continue;
                    }
                    throw new IllegalArgumentException("the lock order must be consistent with equals, but it "
                            + "ranks distinct keys as equal: " + last + ", " + key);
                }
            }
            distinct.add(key);
        }
        return List.copyOf(distinct);
    }

    private static long timeoutNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0: timeout=" + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    @Override
    public String toString() {
        return "KeyedLocks[activeKeys=" + entries.size() + (fair ? ", fair" : "") + "]";
    }

    /** One key's lock and the number of threads holding or waiting for it. */
    static final class Entry {
        final ReentrantLock lock;
        /**
         * Holders plus waiters. Plain int: read and written only inside
         * {@code ConcurrentHashMap.compute}/{@code computeIfPresent} for this entry's key, which
         * run one at a time per key, each seeing the previous one's writes.
         */
        int users;

        Entry(boolean fair) {
            this.lock = new ReentrantLock(fair);
        }
    }

    /**
     * Builds {@link KeyedLocks}. Not thread-safe; {@link #build()} yields a thread-safe instance.
     *
     * @param <K> the key type
     */
    public static final class Builder<K> {
        private final Comparator<? super K> order;
        private boolean fair;
        private LongSupplier nanoClock = System::nanoTime;

        private Builder(Comparator<? super K> order) {
            this.order = order;
        }

        /**
         * Whether waiting threads get each key in arrival order (default {@code false}: faster,
         * but a thread may be overtaken).
         *
         * @param fair {@code true} for fair locks
         * @return this builder
         */
        public @NotNull Builder<K> fair(boolean fair) {
            this.fair = fair;
            return this;
        }

        /**
         * The clock multi-key timeouts are measured on (default {@link System#nanoTime()}).
         *
         * @param nanoClock a monotonic nanosecond clock
         * @return this builder
         */
        public @NotNull Builder<K> nanoClock(@NotNull LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /**
         * Returns new keyed locks with this builder's settings.
         *
         * @return new keyed locks with this builder's settings
         */
        public @NotNull KeyedLocks<K> build() {
            return new KeyedLocks<>(this);
        }
    }

    /** Retains the key's entry and locks it, interruptibly; on failure nothing is retained. */
    private Entry acquire(K key) throws InterruptedException {
        Entry e = retain(key);
        try {
            e.lock.lockInterruptibly();
        } catch (InterruptedException | RuntimeException ex) {
            release(key, e);
            throw ex;
        }
        return e;
    }
}

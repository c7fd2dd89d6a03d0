package dev.latchkey.jcstress.broken;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DELIBERATELY BROKEN. Per-key locks whose multi-key acquisition takes the keys in the order the
 * caller gives instead of one global order: two threads locking the same keys in opposite orders
 * can deadlock. Used by {@link BrokenUnorderedLockAll} to show that the stress test catches it.
 * (Entries are never removed; memory is not the point here.)
 */
final class UnorderedKeyedLocks {
    /** Key to its lock; created once per key by computeIfAbsent. */
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    private ReentrantLock lockOf(String key) {
        return locks.computeIfAbsent(key, k -> new ReentrantLock());
    }

    /**
     * Locks the keys one after the other, in the order given, waiting as long as it takes.
     *
     * @return what to unlock
     */
    List<ReentrantLock> lockAll(List<String> keys) throws InterruptedException {
        List<ReentrantLock> held = new ArrayList<>();
        try {
            for (String key : keys) {
                ReentrantLock lock = lockOf(key);
                lock.lockInterruptibly();
                held.add(lock);
            }
        } catch (InterruptedException e) {
            unlockAll(held);
            throw e;
        }
        return held;
    }

    /**
     * Locks the keys in the order given, within one deadline for them all; all or nothing.
     *
     * @return what to unlock, or empty when the time ran out
     */
    Optional<List<ReentrantLock>> tryLockAll(List<String> keys, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ReentrantLock> held = new ArrayList<>();
        for (String key : keys) {
            ReentrantLock lock = lockOf(key);
            if (!lock.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                unlockAll(held);
                return Optional.empty();
            }
            held.add(lock);
        }
        return Optional.of(held);
    }

    /** Unlocks what {@link #lockAll} or {@link #tryLockAll} returned, last locked first. */
    static void unlockAll(List<ReentrantLock> held) {
        for (int i = held.size() - 1; i >= 0; i--) {
            held.get(i).unlock();
        }
    }
}

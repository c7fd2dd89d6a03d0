package dev.latchkey.jcstress.broken;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DELIBERATELY BROKEN. Per-key locks that drop a key's lock object from the table before
 * unlocking it (the mistake {@code KeyedLocks.release} documents it avoids): a thread that fetched
 * the old lock just before the removal gets it once it is unlocked, while a newcomer creates a
 * second lock for the same key, so two threads hold one key. Used by
 * {@link BrokenVariantsLincheckTest}.
 */
final class RemoveBeforeUnlockKeyedLocks {
    /** Key to its lock. */
    private final ConcurrentHashMap<Integer, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** Returns the key's lock if it was free, else {@code null}. */
    ReentrantLock tryLock(int key) {
        ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        return lock.tryLock() ? lock : null;
    }

    /** Unlocks one hold; the last one removes the lock from the table first (the bug). */
    void unlock(int key, ReentrantLock lock) {
        if (lock.getHoldCount() == 1) {
            locks.remove(key, lock);
        }
        lock.unlock();
    }

    /** Whether the key's current lock object is held. */
    boolean isLocked(int key) {
        ReentrantLock lock = locks.get(key);
        return lock != null && lock.isLocked();
    }
}

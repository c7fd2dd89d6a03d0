package dev.latchkey.lincheck;

/**
 * The sequential specification of keyed locks: each key has at most one owner thread, which may
 * hold it several times (reentrant); a try by another thread fails; an unlock releases one of the
 * caller's holds; the blocking operations of {@link KeyedLocksBlockingOperations} run their
 * critical section (one increment of each distinct key's counter) as one step.
 */
public final class KeyedLocksSpecification {
    /** [key]: the owner thread, -1 when free. */
    private final int[] owner = {-1, -1};
    /** [key]: how many times the owner holds it. */
    private final int[] holds = new int[KeyedLocksOperations.KEYS];
    /** [key]: the blocking operations' counters. */
    private final int[] counters = new int[KeyedLocksOperations.KEYS];

    /**
     * Specified try.
     *
     * @param thread the thread id
     * @param key the key
     * @return as {@link KeyedLocksOperations#tryLock}
     */
    public boolean tryLock(int thread, int key) {
        if (owner[key] != -1 && owner[key] != thread) {
            return false;
        }
        owner[key] = thread;
        holds[key]++;
        return true;
    }

    /**
     * Specified unlock.
     *
     * @param thread the thread id
     * @param key the key
     * @return as {@link KeyedLocksOperations#unlock}
     */
    public boolean unlock(int thread, int key) {
        if (owner[key] != thread) {
            return false;
        }
        if (--holds[key] == 0) {
            owner[key] = -1;
        }
        return true;
    }

    /**
     * Specified observation.
     *
     * @param key the key
     * @return as {@link KeyedLocksOperations#isLocked}
     */
    public boolean isLocked(int key) {
        return owner[key] != -1;
    }

    /**
     * Specified single-key critical section.
     *
     * @param key the key
     * @return as {@link KeyedLocksBlockingOperations#lockAndIncrement}
     */
    public String lockAndIncrement(int key) {
        return String.valueOf(++counters[key]);
    }

    /**
     * Specified multi-key critical section.
     *
     * @param first a key
     * @param second a key, maybe the same
     * @return as {@link KeyedLocksBlockingOperations#lockAllAndIncrement}
     */
    public String lockAllAndIncrement(int first, int second) {
        if (first == second) {
            return String.valueOf(++counters[first]);
        }
        return ++counters[first] + "," + ++counters[second];
    }
}

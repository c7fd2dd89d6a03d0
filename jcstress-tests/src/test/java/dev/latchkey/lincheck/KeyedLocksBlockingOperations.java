package dev.latchkey.lincheck;

import static dev.latchkey.lincheck.LincheckRuns.call;
import static dev.latchkey.lincheck.LincheckRuns.parallel;

import java.util.List;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * The blocking acquisitions of keyed locks, as Lincheck drives them: each operation locks its
 * keys (waiting as long as it takes), increments a plain counter per distinct key inside the
 * critical section (a read and a write the model checker may interleave: a broken mutual
 * exclusion loses an increment), and unlocks before it returns, so no thread ends a scenario
 * holding a key. A wait that never ends is a deadlock of the locks themselves, which the model
 * checker reports. {@code lockAll} is given its keys in the caller's order, as a user would.
 *
 * <p>Subclasses supply the lock table (Lincheck needs a public no-argument constructor).
 */
@Param(name = "key", gen = IntGen.class, conf = "0:1")
public abstract class KeyedLocksBlockingOperations {
    /** [key]: plain counters, guarded by the key's lock. */
    private final int[] counters = new int[KeyedLocksOperations.KEYS];

    /**
     * Locks the keys, in whatever order the implementation takes them, waiting as long as it
     * takes.
     *
     * @param keys the keys in the caller's order, maybe with a duplicate
     * @return what unlocks them all
     * @throws InterruptedException if interrupted while waiting
     */
    protected abstract Runnable acquireAll(List<Integer> keys) throws InterruptedException;

    /**
     * Locks one key, waiting as long as it takes; by default as a one-key {@link #acquireAll}.
     *
     * @param key the key
     * @return what unlocks it
     * @throws InterruptedException if interrupted while waiting
     */
    protected Runnable acquire(int key) throws InterruptedException {
        return acquireAll(List.of(key));
    }

    /**
     * Locks one key, increments its counter, unlocks.
     *
     * @param key the key
     * @return the counter's new value
     * @throws InterruptedException if interrupted while waiting
     */
    @Operation(blocking = true)
    public String lockAndIncrement(@Param(name = "key") int key) throws InterruptedException {
        Runnable unlock = acquire(key);
        try {
            return String.valueOf(++counters[key]);
        } finally {
            unlock.run();
        }
    }

    /**
     * Locks both keys (given in this order), increments each distinct key's counter, unlocks.
     *
     * @param first a key
     * @param second a key, maybe the same
     * @return the counters' new values, first's then second's
     * @throws InterruptedException if interrupted while waiting
     */
    @Operation(blocking = true)
    public String lockAllAndIncrement(@Param(name = "key") int first, @Param(name = "key") int second)
            throws InterruptedException {
        Runnable unlock = acquireAll(List.of(first, second));
        try {
            if (first == second) {
                return String.valueOf(++counters[first]);
            }
            return ++counters[first] + "," + ++counters[second];
        } finally {
            unlock.run();
        }
    }

    /**
     * Two threads lock the same two keys in opposite orders: an implementation that takes them in
     * the caller's order deadlocks in some interleaving.
     *
     * @param operations the operations class
     * @return the scenario
     */
    public static ExecutionScenario oppositeOrders(Class<? extends KeyedLocksBlockingOperations> operations) {
        return parallel(
                List.of(call(operations, "lockAllAndIncrement", 0, 1)),
                List.of(call(operations, "lockAllAndIncrement", 1, 0)));
    }
}

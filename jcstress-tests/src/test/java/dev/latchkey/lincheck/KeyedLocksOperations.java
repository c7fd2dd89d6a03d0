package dev.latchkey.lincheck;

import static dev.latchkey.lincheck.LincheckRuns.call;
import static dev.latchkey.lincheck.LincheckRuns.parallel;

import java.util.ArrayDeque;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;

/**
 * Keyed locks held across operations, as Lincheck drives them: {@code tryLock} keeps the handle
 * it gets in the calling thread's own stack, and {@code unlock} closes the thread's most recent
 * handle of that key, so every unlock is made by the owner, as the API requires. Only
 * non-blocking acquisitions appear here: a thread that holds a key at the end of its operations
 * would otherwise leave a blocked one waiting for ever, which Lincheck would report as a
 * deadlock of the scenario, not of the locks ({@link KeyedLocksBlockingOperations} checks the
 * blocking ones).
 *
 * <p>Subclasses supply the lock table (Lincheck needs a public no-argument constructor).
 */
@Param(name = "thread", gen = ThreadIdGen.class)
@Param(name = "key", gen = IntGen.class, conf = "0:1")
public abstract class KeyedLocksOperations {
    /** The most threads a scenario has. */
    static final int MAX_THREADS = 4;
    /** The keys: 0 and 1. */
    static final int KEYS = 2;

    /** [thread][key]: the handles the thread holds, most recent on top; each cell used by one thread only. */
    private final ArrayDeque<?>[][] held = new ArrayDeque<?>[MAX_THREADS][KEYS];

    /**
     * Creates the per-thread handle stacks.
     */
    protected KeyedLocksOperations() {
        for (int t = 0; t < MAX_THREADS; t++) {
            for (int k = 0; k < KEYS; k++) {
                held[t][k] = new ArrayDeque<>();
            }
        }
    }

    /**
     * Locks the key without waiting.
     *
     * @param key the key
     * @return the handle, or {@code null} when another thread holds the key
     */
    protected abstract Object tryAcquire(int key);

    /**
     * Unlocks what {@link #tryAcquire} returned, on the thread that acquired it.
     *
     * @param handle the handle
     */
    protected abstract void release(Object handle);

    /**
     * Whether some thread holds the key.
     *
     * @param key the key
     * @return whether it is locked
     */
    protected abstract boolean locked(int key);

    @SuppressWarnings("unchecked")
    private ArrayDeque<Object> stack(int thread, int key) {
        return (ArrayDeque<Object>) held[thread][key];
    }

    /**
     * Tries to lock the key (reentrant: succeeds when this thread already holds it).
     *
     * @param thread the calling thread's id in the scenario
     * @param key the key
     * @return whether the key was locked
     */
    @Operation
    public boolean tryLock(@Param(name = "thread") int thread, @Param(name = "key") int key) {
        Object handle = tryAcquire(key);
        if (handle == null) {
            return false;
        }
        stack(thread, key).push(handle);
        return true;
    }

    /**
     * Unlocks this thread's most recent hold of the key.
     *
     * @param thread the calling thread's id in the scenario
     * @param key the key
     * @return whether this thread held it
     */
    @Operation
    public boolean unlock(@Param(name = "thread") int thread, @Param(name = "key") int key) {
        Object handle = stack(thread, key).poll();
        if (handle == null) {
            return false;
        }
        release(handle);
        return true;
    }

    /**
     * Whether some thread holds the key.
     *
     * @param key the key
     * @return whether it is locked
     */
    @Operation
    public boolean isLocked(@Param(name = "key") int key) {
        return locked(key);
    }

    /**
     * One thread takes a key and gives it back while two others try it: an implementation that
     * drops the key's lock object before unlocking it lets both others in.
     *
     * @param operations the operations class
     * @return the scenario
     */
    public static ExecutionScenario handOver(Class<? extends KeyedLocksOperations> operations) {
        return parallel(
                List.of(call(operations, "tryLock", 0, 0), call(operations, "unlock", 0, 0)),
                List.of(call(operations, "tryLock", 1, 0)),
                List.of(call(operations, "tryLock", 2, 0)));
    }
}

package dev.latchkey.lincheck;

import dev.latchkey.lock.KeyedLocks;
import dev.latchkey.lock.LockedKeys;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: {@link KeyedLocks} is linearizable with respect to {@link KeyedLocksSpecification}:
 * tryLock / unlock by the owner / isLocked held across operations, and blocking lock / lockAll
 * critical sections (mutual exclusion: no lost increment; deadlock freedom: two threads locking
 * the same two keys in opposite orders both finish), by the model checker and on real threads.
 *
 * <p>That the checks can fail is shown by
 * {@code dev.latchkey.jcstress.broken.BrokenVariantsLincheckTest}: the same checks reject the
 * unordered lockAll of the jcstress broken variants (deadlock) and a lock table that removes a
 * key's lock before unlocking it (two owners).
 */
class KeyedLocksLincheckTest {

    /** KeyedLocks held across operations. */
    public static final class Ops extends KeyedLocksOperations {
        private final KeyedLocks<Integer> locks = KeyedLocks.create();

        /** Lincheck's constructor. */
        public Ops() {
        }

        @Override
        protected Object tryAcquire(int key) {
            return locks.tryLock(key).orElse(null);
        }

        @Override
        protected void release(Object handle) {
            ((LockedKeys<?>) handle).close();
        }

        @Override
        protected boolean locked(int key) {
            return locks.isLocked(key);
        }
    }

    /** KeyedLocks' blocking acquisitions. */
    public static final class BlockingOps extends KeyedLocksBlockingOperations {
        private final KeyedLocks<Integer> locks = KeyedLocks.create();

        /** Lincheck's constructor. */
        public BlockingOps() {
        }

        @Override
        protected Runnable acquireAll(List<Integer> keys) throws InterruptedException {
            return locks.lockAll(keys)::close;
        }

        @Override
        protected Runnable acquire(int key) throws InterruptedException {
            return locks.lock(key)::close;
        }
    }

    @Test
    void heldLocksLinearizableUnderModelChecking() {
        LincheckRuns.modelChecking(KeyedLocksSpecification.class, 2)
                .addCustomScenario(KeyedLocksOperations.handOver(Ops.class))
                .check(Ops.class);
    }

    @Test
    void heldLocksLinearizableUnderStress() {
        LincheckRuns.stress(KeyedLocksSpecification.class, 2).check(Ops.class);
    }

    @Test
    void blockingLocksLinearizableAndDeadlockFreeUnderModelChecking() {
        // every blocking acquisition goes through ConcurrentHashMap.compute, a sort and the
        // ReentrantLock queue, each a long run of switch points: fewer, deeper scenarios
        LincheckRuns.modelChecking(KeyedLocksSpecification.class, 2)
                .iterations(LincheckRuns.SCALE)
                .invocationsPerIteration(30 * LincheckRuns.SCALE)
                .addCustomScenario(KeyedLocksBlockingOperations.oppositeOrders(BlockingOps.class))
                .check(BlockingOps.class);
    }

    @Test
    void blockingLocksLinearizableUnderStress() {
        // parked threads make each real-thread run slow: a few short scenarios
        LincheckRuns.stress(KeyedLocksSpecification.class, 2)
                .iterations(LincheckRuns.SCALE)
                .invocationsPerIteration(50 * LincheckRuns.SCALE)
                .check(BlockingOps.class);
    }
}

package dev.latchkey.jcstress.broken;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.lincheck.IdempotencyStoreOperations;
import dev.latchkey.lincheck.IdempotencyStoreSpecification;
import dev.latchkey.lincheck.KeyedLocksBlockingOperations;
import dev.latchkey.lincheck.KeyedLocksOperations;
import dev.latchkey.lincheck.KeyedLocksSpecification;
import dev.latchkey.lincheck.LeaseBackendOperations;
import dev.latchkey.lincheck.LeaseBackendSpecification;
import dev.latchkey.lincheck.LincheckRuns;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Lincheck checks of {@code dev.latchkey.lincheck} bite: run on the deliberately broken
 * variants of this package (those the jcstress tests catch, and one more), each check fails, with
 * the report naming the failure. If one of these tests fails, the corresponding check has stopped
 * being able to find the bug it exists for. Each runs only the hand-written scenario the bug
 * shows in, so the result does not depend on random scenario generation.
 */
class BrokenVariantsLincheckTest {
    /**
     * Interleavings explored for the hand-written scenario: generous, since the check stops at the
     * first failure and spends the whole budget only when it has stopped biting.
     */
    private static final int BUG_HUNT_INVOCATIONS = 2_000;

    /** The check-then-put store, under the operations of the real store's check. */
    public static final class CheckThenPutOps extends IdempotencyStoreOperations {
        /** Lincheck's constructor. */
        public CheckThenPutOps() {
            super(CheckThenPutStore::new);
        }
    }

    /** The check-then-set lease backend, under the operations of the in-memory backend's check. */
    public static final class CheckThenSetLeaseOps extends LeaseBackendOperations {
        /** Lincheck's constructor. */
        public CheckThenSetLeaseOps() {
            super(CheckThenSetLeaseBackend::new);
        }
    }

    /** The unordered lockAll, under the operations of KeyedLocks' blocking check. */
    public static final class UnorderedOps extends KeyedLocksBlockingOperations {
        private final UnorderedKeyedLocks locks = new UnorderedKeyedLocks();

        /** Lincheck's constructor. */
        public UnorderedOps() {
        }

        @Override
        protected Runnable acquireAll(List<Integer> keys) throws InterruptedException {
            List<ReentrantLock> held = locks.lockAll(keys.stream().map(String::valueOf).collect(Collectors.toList()));
            return () -> UnorderedKeyedLocks.unlockAll(held);
        }
    }

    /** The remove-before-unlock table, under the operations of KeyedLocks' held-locks check. */
    public static final class RemoveBeforeUnlockOps extends KeyedLocksOperations {
        private final RemoveBeforeUnlockKeyedLocks locks = new RemoveBeforeUnlockKeyedLocks();

        /** Lincheck's constructor. */
        public RemoveBeforeUnlockOps() {
        }

        @Override
        protected Object tryAcquire(int key) {
            ReentrantLock lock = locks.tryLock(key);
            return lock == null ? null : new Object[] {key, lock};
        }

        @Override
        protected void release(Object handle) {
            Object[] h = (Object[]) handle;
            locks.unlock((Integer) h[0], (ReentrantLock) h[1]);
        }

        @Override
        protected boolean locked(int key) {
            return locks.isLocked(key);
        }
    }

    @Test
    void modelCheckingCatchesTheCheckThenPutClaim() {
        String report = LincheckRuns.assertCaught(
                LincheckRuns.modelChecking(IdempotencyStoreSpecification.class, 2)
                        .iterations(0)
                        .invocationsPerIteration(BUG_HUNT_INVOCATIONS)
                        .addCustomScenario(IdempotencyStoreOperations.twoClaimsOneKey(CheckThenPutOps.class)),
                CheckThenPutOps.class);
        assertThat(report).contains("Invalid execution results").contains("claimed 1");
    }

    @Test
    void modelCheckingCatchesTheUnorderedLockAllDeadlock() {
        String report = LincheckRuns.assertCaught(
                LincheckRuns.modelChecking(KeyedLocksSpecification.class, 2)
                        .iterations(0)
                        .invocationsPerIteration(BUG_HUNT_INVOCATIONS)
                        .addCustomScenario(KeyedLocksBlockingOperations.oppositeOrders(UnorderedOps.class)),
                UnorderedOps.class);
        // both threads wait for ever, each for the key the other took first
        assertThat(report).contains("The execution has hung", "lockAllAndIncrement(0, 1): <hung>",
                "lockAllAndIncrement(1, 0): <hung>");
    }

    @Test
    void modelCheckingCatchesTheRemoveBeforeUnlockTable() {
        String report = LincheckRuns.assertCaught(
                LincheckRuns.modelChecking(KeyedLocksSpecification.class, 3)
                        .iterations(0)
                        .invocationsPerIteration(BUG_HUNT_INVOCATIONS)
                        .addCustomScenario(KeyedLocksOperations.handOver(RemoveBeforeUnlockOps.class)),
                RemoveBeforeUnlockOps.class);
        assertThat(report).contains("Invalid execution results");
    }

    @Test
    void modelCheckingCatchesTheCheckThenSetLease() {
        String report = LincheckRuns.assertCaught(
                LincheckRuns.modelChecking(LeaseBackendSpecification.class, 2)
                        .iterations(0)
                        .invocationsPerIteration(BUG_HUNT_INVOCATIONS)
                        .addCustomScenario(LeaseBackendOperations.twoAcquiresOneName(CheckThenSetLeaseOps.class)),
                CheckThenSetLeaseOps.class);
        System.out.println(report.substring(0, report.indexOf("The following interleaving")));
        // two owners granted the same name at once, both with fencing token 1
        assertThat(report).contains("Invalid execution results", "acquire(0, 0, 0): T1 at 0 until 2",
                "acquire(1, 0, 1): T1 at 0 until 2");
    }
}

package dev.latchkey.lincheck;

import dev.latchkey.lease.memory.InMemoryLeaseBackend;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: {@link InMemoryLeaseBackend} is linearizable with respect to
 * {@link LeaseBackendSpecification} (acquire, extend and release by current, stale and wrong
 * holders, and the clock moving between them: expiry and take-over), and the engine's lease
 * state machine ({@code ManagedLease}: extend, release, loss and isHeld racing, over that
 * backend) with respect to {@link ManagedLeaseSpecification}; each explored by the model checker
 * and run on real threads.
 *
 * <p>That the check can fail is shown by
 * {@code dev.latchkey.jcstress.broken.BrokenVariantsLincheckTest}, which runs this very check on
 * the deliberately broken check-then-set backend and expects Lincheck to reject it.
 */
class InMemoryLeaseLincheckTest {
    /**
     * Real-thread runs per stress scenario: a quarter of the module's default, as stress mode
     * here only confirms what the model checker explores (on the loaded 2-CPU CI machine the
     * default cost about 40 s per check).
     */
    private static final int STRESS_INVOCATIONS = LincheckRuns.STRESS_INVOCATIONS / 4;

    /** The backend under check, on the operations' clock. */
    public static final class BackendOps extends LeaseBackendOperations {
        /** Lincheck's constructor. */
        public BackendOps() {
            super(InMemoryLeaseBackend::new);
        }
    }

    @Test
    void backendLinearizableUnderModelChecking() {
        LincheckRuns.modelChecking(LeaseBackendSpecification.class, 2)
                .addCustomScenario(LeaseBackendOperations.twoAcquiresOneName(BackendOps.class))
                .addCustomScenario(LeaseBackendOperations.extendWhileTheClockMoves(BackendOps.class))
                .check(BackendOps.class);
    }

    @Test
    void backendLinearizableUnderStress() {
        LincheckRuns.stress(LeaseBackendSpecification.class, 2).invocationsPerIteration(STRESS_INVOCATIONS)
                .check(BackendOps.class);
    }

    @Test
    void engineLeaseLinearizableUnderModelChecking() {
        // one random scenario beside the hand-written one: four operations on one lock-guarded
        // object leave few distinct interleavings, and each costs more (ReentrantLock) than elsewhere
        LincheckRuns.modelChecking(ManagedLeaseSpecification.class, 2)
                .iterations(1)
                .addCustomScenario(ManagedLeaseOperations.releaseExtendAndLoss())
                .check(ManagedLeaseOperations.class);
    }

    @Test
    void engineLeaseLinearizableUnderStress() {
        LincheckRuns.stress(ManagedLeaseSpecification.class, 2).invocationsPerIteration(STRESS_INVOCATIONS)
                .check(ManagedLeaseOperations.class);
    }
}

package dev.latchkey.lincheck;

import dev.latchkey.lease.memory.InMemoryLeaseBackend;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: {@link InMemoryLeaseBackend} is linearizable with respect to
 * {@link LeaseBackendSpecification} (acquire, extend and release by current, stale and wrong
 * holders, and the clock moving between them: expiry and take-over), explored by the model
 * checker and run on real threads.
 *
 * <p>That the check can fail is shown by
 * {@code dev.latchkey.jcstress.broken.BrokenVariantsLincheckTest}, which runs this very check on
 * the deliberately broken check-then-set backend and expects Lincheck to reject it.
 */
class InMemoryLeaseLincheckTest {

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
        LincheckRuns.stress(LeaseBackendSpecification.class, 2).check(BackendOps.class);
    }
}

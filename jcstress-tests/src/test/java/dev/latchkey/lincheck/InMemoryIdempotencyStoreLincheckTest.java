package dev.latchkey.lincheck;

import dev.latchkey.idempotency.memory.InMemoryIdempotencyStore;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: {@link InMemoryIdempotencyStore} is linearizable with respect to
 * {@link IdempotencyStoreSpecification} (claim, complete, release, find, purge, and the clock
 * moving between them), explored by the model checker and run on real threads.
 *
 * <p>That the check can fail is shown by
 * {@code dev.latchkey.jcstress.broken.BrokenVariantsLincheckTest}, which runs this very check on
 * the deliberately broken check-then-put store and expects Lincheck to reject it.
 */
class InMemoryIdempotencyStoreLincheckTest {

    /** The store under check, on the operations' clock, without automatic purging (purge is an operation). */
    public static final class Ops extends IdempotencyStoreOperations {
        /** Lincheck's constructor. */
        public Ops() {
            super(clock -> InMemoryIdempotencyStore.builder().clock(clock).autoPurge(false).build());
        }
    }

    @Test
    void linearizableUnderModelChecking() {
        LincheckRuns.modelChecking(IdempotencyStoreSpecification.class, 2)
                .addCustomScenario(IdempotencyStoreOperations.twoClaimsOneKey(Ops.class))
                .check(Ops.class);
    }

    @Test
    void linearizableUnderStress() {
        LincheckRuns.stress(IdempotencyStoreSpecification.class, 2).check(Ops.class);
    }
}

package dev.latchkey.lincheck;

import static dev.latchkey.lincheck.LincheckRuns.call;
import static dev.latchkey.lincheck.LincheckRuns.parallel;

import dev.latchkey.jcstress.support.ManualClock;
import dev.latchkey.lease.Lease;
import dev.latchkey.lease.LeaseLostException;
import dev.latchkey.lease.memory.InMemoryLeaseBackend;
import dev.latchkey.lease.spi.LeaseEngine;
import dev.latchkey.lease.spi.ManagedLease;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.Operation;

/**
 * One {@link ManagedLease} (the engine's lease state machine), acquired before the scenario
 * starts, as Lincheck drives it from several threads at once: extend, release, a backend's fenced
 * operation marking it lost, and isHeld. It runs over an {@link InMemoryLeaseBackend} with
 * {@link LeaseBackendOperations}' durations, without heartbeat or loss callback (no timer thread
 * runs), and no clock moves.
 *
 * <p>Why no clock moves here (the backend's check has the clock as an operation): a release ends
 * the lease locally first (so no thread sees it held once its release began) and then calls the
 * backend, and {@code lost(..)} takes no lock by design; so when time passes during the release,
 * the backend can find the acquisition expired after other threads already saw it released, and
 * {@code release()} reports {@code false} ("had expired"), as its contract allows, where any
 * single-step model would say {@code true}. Likewise an extension that reached the backend just
 * before a concurrent loss leaves the backend's row extended (it then simply expires later). The
 * local deadline is covered by LeaseEngineTest, expiry and take-over on the backend by
 * {@link LeaseBackendOperations}.
 */
public final class ManagedLeaseOperations {
    private final ManagedLease lease = (ManagedLease) LeaseEngine.builder(new InMemoryLeaseBackend(new ManualClock()))
            .nanoClock(() -> 0L).build()
            .lease("job").tryAcquire(LeaseBackendOperations.AT_MOST_FOR, LeaseBackendOperations.AT_LEAST_FOR)
            .orElseThrow();

    /** Lincheck's constructor. */
    public ManagedLeaseOperations() {
    }

    /**
     * Extends the lease by {@link LeaseBackendOperations#EXTEND_BY}.
     *
     * @return "extended", or "lost" when it threw {@link LeaseLostException}
     */
    @Operation
    public String extend() {
        try {
            lease.extend(LeaseBackendOperations.EXTEND_BY);
            return "extended";
        } catch (LeaseLostException e) {
            return "lost";
        }
    }

    /**
     * Releases the lease.
     *
     * @return as {@link Lease#release()}
     */
    @Operation
    public boolean release() {
        return lease.release();
    }

    /**
     * Marks the lease lost, as a backend's fenced operation that found the acquisition gone does.
     *
     * @return as {@link ManagedLease#lost}
     */
    @Operation
    public boolean lost() {
        return lease.lost("fenced operation found it gone (Lincheck)", null);
    }

    /**
     * Whether the lease is held.
     *
     * @return as {@link Lease#isHeld()}
     */
    @Operation
    public boolean isHeld() {
        return lease.isHeld();
    }

    /**
     * The holder extends and releases while a fenced operation's loss and another extension race with it.
     *
     * @return the scenario
     */
    public static ExecutionScenario releaseExtendAndLoss() {
        Class<?> ops = ManagedLeaseOperations.class;
        return parallel(
                List.of(call(ops, "extend"), call(ops, "release")),
                List.of(call(ops, "lost"), call(ops, "extend")));
    }
}

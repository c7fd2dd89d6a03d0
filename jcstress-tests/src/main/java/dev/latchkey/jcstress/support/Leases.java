package dev.latchkey.jcstress.support;

import java.time.Duration;

import dev.latchkey.lease.Lease;
import dev.latchkey.lease.spi.LeaseBackend;
import dev.latchkey.lease.spi.LeaseEngine;

/** Lease engines as the lease stress tests (real and broken) use them. */
public final class Leases {
    private static final Duration TEN_S = Duration.ofSeconds(10);

    private Leases() {
    }

    /**
     * An engine over the backend with a constant nano clock: no lease expires locally in a test.
     *
     * @param backend the backend
     * @return the engine
     */
    public static LeaseEngine engine(LeaseBackend backend) {
        return LeaseEngine.builder(backend).nanoClock(() -> 0L).build();
    }

    /**
     * Tries to acquire the name "job" for ten seconds.
     *
     * @param engine the engine
     * @return the fencing token, 0 when the name is held
     */
    public static long tryToken(LeaseEngine engine) {
        return engine.lease("job").tryAcquire(TEN_S).map(Lease::fencingToken).orElse(0L);
    }
}

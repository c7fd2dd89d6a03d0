package dev.latchkey.jcstress.lease;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.latchkey.lease.Lease;
import dev.latchkey.lease.memory.InMemoryLeaseBackend;
import dev.latchkey.lease.spi.LeaseEngine;
import dev.latchkey.lease.spi.ManagedLease;
import dev.latchkey.jcstress.support.Leases;
import dev.latchkey.jcstress.support.ManualClock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    jcstress tests of leases (latchkey-core, dev.latchkey.lease): the in-memory backend grants a
    name to one acquirer at a time with increasing tokens, and a lease ends exactly once (released
    or lost), its loss callback running at most once.

    Time is a manual clock that never moves (no expiry inside a test) and a constant nano clock.

    How to run (from the repository root):
        ./mvnw -q -pl jcstress-tests -am package -DskipTests
        java -jar jcstress-tests/target/jcstress.jar -t LeaseStress
    Short mode, as CI runs it:
        java -jar jcstress-tests/target/jcstress.jar -t LeaseStress -m quick -sc false -iters 1
 */
public final class LeaseStress {
    private LeaseStress() {
    }

    private static final Duration TEN_S = Duration.ofSeconds(10);

    private static LeaseEngine engine() {
        return Leases.engine(new InMemoryLeaseBackend(new ManualClock()));
    }

    @JCStressTest
    @Description("Two threads try to acquire the same free name. r1, r2: the token each got, 0 for none.")
    @Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "Exactly one acquired it, with token 1.")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Both hold the name at once.")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "A free name was granted to nobody.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (a token other than 1).")
    @State
    public static class OneHolderPerName {
        final LeaseEngine engine = engine();

        @Actor
        public void thread1(JJ_Result r) {
            r.r1 = Leases.tryToken(engine);
        }

        @Actor
        public void thread2(JJ_Result r) {
            r.r2 = Leases.tryToken(engine);
        }
    }

    @JCStressTest
    @Description("A held lease is released by its holder while a fenced operation marks it lost. r1: release() "
            + "returned true; r2: lost() returned true; r3: how often the loss callback ran.")
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "Released first: the loss came too late, nobody told.")
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "Lost first: told once; the release found it ended.")
    @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "The lease ended twice.")
    @Outcome(id = ".*, [2-9]", expect = FORBIDDEN, desc = "The callback ran more than once.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else.")
    @State
    public static class EndsExactlyOnce {
        final AtomicInteger told = new AtomicInteger(); // CAS: counted from either thread
        final ManagedLease lease;

        public EndsExactlyOnce() {
            Lease l = engine().lease("job").onLost(e -> told.incrementAndGet()).tryAcquire(TEN_S).orElseThrow();
            this.lease = (ManagedLease) l;
        }

        @Actor
        public void holder(III_Result r) {
            r.r1 = lease.release() ? 1 : 0;
        }

        @Actor
        public void fence(III_Result r) {
            r.r2 = lease.lost("taken over (stress test)", null) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = told.get();
        }
    }
}

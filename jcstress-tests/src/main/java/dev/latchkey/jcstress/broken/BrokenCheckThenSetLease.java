package dev.latchkey.jcstress.broken;

import dev.latchkey.jcstress.support.Leases;
import dev.latchkey.jcstress.support.ManualClock;
import dev.latchkey.lease.spi.LeaseEngine;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    DELIBERATELY BROKEN, EXPECTED TO FAIL: proves the harness bites. Excluded from the CI run of
    the real tests (.ci/jcstress.sh selects ^dev.latchkey.jcstress.(?!broken.)); `.ci/jcstress.sh
    broken` runs these and passes only if every one of them FAILS.

    The same test as LeaseStress.OneHolderPerName, with the same outcomes, run against
    CheckThenSetLeaseBackend: a correct lease backend except that its acquisition is a plain
    check-then-set (get, decide, put) instead of one atomic step.

    How to run (from the repository root):
        ./mvnw -q -pl jcstress-tests -am package -DskipTests
        java -jar jcstress-tests/target/jcstress.jar -t BrokenCheckThenSetLease -m quick -sc false -iters 1
    or  bash .ci/jcstress.sh broken CheckThenSetLease
 */
public final class BrokenCheckThenSetLease {
    private BrokenCheckThenSetLease() {
    }

    @JCStressTest
    @Description("BROKEN ON PURPOSE. Two threads try to acquire the same free name on a check-then-set backend. "
            + "r1, r2: the token each got, 0 for none.")
    @Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "Exactly one acquired it, with token 1.")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Both hold the name at once, with the same fencing token.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (nobody acquired it, a token other than 1).")
    @State
    public static class OneHolderPerName {
        final LeaseEngine engine = Leases.engine(new CheckThenSetLeaseBackend(new ManualClock()));

        @Actor
        public void thread1(JJ_Result r) {
            r.r1 = Leases.tryToken(engine);
        }

        @Actor
        public void thread2(JJ_Result r) {
            r.r2 = Leases.tryToken(engine);
        }
    }
}

package dev.latchkey.jcstress.broken;

import java.util.concurrent.atomic.AtomicInteger;

import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.jcstress.support.Claims;
import dev.latchkey.jcstress.support.ManualClock;
import dev.latchkey.jcstress.support.Requests;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;
import org.openjdk.jcstress.infra.results.LL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    DELIBERATELY BROKEN, EXPECTED TO FAIL: proves the harness bites. Excluded from the CI run of
    the real tests (.ci/jcstress.sh selects ^dev.latchkey.jcstress.(?!broken.)); `.ci/jcstress.sh
    broken` runs these and passes only if every one of them FAILS.

    The same tests as InMemoryIdempotencyStoreStress.TwoActorsClaimOneKey / ThreeActorsClaimOneKey
    and IdempotencyExecutorStress.TwoRequestsOneKey, with the same outcomes, run against
    CheckThenPutStore: a correct store except that its claim is a plain check-then-put (get, decide,
    put) instead of one atomic step.

    How to run (from the repository root):
        ./mvnw -q -pl jcstress-tests -am package -DskipTests
        java -jar jcstress-tests/target/jcstress.jar -t BrokenCheckThenPutClaim -m quick -sc false -iters 1
    or  bash .ci/jcstress.sh broken
 */
public final class BrokenCheckThenPutClaim {
    private BrokenCheckThenPutClaim() {
    }

    @JCStressTest
    @Description("BROKEN ON PURPOSE. Two requests claim the same absent key on a check-then-put store.")
    @Outcome(id = {"claimed, in-progress", "in-progress, claimed"}, expect = ACCEPTABLE,
            desc = "Exactly one claim acquired the key.")
    @Outcome(id = "claimed, claimed", expect = FORBIDDEN, desc = "Both acquired the key: the work would run twice.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (nobody acquired it, a replay of nothing, ...).")
    @State
    public static class TwoActorsClaimOneKey {
        final CheckThenPutStore store = new CheckThenPutStore(new ManualClock());

        @Actor
        public void requestA(LL_Result r) {
            r.r1 = Claims.name(Claims.claim(store));
        }

        @Actor
        public void requestB(LL_Result r) {
            r.r2 = Claims.name(Claims.claim(store));
        }
    }

    @JCStressTest
    @Description("BROKEN ON PURPOSE. Three requests claim the same absent key on a check-then-put store.")
    @Outcome(id = {"claimed, in-progress, in-progress", "in-progress, claimed, in-progress",
            "in-progress, in-progress, claimed"}, expect = ACCEPTABLE, desc = "Exactly one claim acquired the key.")
    @Outcome(id = {"claimed, claimed, .*", "claimed, .*, claimed", ".*, claimed, claimed"}, expect = FORBIDDEN,
            desc = "Two or three acquired the key: the work would run more than once.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (nobody acquired it, ...).")
    @State
    public static class ThreeActorsClaimOneKey {
        final CheckThenPutStore store = new CheckThenPutStore(new ManualClock());

        @Actor
        public void requestA(LLL_Result r) {
            r.r1 = Claims.name(Claims.claim(store));
        }

        @Actor
        public void requestB(LLL_Result r) {
            r.r2 = Claims.name(Claims.claim(store));
        }

        @Actor
        public void requestC(LLL_Result r) {
            r.r3 = Claims.name(Claims.claim(store));
        }
    }

    @JCStressTest
    @Description("BROKEN ON PURPOSE. Two requests with the same key through the real Idempotency "
            + "executor, on a check-then-put store: the charge can run twice.")
    @Outcome(id = {"fresh-A, in-use, 1", "in-use, fresh-B, 1"}, expect = ACCEPTABLE,
            desc = "One ran the work; the other came while it ran and was rejected (409).")
    @Outcome(id = {"fresh-A, replayed-A, 1", "replayed-B, fresh-B, 1"}, expect = ACCEPTABLE,
            desc = "One ran the work; the other came after and replayed its response.")
    @Outcome(id = ".*, 2", expect = FORBIDDEN, desc = "The work ran twice: a double charge.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else.")
    @State
    public static class ExecutorTwoRequestsOneKey {
        final Idempotency idempotency = new CheckThenPutStore(new ManualClock()).executor(IdempotencyPolicy.defaults());
        final AtomicInteger runs = new AtomicInteger();

        @Actor
        public void requestA(LLL_Result r) {
            r.r1 = Requests.execute(idempotency, "A", runs::incrementAndGet);
        }

        @Actor
        public void requestB(LLL_Result r) {
            r.r2 = Requests.execute(idempotency, "B", runs::incrementAndGet);
        }

        @Arbiter
        public void after(LLL_Result r) {
            r.r3 = runs.get();
        }
    }
}

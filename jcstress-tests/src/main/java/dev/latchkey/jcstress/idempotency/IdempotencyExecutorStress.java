package dev.latchkey.jcstress.idempotency;

import java.util.concurrent.atomic.AtomicInteger;

import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.memory.InMemoryIdempotencyStore;
import dev.latchkey.idempotency.spi.IdempotencyStore;
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

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    jcstress tests of the Idempotency executor (latchkey-core, dev.latchkey.idempotency) on an
    InMemoryIdempotencyStore with a ManualClock and the default policy (a duplicate that finds
    the key in progress is rejected at once with IdempotencyKeyInUseException).

    Each request's result is a word (see Requests.execute): fresh-<worker> (its work ran and its
    response was stored), replayed-<worker> (that worker's stored response was replayed), in-use
    (409), or lease-lost (its work outlived its lease and was refused by the fence).

    How to run (from the repository root):
        ./mvnw -q -pl jcstress-tests -am package -DskipTests
        java -jar jcstress-tests/target/jcstress.jar -t IdempotencyExecutorStress
    Short mode, as CI runs it:
        java -jar jcstress-tests/target/jcstress.jar -t IdempotencyExecutorStress -m quick -sc false -iters 1
 */
public final class IdempotencyExecutorStress {
    private IdempotencyExecutorStress() {
    }

    @JCStressTest
    @Description("Two requests with the same key and body arrive at once. The work (a charge) runs "
            + "exactly once; the other request is told the key is in use (409) or replays the "
            + "first one's whole response. r1, r2: each request's outcome; r3: how many times the "
            + "work ran.")
    @Outcome(id = {"fresh-A, in-use, 1", "in-use, fresh-B, 1"}, expect = ACCEPTABLE,
            desc = "One ran the work; the other came while it ran and was rejected (409).")
    @Outcome(id = {"fresh-A, replayed-A, 1", "replayed-B, fresh-B, 1"}, expect = ACCEPTABLE,
            desc = "One ran the work; the other came after and replayed its response.")
    @Outcome(id = ".*, 2", expect = FORBIDDEN, desc = "The work ran twice: a double charge.")
    @Outcome(id = ".*replayed-torn.*", expect = FORBIDDEN, desc = "A torn response was replayed.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else.")
    @State
    public static class TwoRequestsOneKey {
        final Idempotency idempotency = InMemoryIdempotencyStore.builder().clock(new ManualClock()).build()
                .executor(IdempotencyPolicy.defaults());
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

    @JCStressTest
    @Description("Two requests with the same key, each with slow work: the work moves the store's "
            + "clock 61 s forward, past its 60 s lease. So whoever claims second may find the "
            + "first one's lease lapsed and take the key over. The executor must never let a "
            + "worker whose lease was taken over store its result over the new owner's: that "
            + "worker gets lease-lost and the stored response is the new owner's. r1, r2: each "
            + "request's outcome; r3: the record afterwards.")
    @Outcome(id = {"fresh-A, in-use, completed-A", "in-use, fresh-B, completed-B"}, expect = ACCEPTABLE,
            desc = "The second came while the first's lease was live: rejected (409).")
    @Outcome(id = {"fresh-A, replayed-A, completed-A", "replayed-B, fresh-B, completed-B"}, expect = ACCEPTABLE,
            desc = "The second came after the first completed: replayed.")
    @Outcome(id = {"lease-lost, fresh-B, completed-B", "fresh-A, lease-lost, completed-A"}, expect = ACCEPTABLE,
            desc = "The second took over the lapsed lease and completed; the slow first was fenced off (lease lost).")
    @Outcome(id = "fresh-A, fresh-B, .*", expect = FORBIDDEN, desc = "Both results accepted: two owners.")
    @Outcome(id = {"lease-lost, fresh-B, completed-A", "fresh-A, lease-lost, completed-B"}, expect = FORBIDDEN,
            desc = "The fenced-off worker's result is stored: it overwrote the new owner's.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else.")
    @State
    public static class SlowWorkerFencedAfterTakeover {
        final ManualClock clock = new ManualClock();
        final IdempotencyStore store = InMemoryIdempotencyStore.builder().clock(clock).build();
        final Idempotency idempotency = store.executor(IdempotencyPolicy.defaults());

        void slowWork() {
            clock.advance(Claims.PAST_LEASE);
        }

        @Actor
        public void requestA(LLL_Result r) {
            r.r1 = Requests.execute(idempotency, "A", this::slowWork);
        }

        @Actor
        public void requestB(LLL_Result r) {
            r.r2 = Requests.execute(idempotency, "B", this::slowWork);
        }

        @Arbiter
        public void after(LLL_Result r) {
            r.r3 = Claims.state(store);
        }
    }
}

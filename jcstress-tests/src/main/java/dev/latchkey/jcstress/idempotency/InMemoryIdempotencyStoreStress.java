package dev.latchkey.jcstress.idempotency;

import dev.latchkey.idempotency.memory.InMemoryIdempotencyStore;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.FenceOutcome;
import dev.latchkey.idempotency.spi.OwnerToken;
import dev.latchkey.jcstress.support.Claims;
import dev.latchkey.jcstress.support.ManualClock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;
import org.openjdk.jcstress.infra.results.LLL_Result;
import org.openjdk.jcstress.infra.results.LL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    jcstress tests of InMemoryIdempotencyStore (latchkey-core, dev.latchkey.idempotency).

    Every test builds a fresh store on a ManualClock, so lease and record expiry are decided by
    the test (the state's constructor moves the clock), never by how fast the machine runs.
    Results are words (claimed, took-over, replay-A, in-progress, completed-B...) so the report
    reads as a sentence; the workers A, B, C store responses that name them, and a response whose
    status, content type and body do not all belong to one worker reads "torn".

    How to run (from the repository root):
        ./mvnw -q -pl jcstress-tests -am package -DskipTests
        java -jar jcstress-tests/target/jcstress.jar -t InMemoryIdempotencyStoreStress
    Short mode, as CI runs it:
        java -jar jcstress-tests/target/jcstress.jar -t InMemoryIdempotencyStoreStress -m quick -sc false -iters 1
    The three-actor tests need 3 CPUs; on fewer, .ci/jcstress.sh runs them oversubscribed.
 */
public final class InMemoryIdempotencyStoreStress {
    private InMemoryIdempotencyStoreStress() {
    }

    /** A store on a clock of its own, with automatic purging as configured by default. */
    static InMemoryIdempotencyStore newStore(ManualClock clock) {
        return InMemoryIdempotencyStore.builder().clock(clock).build();
    }

    @JCStressTest
    @Description("Two requests claim the same absent key at once: exactly one gets it, the other "
            + "sees it in progress.")
    @Outcome(id = {"claimed, in-progress", "in-progress, claimed"}, expect = ACCEPTABLE,
            desc = "Exactly one claim acquired the key.")
    @Outcome(id = "claimed, claimed", expect = FORBIDDEN, desc = "Both acquired the key: the work would run twice.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (nobody acquired it, a replay of nothing, ...).")
    @State
    public static class TwoActorsClaimOneKey {
        final InMemoryIdempotencyStore store = newStore(new ManualClock());

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
    @Description("Three requests claim the same absent key at once: exactly one gets it, the two "
            + "others see it in progress.")
    @Outcome(id = {"claimed, in-progress, in-progress", "in-progress, claimed, in-progress",
            "in-progress, in-progress, claimed"}, expect = ACCEPTABLE, desc = "Exactly one claim acquired the key.")
    @Outcome(id = {"claimed, claimed, .*", "claimed, .*, claimed", ".*, claimed, claimed"}, expect = FORBIDDEN,
            desc = "Two or three acquired the key: the work would run more than once.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (nobody acquired it, ...).")
    @State
    public static class ThreeActorsClaimOneKey {
        final InMemoryIdempotencyStore store = newStore(new ManualClock());

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
    @Description("A first owner claimed the key and went silent past its lease (the clock moved "
            + "61 s on a 60 s lease, the record itself is still live). Two retries claim at once: "
            + "exactly one takes the lapsed lease over, the other sees the new owner in progress.")
    @Outcome(id = {"took-over, in-progress", "in-progress, took-over"}, expect = ACCEPTABLE,
            desc = "Exactly one retry took the lapsed lease over.")
    @Outcome(id = "took-over, took-over", expect = FORBIDDEN,
            desc = "Both took the lease over: two owners, the work would run twice.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (a fresh claim of a live record, nobody took over, ...).")
    @State
    public static class TwoActorsTakeOverLapsedLease {
        final ManualClock clock = new ManualClock();
        final InMemoryIdempotencyStore store = newStore(clock);

        public TwoActorsTakeOverLapsedLease() {
            Claims.claim(store);
            clock.advance(Claims.PAST_LEASE);
        }

        @Actor
        public void retryB(LL_Result r) {
            r.r1 = Claims.name(Claims.claim(store));
        }

        @Actor
        public void retryC(LL_Result r) {
            r.r2 = Claims.name(Claims.claim(store));
        }
    }

    @JCStressTest
    @Description("Worker A claimed the key and its lease lapsed (clock +61 s on a 60 s lease). Now A "
            + "finally completes with its response while a retry B claims the key and, if it gets "
            + "it, completes with its own. Whatever the order, the stored result is the one of the "
            + "owner that held the key when completing: a stale owner never overwrites a new owner. "
            + "r1: A's completion; r2: B's claim and, if claimed, B's completion; r3: the record afterwards.")
    @Outcome(id = "applied, replay-A, completed-A", expect = ACCEPTABLE,
            desc = "A completed before anybody took over (a lapsed lease still counts while nobody "
                    + "claims); B replays A's response.")
    @Outcome(id = "lost, took-over-applied, completed-B", expect = ACCEPTABLE,
            desc = "B took the lease over first; A's late completion was fenced off (lease lost).")
    @Outcome(id = "applied, took-over-.*", expect = FORBIDDEN,
            desc = "A completed although B had taken the key over: two owners.")
    @Outcome(id = ".*, completed-A", expect = FORBIDDEN,
            desc = "The stale owner's result is stored although B took over: overwritten result.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else.")
    @State
    public static class StaleOwnerCompletesDuringTakeover {
        final ManualClock clock = new ManualClock();
        final InMemoryIdempotencyStore store = newStore(clock);
        final OwnerToken ownerA;

        public StaleOwnerCompletesDuringTakeover() {
            ownerA = ((ClaimResult.Claimed) Claims.claim(store)).owner();
            clock.advance(Claims.PAST_LEASE);
        }

        @Actor
        public void staleOwnerA(LLL_Result r) {
            r.r1 = fence(store.complete(Claims.KEY, ownerA, Claims.response("A"), Claims.RETENTION));
        }

        @Actor
        public void retryB(LLL_Result r) {
            r.r2 = claimAndComplete(store, "B");
        }

        @Arbiter
        public void after(LLL_Result r) {
            r.r3 = Claims.state(store);
        }
    }

    @JCStressTest
    @Description("As StaleOwnerCompletesDuringTakeover, with two retries B and C racing the stale "
            + "owner A: at most one of them takes over, the other waits for it or replays it, and "
            + "the stored result is the one of the owner that held the key. r1: A's completion; r2, "
            + "r3: B's and C's claim (and completion if claimed); r4: the record afterwards.")
    @Outcome(id = "applied, replay-A, replay-A, completed-A", expect = ACCEPTABLE,
            desc = "A completed before any takeover; B and C replay A.")
    @Outcome(id = {"lost, took-over-applied, in-progress, completed-B", "lost, took-over-applied, replay-B, completed-B"},
            expect = ACCEPTABLE, desc = "B took over first; C saw B in progress or replays B; A was fenced off.")
    @Outcome(id = {"lost, in-progress, took-over-applied, completed-C", "lost, replay-C, took-over-applied, completed-C"},
            expect = ACCEPTABLE, desc = "C took over first; B saw C in progress or replays C; A was fenced off.")
    @Outcome(id = {".*, took-over-.*, took-over-.*, .*", "applied, .*took-over.*"}, expect = FORBIDDEN,
            desc = "Two owners at once (two takeovers, or A completed after a takeover).")
    @Outcome(id = {".*took-over-applied.*, completed-A"}, expect = FORBIDDEN,
            desc = "The stale owner's result is stored although the key was taken over: overwritten result.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else.")
    @State
    public static class StaleOwnerVsTwoRetries {
        final ManualClock clock = new ManualClock();
        final InMemoryIdempotencyStore store = newStore(clock);
        final OwnerToken ownerA;

        public StaleOwnerVsTwoRetries() {
            ownerA = ((ClaimResult.Claimed) Claims.claim(store)).owner();
            clock.advance(Claims.PAST_LEASE);
        }

        @Actor
        public void staleOwnerA(LLLL_Result r) {
            r.r1 = fence(store.complete(Claims.KEY, ownerA, Claims.response("A"), Claims.RETENTION));
        }

        @Actor
        public void retryB(LLLL_Result r) {
            r.r2 = claimAndComplete(store, "B");
        }

        @Actor
        public void retryC(LLLL_Result r) {
            r.r3 = claimAndComplete(store, "C");
        }

        @Arbiter
        public void after(LLLL_Result r) {
            r.r4 = Claims.state(store);
        }
    }

    @JCStressTest
    @Description("Worker A holds the key and completes it while a reader looks the key up with find(). "
            + "A reader that sees COMPLETED must see the whole stored response (status, content type "
            + "and body of A's response), never a completed record with a missing or torn response.")
    @Outcome(id = "applied, in-progress", expect = ACCEPTABLE, desc = "The reader came before the completion.")
    @Outcome(id = "applied, completed-A", expect = ACCEPTABLE, desc = "The reader saw the whole response.")
    @Outcome(id = {".*, completed-torn", ".*, completed-without-response"}, expect = FORBIDDEN,
            desc = "COMPLETED seen with a torn or missing response: unsafe publication.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (the record vanished, the completion was refused, ...).")
    @State
    public static class ReplayVisibilityThroughFind {
        final InMemoryIdempotencyStore store = newStore(new ManualClock());
        final OwnerToken ownerA = ((ClaimResult.Claimed) Claims.claim(store)).owner();

        @Actor
        public void ownerCompletes(LL_Result r) {
            r.r1 = fence(store.complete(Claims.KEY, ownerA, Claims.response("A"), Claims.RETENTION));
        }

        @Actor
        public void reader(LL_Result r) {
            r.r2 = Claims.state(store);
        }
    }

    @JCStressTest
    @Description("Worker A holds the key and completes it while a duplicate request claims it: the "
            + "duplicate either sees A in progress or replays A's whole response.")
    @Outcome(id = "applied, in-progress", expect = ACCEPTABLE, desc = "The duplicate came before the completion.")
    @Outcome(id = "applied, replay-A", expect = ACCEPTABLE, desc = "The duplicate replays the whole response.")
    @Outcome(id = ".*, replay-torn", expect = FORBIDDEN, desc = "A torn response was replayed: unsafe publication.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (the duplicate acquired the key, ...).")
    @State
    public static class ReplayVisibilityThroughClaim {
        final InMemoryIdempotencyStore store = newStore(new ManualClock());
        final OwnerToken ownerA = ((ClaimResult.Claimed) Claims.claim(store)).owner();

        @Actor
        public void ownerCompletes(LL_Result r) {
            r.r1 = fence(store.complete(Claims.KEY, ownerA, Claims.response("A"), Claims.RETENTION));
        }

        @Actor
        public void duplicate(LL_Result r) {
            r.r2 = Claims.name(Claims.claim(store));
        }
    }

    @JCStressTest
    @Description("An old completed record has expired (clock +1 h 1 s on a 1 h retention) but is "
            + "not purged yet. A purge sweep runs while a new request claims the key (an expired "
            + "record counts as absent). The purge may delete the expired record, but never the new "
            + "claim. r1: records purged; r2: the claim; r3: the record afterwards.")
    @Outcome(id = "1, claimed, held-by-new-owner", expect = ACCEPTABLE,
            desc = "The purge deleted the expired record, then the request claimed the absent key.")
    @Outcome(id = "0, claimed, held-by-new-owner", expect = ACCEPTABLE,
            desc = "The request replaced the expired record first; the purge re-checked and kept it.")
    @Outcome(id = ".*, claimed, absent", expect = FORBIDDEN,
            desc = "The purge deleted the new, live claim: its owner's completion would be lost.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (the expired record replayed, ...).")
    @State
    public static class PurgeRacesClaim {
        final ManualClock clock = new ManualClock();
        final InMemoryIdempotencyStore store = newStore(clock);
        /** Written by the claiming actor, read by the arbiter (jcstress orders them). */
        OwnerToken newOwner;

        public PurgeRacesClaim() {
            OwnerToken old = ((ClaimResult.Claimed) Claims.claim(store)).owner();
            store.complete(Claims.KEY, old, Claims.response("old"), Claims.RETENTION);
            clock.advance(Claims.PAST_RETENTION);
        }

        @Actor
        public void purge(LLL_Result r) {
            r.r1 = store.purgeExpired(10);
        }

        @Actor
        public void newRequest(LLL_Result r) {
            ClaimResult c = Claims.claim(store);
            if (c instanceof ClaimResult.Claimed) {
                newOwner = ((ClaimResult.Claimed) c).owner();
            }
            r.r2 = Claims.name(c);
        }

        @Arbiter
        public void after(LLL_Result r) {
            r.r3 = store.find(Claims.KEY)
                    .map(rec -> rec.owner().equals(newOwner) ? "held-by-new-owner" : "held-by-another-owner")
                    .orElse("absent");
        }
    }

    /** {@code applied} or {@code lost}. */
    static String fence(FenceOutcome o) {
        return o == FenceOutcome.APPLIED ? "applied" : "lost";
    }

    /**
     * Claims the key as the named worker and, when it gets it, completes it with its response:
     * {@code claimed-applied}, {@code took-over-lost}, or the claim's name when not claimed.
     */
    static String claimAndComplete(InMemoryIdempotencyStore store, String worker) {
        ClaimResult c = Claims.claim(store);
        if (!(c instanceof ClaimResult.Claimed)) {
            return Claims.name(c);
        }
        OwnerToken owner = ((ClaimResult.Claimed) c).owner();
        return Claims.name(c) + "-" + fence(store.complete(Claims.KEY, owner, Claims.response(worker), Claims.RETENTION));
    }
}

package dev.latchkey.jcstress.broken;

import java.util.concurrent.ConcurrentHashMap;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    Deliberately broken: proves the harness bites. EXPECTED TO FAIL; excluded from CI.

    How to run:
        ./mvnw -q -pl jcstress-tests -am package -DskipTests
        java -jar jcstress-tests/target/jcstress.jar -t BrokenCheckThenPutClaim -m quick
 */
public final class BrokenCheckThenPutClaim {
    private BrokenCheckThenPutClaim() {
    }

    @JCStressTest
    @Description("Two actors claim one key with a plain check-then-put (get, then put) on a "
            + "ConcurrentHashMap. Each map call is atomic but the pair is not, so both can see the key "
            + "absent and both believe they own it. This is what the atomic claim prevents.")
    @Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "Exactly one actor acquired the key.")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Both actors acquired the key: duplicate execution.")
    @Outcome(expect = FORBIDDEN, desc = "Nobody acquired the key, or anything else.")
    @State
    public static class TwoActorsClaimOneKey {
        private final ConcurrentHashMap<String, String> owners = new ConcurrentHashMap<>();

        boolean claim(String key, String owner) {
            if (owners.get(key) == null) {
                owners.put(key, owner);
                return true;
            }
            return false;
        }

        @Actor
        public void actor1(II_Result r) {
            r.r1 = claim("k", "owner-1") ? 1 : 0;
        }

        @Actor
        public void actor2(II_Result r) {
            r.r2 = claim("k", "owner-2") ? 1 : 0;
        }
    }

    @JCStressTest
    @Description("Three actors claim one key with the same plain check-then-put. More claimants "
            + "widen the window: two or three of them can believe they own the key.")
    @Outcome(id = {"1, 0, 0", "0, 1, 0", "0, 0, 1"}, expect = ACCEPTABLE, desc = "Exactly one actor acquired the key.")
    @Outcome(id = {"1, 1, 0", "1, 0, 1", "0, 1, 1", "1, 1, 1"}, expect = FORBIDDEN,
            desc = "Two or three actors acquired the key: duplicate execution.")
    @Outcome(expect = FORBIDDEN, desc = "Nobody acquired the key, or anything else.")
    @State
    public static class ThreeActorsClaimOneKey {
        private final ConcurrentHashMap<String, String> owners = new ConcurrentHashMap<>();

        boolean claim(String key, String owner) {
            if (owners.get(key) == null) {
                owners.put(key, owner);
                return true;
            }
            return false;
        }

        @Actor
        public void actor1(III_Result r) {
            r.r1 = claim("k", "owner-1") ? 1 : 0;
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = claim("k", "owner-2") ? 1 : 0;
        }

        @Actor
        public void actor3(III_Result r) {
            r.r3 = claim("k", "owner-3") ? 1 : 0;
        }
    }
}

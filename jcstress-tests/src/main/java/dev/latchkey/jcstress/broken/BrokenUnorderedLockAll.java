package dev.latchkey.jcstress.broken;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    DELIBERATELY BROKEN, EXPECTED TO FAIL: proves the termination test bites. Excluded from the CI
    run of the real tests; `.ci/jcstress.sh broken` runs it and passes only if it FAILS.

    The same test as KeyedLocksStress.OppositeOrderLockAllTerminates, against UnorderedKeyedLocks,
    which takes the keys in the order the caller gives. The signal allows 1 s instead of 10 s so
    that each deadlock costs less time.

    How to run (from the repository root):
        ./mvnw -q -pl jcstress-tests -am package -DskipTests
        java -jar jcstress-tests/target/jcstress.jar -t BrokenUnorderedLockAll -m quick -sc false -iters 1
 */
public final class BrokenUnorderedLockAll {
    private BrokenUnorderedLockAll() {
    }

    @JCStressTest(Mode.Termination)
    @Description("BROKEN ON PURPOSE. The actor locks [b, a], the signal [a, b], 1000 times each, on "
            + "locks that take keys in the order given.")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The actor got both keys every time and finished.")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "The actor never finished: deadlock.")
    @Outcome(expect = FORBIDDEN, desc = "ERROR: the signal could not get both keys in 1 s (deadlock), or anything else.")
    @State
    public static class OppositeOrderLockAllTerminates {
        final UnorderedKeyedLocks locks = new UnorderedKeyedLocks();
        /** Volatile: the signal's start, which the actor waits for so that the two really overlap. */
        volatile boolean go;

        @Actor
        public void actor() {
            while (!go) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < 1000; i++) {
                try {
                    UnorderedKeyedLocks.unlockAll(locks.lockAll(List.of("b", "a")));
                } catch (InterruptedException e) {
                    throw new IllegalStateException("interrupted while locking [b, a]", e);
                }
            }
        }

        @Signal
        public void signal() {
            go = true;
            for (int i = 0; i < 1000; i++) {
                List<ReentrantLock> held;
                try {
                    held = locks.tryLockAll(List.of("a", "b"), Duration.ofSeconds(1))
                            .orElseThrow(() -> new IllegalStateException("could not lock [a, b] in 1 s: deadlock"));
                } catch (InterruptedException e) {
                    throw new IllegalStateException("interrupted while locking [a, b]", e);
                }
                UnorderedKeyedLocks.unlockAll(held);
            }
        }
    }
}

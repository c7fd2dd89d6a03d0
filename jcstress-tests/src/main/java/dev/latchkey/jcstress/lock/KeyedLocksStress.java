package dev.latchkey.jcstress.lock;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.latchkey.lock.KeyedLocks;
import dev.latchkey.lock.LockedKeys;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/*
    jcstress tests of KeyedLocks (latchkey-core, dev.latchkey.lock): per-key mutual exclusion,
    reference-counted lock entries that are removed when the last user leaves, ordered
    multi-key acquisition.

    Fields written inside a critical section are plain on purpose: only the lock orders them.
    An actor that gets InterruptedException (never expected) records -1, which no outcome
    accepts. The last number of most results is activeKeys() after both actors: it must be 0,
    or the memory bound is broken (an entry leaked).

    How to run (from the repository root):
        ./mvnw -q -pl jcstress-tests -am package -DskipTests
        java -jar jcstress-tests/target/jcstress.jar -t KeyedLocksStress
    Short mode, as CI runs it:
        java -jar jcstress-tests/target/jcstress.jar -t KeyedLocksStress -m quick -sc false -iters 1
    CleanupRacesTwoAcquirers has three actors and needs 3 CPUs; on fewer, .ci/jcstress.sh runs
    it oversubscribed.
 */
@SuppressWarnings("try") // a held lock is the point of its try-with-resources, not a value used inside
public final class KeyedLocksStress {
    private KeyedLocksStress() {
    }

    private static final String KEY = "k";
    private static final String A = "a";
    private static final String B = "b";
    /** How many times each side of a termination test locks the keys. */
    private static final int ROUNDS = 1000;

    @JCStressTest
    @Description("Two threads lock the same key and, inside, read a plain counter and write it back "
            + "plus one. r1, r2: the value each saw; r3: the counter afterwards; r4: activeKeys().")
    @Outcome(id = {"0, 1, 2, 0", "1, 0, 2, 0"}, expect = ACCEPTABLE,
            desc = "One after the other: the second saw the first's write.")
    @Outcome(id = "0, 0, .*", expect = FORBIDDEN,
            desc = "Both saw 0: both were inside at once, or the second did not see the first's write.")
    @Outcome(id = ".*, [1-9][0-9]*", expect = FORBIDDEN, desc = "A lock entry outlived its last user (memory leak).")
    @Outcome(expect = FORBIDDEN, desc = "Anything else.")
    @State
    public static class MutualExclusionOneKey {
        final KeyedLocks<String> locks = KeyedLocks.create();
        /** Plain: guarded by the lock of KEY. */
        int counter;

        int increment() {
            try (LockedKeys<String> held = locks.lock(KEY)) {
                int seen = counter;
                counter = seen + 1;
                return seen;
            } catch (InterruptedException e) {
                return -1;
            }
        }

        @Actor
        public void thread1(IIII_Result r) {
            r.r1 = increment();
        }

        @Actor
        public void thread2(IIII_Result r) {
            r.r2 = increment();
        }

        @Arbiter
        public void after(IIII_Result r) {
            r.r3 = counter;
            r.r4 = locks.activeKeys();
        }
    }

    @JCStressTest
    @Description("Two threads try to lock two different keys without waiting, at the same time. "
            + "Different keys never wait for each other, so both always succeed. r1, r2: 1 if the "
            + "tryLock succeeded; r3: activeKeys() afterwards.")
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "Both keys locked: independent.")
    @Outcome(id = {"0, .*", ".*, 0, .*"}, expect = FORBIDDEN,
            desc = "A free key was refused because another key was held: keys are not independent.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (a leaked entry, ...).")
    @State
    public static class DifferentKeysIndependent {
        final KeyedLocks<String> locks = KeyedLocks.create();

        int tryAndRelease(String key) {
            Optional<LockedKeys<String>> held = locks.tryLock(key);
            held.ifPresent(LockedKeys::close);
            return held.isPresent() ? 1 : 0;
        }

        @Actor
        public void thread1(III_Result r) {
            r.r1 = tryAndRelease(A);
        }

        @Actor
        public void thread2(III_Result r) {
            r.r2 = tryAndRelease(B);
        }

        @Arbiter
        public void after(III_Result r) {
            r.r3 = locks.activeKeys();
        }
    }

    @JCStressTest
    @Description("Two threads lock the keys {a, b} with lockAll, one passing them as [a, b], the other "
            + "as [b, a], and inside read both plain counters and increment them. lockAll takes keys "
            + "in one global order, so this cannot deadlock: if it did, the actors would never "
            + "return and jcstress would report this test as an ERROR (timeout waiting for tasks). "
            + "r1, r2: what each saw as 10 * a + b; r3: 10 * a + b afterwards; r4: activeKeys().")
    @Outcome(id = {"0, 11, 22, 0", "11, 0, 22, 0"}, expect = ACCEPTABLE,
            desc = "One after the other, each holding both keys.")
    @Outcome(id = {"(1|10), .*", ".*, (1|10), .*"}, expect = FORBIDDEN,
            desc = "Saw one key's counter incremented but not the other's: the keys were not held together.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (both inside at once, a leaked entry, ...).")
    @State
    public static class OppositeOrderLockAll {
        final KeyedLocks<String> locks = KeyedLocks.create();
        /** Plain: guarded by the lock of A. */
        int a;
        /** Plain: guarded by the lock of B. */
        int b;

        int incrementBoth(List<String> keys) {
            try (LockedKeys<String> held = locks.lockAll(keys)) {
                int seen = 10 * a + b;
                a++;
                b++;
                return seen;
            } catch (InterruptedException e) {
                return -1;
            }
        }

        @Actor
        public void inOrder(IIII_Result r) {
            r.r1 = incrementBoth(List.of(A, B));
        }

        @Actor
        public void reversed(IIII_Result r) {
            r.r2 = incrementBoth(List.of(B, A));
        }

        @Arbiter
        public void after(IIII_Result r) {
            r.r3 = 10 * a + b;
            r.r4 = locks.activeKeys();
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("Blocking shown directly. The actor waits for the signal to start, then locks "
            + "{a, b} passed as [b, a] and unlocks, " + ROUNDS + " times, each time waiting as long "
            + "as it takes; meanwhile the signal does the same with [a, b], allowing 10 s each "
            + "time (so that a deadlock cannot hang the harness). Taking the keys in one global "
            + "order, both finish. Taking them in the order given, they would sooner or later each "
            + "hold one key and wait for the other: the signal would give up after 10 s and fail "
            + "(ERROR), or the actor would stay blocked (STALE).")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The actor got both keys every time and finished.")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "The actor never finished: deadlock.")
    @Outcome(expect = FORBIDDEN, desc = "ERROR: the signal could not get both keys in 10 s (deadlock), or anything else.")
    @State
    public static class OppositeOrderLockAllTerminates {
        final KeyedLocks<String> locks = KeyedLocks.create();
        /** Volatile: the signal's start, which the actor waits for so that the two really overlap. */
        volatile boolean go;

        @Actor
        public void actor() {
            while (!go) {
                Thread.onSpinWait();
            }
            for (int i = 0; i < ROUNDS; i++) {
                try (LockedKeys<String> held = locks.lockAll(List.of(B, A))) {
                    Thread.onSpinWait();
                } catch (InterruptedException e) {
                    throw new IllegalStateException("interrupted while locking [b, a]", e);
                }
            }
        }

        @Signal
        public void signal() {
            go = true;
            for (int i = 0; i < ROUNDS; i++) {
                Optional<LockedKeys<String>> held;
                try {
                    held = locks.tryLockAll(List.of(A, B), Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    throw new IllegalStateException("interrupted while locking [a, b]", e);
                }
                held.orElseThrow(() -> new IllegalStateException("could not lock [a, b] in 10 s: deadlock")).close();
            }
        }
    }

    @JCStressTest
    @Description("One thread locks the key and writes two plain fields x then y inside; another "
            + "tries to lock the key without waiting and, if it gets it, reads y then x. Unlocking "
            + "happens-before the next lock of the key, so the reader sees both writes or neither. "
            + "r1, r2: y and x as read, or -1, -1 when the key was busy; r3: activeKeys() afterwards.")
    @Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "The reader locked the key first.")
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "The reader locked the key after the writer released it.")
    @Outcome(id = "-1, -1, 0", expect = ACCEPTABLE, desc = "The key was busy: the reader did not get it.")
    @Outcome(id = {"1, 0, .*", "0, 1, .*"}, expect = FORBIDDEN,
            desc = "Half of the critical section seen: two holders at once, or release did not publish the writes.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (a leaked entry, ...).")
    @State
    public static class ReleaseRacesAcquire {
        final KeyedLocks<String> locks = KeyedLocks.create();
        /** Plain: guarded by the lock of KEY. */
        int x;
        /** Plain: guarded by the lock of KEY. */
        int y;

        @Actor
        public void writer(III_Result r) {
            try (LockedKeys<String> held = locks.lock(KEY)) {
                x = 1;
                y = 1;
            } catch (InterruptedException e) {
                r.r3 = -1;
            }
        }

        @Actor
        public void reader(III_Result r) {
            Optional<LockedKeys<String>> held = locks.tryLock(KEY);
            if (held.isEmpty()) {
                r.r1 = -1;
                r.r2 = -1;
                return;
            }
            try (LockedKeys<String> h = held.get()) {
                r.r1 = y;
                r.r2 = x;
            }
        }

        @Arbiter
        public void after(III_Result r) {
            r.r3 = r.r3 == -1 ? -1 : locks.activeKeys();
        }
    }

    @JCStressTest
    @Description("The memory-bounding cleanup (the last user of a key removes its entry) racing with "
            + "a new acquisition of the same key: two threads each lock the key, check with "
            + "isLocked() that while they hold it the table's entry for the key is there and locked, "
            + "and unlock. If cleanup removed an entry still in use, a newcomer would create a "
            + "second lock for a held key. (activeKeys() is not checked inside: ConcurrentHashMap "
            + "counts lag behind removals by other threads, it is a monitoring figure.) r1, r2: 1 "
            + "if the check passed; r3: activeKeys() afterwards, exact once both finished (0: the "
            + "cleanup did run).")
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "Entry present while held, removed after the last user.")
    @Outcome(id = {"0, .*", ".*, 0, .*"}, expect = FORBIDDEN,
            desc = "A holder's key was missing from the table or not locked: cleanup removed an entry in use.")
    @Outcome(id = ".*, [1-9][0-9]*", expect = FORBIDDEN, desc = "An entry outlived its last user (memory leak).")
    @Outcome(expect = FORBIDDEN, desc = "Anything else.")
    @State
    public static class CleanupRacesAcquire {
        final KeyedLocks<String> locks = KeyedLocks.create();

        int lockAndCheck() {
            try (LockedKeys<String> held = locks.lock(KEY)) {
                return locks.isLocked(KEY) ? 1 : 0;
            } catch (InterruptedException e) {
                return -1;
            }
        }

        @Actor
        public void thread1(III_Result r) {
            r.r1 = lockAndCheck();
        }

        @Actor
        public void thread2(III_Result r) {
            r.r2 = lockAndCheck();
        }

        @Arbiter
        public void after(III_Result r) {
            r.r3 = locks.activeKeys();
        }
    }

    @JCStressTest
    @Description("Cleanup racing with two newcomers: three threads lock the same key, increment a "
            + "plain counter inside and unlock, so entries are removed and re-created while others "
            + "arrive. The classic bug (remove the entry while a newcomer already has it, and a "
            + "third creates a fresh one) gives two holders at once. r1..r3: the value each saw; "
            + "r4: activeKeys() afterwards.")
    @Outcome(id = {"0, 1, 2, 0", "0, 2, 1, 0", "1, 0, 2, 0", "1, 2, 0, 0", "2, 0, 1, 0", "2, 1, 0, 0"},
            expect = ACCEPTABLE, desc = "One at a time, each saw the previous holder's write.")
    @Outcome(id = {"(.), \\1, .*", "(.), ., \\1, .*", "., (.), \\1, .*"}, expect = FORBIDDEN,
            desc = "Two threads saw the same value: two holders at once (or a write not seen).")
    @Outcome(expect = FORBIDDEN, desc = "Anything else (a leaked entry, ...).")
    @State
    public static class CleanupRacesTwoAcquirers {
        final KeyedLocks<String> locks = KeyedLocks.create();
        /** Plain: guarded by the lock of KEY. */
        int counter;

        int increment() {
            try (LockedKeys<String> held = locks.lock(KEY)) {
                int seen = counter;
                counter = seen + 1;
                return seen;
            } catch (InterruptedException e) {
                return -1;
            }
        }

        @Actor
        public void thread1(IIII_Result r) {
            r.r1 = increment();
        }

        @Actor
        public void thread2(IIII_Result r) {
            r.r2 = increment();
        }

        @Actor
        public void thread3(IIII_Result r) {
            r.r3 = increment();
        }

        @Arbiter
        public void after(IIII_Result r) {
            r.r4 = locks.activeKeys();
        }
    }
}

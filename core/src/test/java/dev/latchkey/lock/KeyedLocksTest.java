package dev.latchkey.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // try-with-resources on a lock handle whose body does not mention it is the idiom
class KeyedLocksTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "keyed-locks-test");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void shutDown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aHeldKeyCannotBeTakenByAnotherThreadUntilClosed() throws Exception {
        KeyedLocks<String> locks = KeyedLocks.create();
        try (LockedKeys<String> held = locks.lock("a")) {
            assertThat(held.keys()).containsExactly("a");
            assertThat(held.isHeld()).isTrue();
            assertThat(locks.isLocked("a")).isTrue();
            assertThat(onOtherThread(() -> tryAndClose(locks, "a"))).isFalse();
            assertThat(onOtherThread(() -> tryAndClose(locks, "b"))).isTrue();
        }
        assertThat(locks.isLocked("a")).isFalse();
        assertThat(onOtherThread(() -> tryAndClose(locks, "a"))).isTrue();
        assertThat(locks.activeKeys()).isZero();
    }

    @Test
    void theHoldingThreadMayLockItsKeyAgain() throws Exception {
        KeyedLocks<String> locks = KeyedLocks.create();
        try (LockedKeys<String> outer = locks.lock("a")) {
            LockedKeys<String> inner = locks.lock("a");
            assertThat(inner.isHeld()).isTrue();
            inner.close();
            assertThat(outer.isHeld()).isTrue();
            assertThat(onOtherThread(() -> tryAndClose(locks, "a"))).as("outer hold remains").isFalse();
        }
        assertThat(locks.activeKeys()).isZero();
    }

    @Test
    void aTimedTryGivesUpAndLeavesNoEntryBehind() throws Exception {
        KeyedLocks<String> locks = KeyedLocks.create();
        try (LockedKeys<String> held = locks.lock("a")) {
            Optional<LockedKeys<String>> other = pool.submit(() -> locks.tryLock("a", Duration.ofMillis(30))).get();
            assertThat(other).isEmpty();
            assertThat(locks.activeKeys()).isEqualTo(1);
        }
        assertThat(locks.activeKeys()).isZero();
    }

    @Test
    void aTimedTrySucceedsWhenTheHolderLetsGoInTime() throws Exception {
        KeyedLocks<String> locks = KeyedLocks.create();
        CountDownLatch waiting = new CountDownLatch(1);
        LockedKeys<String> held = locks.lock("a");
        Future<Boolean> waiter = pool.submit(() -> {
            waiting.countDown();
            Optional<LockedKeys<String>> got = locks.tryLock("a", Duration.ofSeconds(30));
            got.ifPresent(LockedKeys::close);
            return got.isPresent();
        });
        waiting.await();
        held.close();
        assertThat(waiter.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(locks.activeKeys()).isZero();
    }

    @Test
    void anInterruptedWaiterHoldsNothing() throws Exception {
        KeyedLocks<String> locks = KeyedLocks.create();
        try (LockedKeys<String> held = locks.lockAll(List.of("b", "c"))) {
            AtomicInteger interrupted = new AtomicInteger();
            Thread waiter = new Thread(() -> {
                try {
                    locks.lockAll(List.of("c", "a")).close(); // takes "a", then waits for "c"
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                }
            });
            waiter.setDaemon(true);
            waiter.start();
            long giveUp = System.nanoTime() + HANG_GUARD.toNanos();
            while (!(locks.isLocked("a") && waiter.getState() == Thread.State.WAITING)) {
                assertThat(System.nanoTime()).as("waiter never blocked on c").isLessThan(giveUp);
                Thread.sleep(1);
            }
            waiter.interrupt();
            waiter.join(HANG_GUARD.toMillis());
            assertThat(interrupted).hasValue(1);
            assertThat(locks.isLocked("a")).as("a released when the wait for c was interrupted").isFalse();
            assertThat(locks.activeKeys()).isEqualTo(2);
        }
        assertThat(locks.activeKeys()).isZero();
    }

    @Test
    void onlyTheAcquiringThreadMayClose() throws Exception {
        KeyedLocks<String> locks = KeyedLocks.create();
        LockedKeys<String> held = locks.lock("a");
        Throwable failure = pool.submit(() -> {
            try {
                held.close();
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        }).get();
        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("keys [a] were locked by thread ");
        assertThat(locks.isLocked("a")).isTrue();
        held.close();
        held.close();
        assertThat(held.isHeld()).isFalse();
        assertThat(locks.activeKeys()).isZero();
    }

    @Test
    void lockAllTakesKeysSortedAndDistinct() throws Exception {
        KeyedLocks<Integer> locks = KeyedLocks.create();
        try (LockedKeys<Integer> held = locks.lockAll(List.of(5, 1, 3, 1, 5))) {
            assertThat(held.keys()).containsExactly(1, 3, 5);
            assertThat(locks.activeKeys()).isEqualTo(3);
        }
        KeyedLocks<Integer> reversed = KeyedLocks.create(Comparator.<Integer>reverseOrder());
        try (LockedKeys<Integer> held = reversed.lockAll(List.of(5, 1, 3))) {
            assertThat(held.keys()).containsExactly(5, 3, 1);
        }
        try (LockedKeys<Integer> none = locks.lockAll(List.of())) {
            assertThat(none.keys()).isEmpty();
        }
        assertThat(locks.activeKeys()).isZero();
        assertThat(reversed.activeKeys()).isZero();
    }

    @Test
    void tryLockAllIsAllOrNothing() throws Exception {
        KeyedLocks<String> locks = KeyedLocks.create();
        try (LockedKeys<String> held = locks.lock("c")) {
            assertThat(pool.submit(() -> locks.tryLockAll(List.of("a", "b", "c", "d"))).get()).isEmpty();
            assertThat(pool.submit(() -> locks.tryLockAll(List.of("a", "b", "c"), Duration.ofMillis(20))).get())
                    .isEmpty();
            assertThat(locks.isLocked("a")).isFalse();
            assertThat(locks.isLocked("b")).isFalse();
            assertThat(locks.activeKeys()).isEqualTo(1);
            assertThat(pool.submit(() -> {
                Optional<LockedKeys<String>> got = locks.tryLockAll(List.of("a", "b"));
                got.ifPresent(LockedKeys::close);
                return got.isPresent();
            }).get()).isTrue();
        }
        assertThat(locks.activeKeys()).isZero();
    }

    @Test
    void aMultiKeyTimeoutIsOneDeadlineOnTheInjectedClock() throws Exception {
        AtomicLong now = new AtomicLong();
        // every reading of the injected clock advances it by two hours, so a one-hour deadline has
        // passed before the first key: a held key must then be tried without waiting (on the real
        // clock the call would wait an hour and trip the hang guard)
        KeyedLocks<String> locks = KeyedLocks.<String>builder(Comparator.naturalOrder())
                .nanoClock(() -> now.getAndAdd(TimeUnit.HOURS.toNanos(2))).build();
        try (LockedKeys<String> held = locks.lock("b")) {
            Optional<LockedKeys<String>> got = assertTimeoutPreemptively(HANG_GUARD,
                    () -> pool.submit(() -> locks.tryLockAll(List.of("a", "b"), Duration.ofHours(1))).get());
            assertThat(got).isEmpty();
            assertThat(locks.isLocked("a")).isFalse();
            assertThat(locks.activeKeys()).isEqualTo(1);
        }
        Optional<LockedKeys<String>> free = locks.tryLockAll(List.of("a", "b"), Duration.ofHours(1));
        assertThat(free).as("free keys are taken even after the deadline passed").isPresent();
        free.get().close();
        assertThat(locks.activeKeys()).isZero();
    }

    @Test
    void oppositeOrderManualLockingDeadlocksButLockAllDoesNot() throws Exception {
        KeyedLocks<String> locks = KeyedLocks.create();
        // control: each thread holds its first key and waits for the other's: a deadlock, broken
        // here only by the timeout
        CyclicBarrier bothHoldOne = new CyclicBarrier(2);
        Future<Boolean> ab = pool.submit(() -> lockInTurn(locks, "a", "b", bothHoldOne));
        Future<Boolean> ba = pool.submit(() -> lockInTurn(locks, "b", "a", bothHoldOne));
        assertThat(ab.get()).as("a then b got b").isFalse();
        assertThat(ba.get()).as("b then a got a").isFalse();
        assertThat(locks.activeKeys()).isZero();

        // the same two orders through lockAll: never stuck
        int rounds = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        Future<Integer> first = pool.submit(() -> lockAllRounds(locks, List.of("a", "b"), rounds, start));
        Future<Integer> second = pool.submit(() -> lockAllRounds(locks, List.of("b", "a"), rounds, start));
        start.countDown();
        assertThat(first.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS)).isEqualTo(rounds);
        assertThat(second.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS)).isEqualTo(rounds);
        assertThat(locks.activeKeys()).isZero();
    }

    @Test
    void threadsLockingRandomOverlappingSetsExcludeEachOtherAndFinish() throws Exception {
        KeyedLocks<Integer> locks = KeyedLocks.create();
        int keys = 12;
        int threads = 8;
        int iterations = 5_000;
        long[] counters = new long[keys]; // plain on purpose: only the key locks protect them
        AtomicInteger[] inside = new AtomicInteger[keys];
        for (int k = 0; k < keys; k++) {
            inside[k] = new AtomicInteger();
        }
        AtomicInteger overlaps = new AtomicInteger();
        AtomicLong expectedTotal = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < iterations; i++) {
                    List<Integer> set = randomKeys(random, keys, 2 + random.nextInt(3));
                    try (LockedKeys<Integer> held = locks.lockAll(set)) {
                        for (int k : held.keys()) {
                            if (inside[k].incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            counters[k]++;
                        }
                        for (int k : held.keys()) {
                            inside[k].decrementAndGet();
                        }
                    }
                    expectedTotal.addAndGet(set.size());
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
        }
        long total = 0;
        for (long c : counters) {
            total += c;
        }
        assertThat(overlaps).hasValue(0);
        assertThat(total).isEqualTo(expectedTotal.get());
        assertThat(locks.activeKeys()).isZero();
    }

    @Test
    void aMillionDistinctKeysLeaveNothingBehind() throws Exception {
        KeyedLocks<Long> locks = KeyedLocks.create();
        for (long key = 0; key < 1_000_000; key++) {
            try (LockedKeys<Long> held = locks.lock(key)) {
                assertThat(held.keys()).hasSize(1);
            }
            if (key % 250_000 == 0) {
                assertThat(locks.activeKeys()).isZero();
            }
        }
        assertThat(locks.activeKeys()).as("entries left after a million keys").isZero();

        // memory follows the keys in use: 1,000 held at once cost 1,000 entries, then none
        List<LockedKeys<Long>> held = new ArrayList<>();
        for (long key = 0; key < 1_000; key++) {
            held.add(locks.tryLock(key).orElseThrow());
        }
        assertThat(locks.activeKeys()).isEqualTo(1_000);
        Collections.reverse(held);
        held.forEach(LockedKeys::close);
        assertThat(locks.activeKeys()).isZero();
    }

    @Test
    void argumentsAreChecked() {
        KeyedLocks<String> locks = KeyedLocks.create();
        assertThatThrownBy(() -> locks.tryLock("a", Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be >= 0: timeout=PT-0.001S");
        assertThatThrownBy(() -> locks.lock(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
        assertThatThrownBy(() -> locks.lockAll(java.util.Arrays.asList("a", null)))
                .isInstanceOf(NullPointerException.class).hasMessage("keys must not contain null");
        KeyedLocks<String> caseInsensitive = KeyedLocks.create(String.CASE_INSENSITIVE_ORDER);
        assertThatThrownBy(() -> caseInsensitive.lockAll(List.of("a", "A")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the lock order must be consistent with equals, but it ranks distinct keys as equal: a, A");
        assertThat(caseInsensitive.activeKeys()).isZero();
        assertThat(locks.activeKeys()).isZero();
    }

    @Test
    void aHugeTimeoutSaturatesInsteadOfOverflowing() throws Exception {
        KeyedLocks<String> locks = KeyedLocks.create();
        Optional<LockedKeys<String>> got = locks.tryLockAll(List.of("a"), Duration.ofSeconds(Long.MAX_VALUE));
        assertThat(got).isPresent();
        got.get().close();
        assertThat(locks.tryLock("a", Duration.ofSeconds(Long.MAX_VALUE))).isPresent().get()
                .satisfies(LockedKeys::close);
        assertThat(locks.activeKeys()).isZero();
    }

    private static List<Integer> randomKeys(ThreadLocalRandom random, int keys, int count) {
        List<Integer> all = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            all.add(k);
        }
        Collections.shuffle(all, random);
        return all.subList(0, count);
    }

    private static boolean lockInTurn(KeyedLocks<String> locks, String first, String second,
                                      CyclicBarrier bothHoldOne) throws Exception {
        try (LockedKeys<String> held = locks.lock(first)) {
            bothHoldOne.await(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            Optional<LockedKeys<String>> other = locks.tryLock(second, Duration.ofMillis(200));
            other.ifPresent(LockedKeys::close);
            bothHoldOne.await(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
            return other.isPresent();
        }
    }

    private static int lockAllRounds(KeyedLocks<String> locks, List<String> keys, int rounds, CountDownLatch start)
            throws InterruptedException {
        start.await();
        int done = 0;
        for (int i = 0; i < rounds; i++) {
            try (LockedKeys<String> held = locks.lockAll(keys)) {
                done += held.keys().size() == 2 ? 1 : 0;
            }
        }
        return done;
    }

    private static boolean tryAndClose(KeyedLocks<String> locks, String key) {
        Optional<LockedKeys<String>> got = locks.tryLock(key);
        got.ifPresent(LockedKeys::close);
        return got.isPresent();
    }

    private <T> T onOtherThread(java.util.concurrent.Callable<T> task) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, pool).get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
    }
}

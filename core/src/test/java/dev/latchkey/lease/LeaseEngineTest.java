package dev.latchkey.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.latchkey.LockNotAvailableException;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.contract.ManualClock;
import dev.latchkey.lease.memory.InMemoryLeaseBackend;
import dev.latchkey.lease.spi.LeaseBackend;
import dev.latchkey.lease.spi.LeaseEngine;
import dev.latchkey.lease.spi.LeaseGrant;
import org.junit.jupiter.api.Test;

class LeaseEngineTest {
    private static final Duration TEN_S = Duration.ofSeconds(10);

    /** The backend's clock and the JVM's monotonic clock, moved together (or apart) by the test. */
    private final ManualClock serverClock = new ManualClock();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final InMemoryLeaseBackend backend = new InMemoryLeaseBackend(serverClock);
    private final LeaseEngine engine = LeaseEngine.builder(backend).nanoClock(nanos::get)
            .sleeper(n -> advance(Duration.ofNanos(n))).build();

    private void advance(Duration d) {
        serverClock.advance(d);
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void secondAcquirerLosesWithEmptyOptionalAndTokensStrictlyIncrease() {
        Lease first = engine.lease("job").tryAcquire(TEN_S).orElseThrow();
        assertThat(first.fencingToken()).isEqualTo(1);
        assertThat(engine.lease("job").tryAcquire(TEN_S)).isEmpty();
        assertThat(engine.lease("other").tryAcquire(TEN_S)).isPresent();
        assertThat(first.expiresAt()).isEqualTo(serverClock.instant().plus(TEN_S));
        first.close();
        Lease second = engine.lease("job").tryAcquire(TEN_S).orElseThrow();
        assertThat(second.fencingToken()).isEqualTo(2);
        advance(TEN_S);
        assertThat(second.isHeld()).isFalse();
        assertThat(engine.lease("job").tryAcquire(TEN_S).orElseThrow().fencingToken()).isEqualTo(3);
    }

    @Test
    void expiryIsLocalDeadlineAndCallbackRunsOnce() {
        List<LeaseLostException> told = new CopyOnWriteArrayList<>();
        Lease lease = engine.lease("job").onLost(told::add).tryAcquire(TEN_S).orElseThrow();
        advance(TEN_S.minusMillis(1));
        assertThat(lease.isHeld()).isTrue();
        lease.checkHeld();
        advance(Duration.ofMillis(1));
        assertThat(lease.isHeld()).isFalse();
        assertThat(lease.isHeld()).isFalse();
        assertThatThrownBy(lease::checkHeld).isInstanceOf(LeaseLostException.class).hasMessageContaining("expired")
                .hasMessageContaining("job");
        assertThatThrownBy(() -> lease.extend(TEN_S)).isInstanceOf(LeaseLostException.class);
        assertThat(told).hasSize(1);
        assertThat(told.get(0).fencingToken()).isEqualTo(1);
        assertThat(told.get(0).isTransient()).as("the same acquisition is never held again").isFalse();
        assertThat(lease.release()).isFalse();
    }

    @Test
    void releaseHonoursAtLeastForOnTheBackendClock() {
        Lease lease = engine.lease("nightly").tryAcquire(TEN_S, Duration.ofSeconds(5)).orElseThrow();
        advance(Duration.ofSeconds(1));
        assertThat(lease.release()).isTrue();
        assertThat(lease.isHeld()).isFalse();
        assertThat(lease.release()).as("second release does nothing").isFalse();
        advance(Duration.ofSeconds(3));
        assertThat(engine.lease("nightly").tryAcquire(TEN_S)).as("4 s after acquisition").isEmpty();
        advance(Duration.ofSeconds(1));
        assertThat(engine.lease("nightly").tryAcquire(TEN_S)).as("5 s after acquisition").isPresent();
    }

    @Test
    void extendMovesExpiryFromBackendNowAndFailsOnceTakenOver() {
        List<LeaseLostException> told = new CopyOnWriteArrayList<>();
        Lease lease = engine.lease("job").onLost(told::add).tryAcquire(TEN_S).orElseThrow();
        advance(Duration.ofSeconds(8));
        lease.extend(Duration.ofSeconds(30));
        assertThat(lease.expiresAt()).isEqualTo(serverClock.instant().plusSeconds(30));
        advance(Duration.ofSeconds(29));
        assertThat(lease.isHeld()).isTrue();
        // the backend's clock runs ahead of the JVM's monotonic clock: the backend expires it first
        serverClock.advance(Duration.ofSeconds(2));
        Lease taker = engine.lease("job").tryAcquire(TEN_S).orElseThrow();
        assertThat(taker.fencingToken()).isEqualTo(2);
        assertThatThrownBy(() -> lease.extend(TEN_S)).isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("taken over");
        assertThat(lease.isHeld()).isFalse();
        assertThat(told).hasSize(1);
    }

    @Test
    void jvmWallClockIsNeverRead() {
        // the backend's clock is years ahead of anything the JVM knows: the lease still lasts its 10 s
        ManualClock farAhead = new ManualClock(Instant.parse("2099-01-01T00:00:00Z"));
        LeaseEngine skewed = LeaseEngine.builder(new InMemoryLeaseBackend(farAhead)).nanoClock(nanos::get).build();
        Lease lease = skewed.lease("job").tryAcquire(TEN_S).orElseThrow();
        assertThat(lease.expiresAt()).isEqualTo(Instant.parse("2099-01-01T00:00:10Z"));
        nanos.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(lease.isHeld()).isTrue();
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(lease.isHeld()).isFalse();
    }

    @Test
    void localDeadlineCountsFromBeforeTheRequest() {
        // a backend that answers 3 s after the request left: the lease has 3 s less locally
        LeaseBackend slow = new DelegatingBackend(backend) {
            @Override
            public Optional<LeaseGrant> tryAcquire(String name, String owner, Duration atMostFor, Duration atLeastFor) {
                Optional<LeaseGrant> g = super.tryAcquire(name, owner, atMostFor, atLeastFor);
                advance(Duration.ofSeconds(3));
                return g;
            }
        };
        Lease lease = LeaseEngine.builder(slow).nanoClock(nanos::get).build().lease("job").tryAcquire(TEN_S).orElseThrow();
        advance(Duration.ofSeconds(6));
        assertThat(lease.isHeld()).isTrue();
        advance(Duration.ofSeconds(1));
        assertThat(lease.isHeld()).isFalse();
    }

    @Test
    void waitingAcquireBacksOffUntilTheHolderExpiresOrTimesOut() throws InterruptedException {
        engine.lease("job").tryAcquire(Duration.ofSeconds(2)).orElseThrow();
        long start = nanos.get();
        Lease waited = engine.lease("job").acquire(TEN_S, Duration.ZERO, Duration.ofSeconds(5));
        assertThat(waited.fencingToken()).isEqualTo(2);
        assertThat(Duration.ofNanos(nanos.get() - start)).isBetween(Duration.ofSeconds(2), Duration.ofMillis(2250));
        assertThatThrownBy(() -> engine.lease("job").acquire(TEN_S, Duration.ZERO, Duration.ofSeconds(3)))
                .isInstanceOf(LockNotAvailableException.class).hasMessageContaining("job")
                .satisfies(e -> assertThat(((LockNotAvailableException) e).waited()).isEqualTo(Duration.ofSeconds(3)));
        assertThat(engine.lease("free").acquire(TEN_S, Duration.ZERO, Duration.ZERO).isHeld()).isTrue();
    }

    @Test
    void waitingAcquireIsInterruptible() {
        engine.lease("job").tryAcquire(TEN_S).orElseThrow();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> engine.lease("job").acquire(TEN_S, Duration.ZERO, TEN_S))
                .isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void badInputIsRefusedNamingTheArgument() {
        LeaseRequest<Lease> req = engine.lease("job");
        assertThatThrownBy(() -> engine.lease(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> engine.lease(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> engine.lease("a\nb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("control");
        assertThatThrownBy(() -> engine.lease("x".repeat(256))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("255");
        assertThatThrownBy(() -> req.tryAcquire(null)).isInstanceOf(NullPointerException.class).hasMessage("atMostFor");
        assertThatThrownBy(() -> req.tryAcquire(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("atMostFor=PT0S");
        assertThatThrownBy(() -> req.tryAcquire(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("atMostFor");
        assertThatThrownBy(() -> req.tryAcquire(TEN_S, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("atLeastFor=PT-1S");
        assertThatThrownBy(() -> req.tryAcquire(TEN_S, Duration.ofSeconds(11))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("atLeastFor=PT11S").hasMessageContaining("atMostFor=PT10S");
        assertThatThrownBy(() -> req.tryAcquire(Duration.ofDays(4000))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> req.withHeartbeat(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("every");
        assertThatThrownBy(() -> req.withHeartbeat(TEN_S).tryAcquire(TEN_S)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heartbeat");
        assertThatThrownBy(() -> req.onLost(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> req.acquire(TEN_S, Duration.ZERO, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
        Lease lease = req.tryAcquire(TEN_S).orElseThrow();
        assertThatThrownBy(() -> lease.extend(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("by");
        assertThatThrownBy(() -> LeaseEngine.builder(backend).owner("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner");
        assertThat(lease.isHeld()).as("nothing above touched the held lease").isTrue();
    }

    @Test
    void idempotencyLeaseLostIsALeaseLost() {
        LeaseLostException e = new dev.latchkey.idempotency.LeaseLostException(IdempotencyKey.of("s", "k"), 3);
        assertThat(e.fencingToken()).isEqualTo(3);
        assertThat(e.leaseName()).contains("k");
        assertThat(e.isTransient()).isTrue();
    }

    @Test
    void heartbeatKeepsALeaseTenTimesItsLengthHeld() throws InterruptedException {
        LeaseEngine real = LeaseEngine.of(new InMemoryLeaseBackend());
        List<LeaseLostException> told = new CopyOnWriteArrayList<>();
        Duration atMost = Duration.ofMillis(600); // leaves a loaded machine 500 ms to run a renewal
        try (Lease lease = real.lease("job").withHeartbeat(Duration.ofMillis(100)).onLost(told::add)
                .tryAcquire(atMost).orElseThrow()) {
            long end = System.nanoTime() + atMost.multipliedBy(10).toNanos();
            while (System.nanoTime() < end) {
                assertThat(lease.isHeld()).isTrue();
                assertThat(real.lease("job").tryAcquire(atMost)).isEmpty();
                Thread.sleep(20);
            }
            assertThat(lease.isHeld()).isTrue();
        }
        assertThat(told).isEmpty();
        assertThat(real.lease("job").tryAcquire(atMost)).isPresent();
    }

    @Test
    void failingHeartbeatLosesTheLeaseAndTellsTheHolder() throws InterruptedException {
        AtomicBoolean down = new AtomicBoolean();
        LeaseBackend flaky = new DelegatingBackend(new InMemoryLeaseBackend()) {
            @Override
            public Optional<LeaseGrant> extend(String name, String owner, long token, Duration by) {
                if (down.get()) {
                    throw new IllegalStateException("backend unreachable");
                }
                return super.extend(name, owner, token, by);
            }
        };
        CountDownLatch told = new CountDownLatch(1);
        List<LeaseLostException> why = new CopyOnWriteArrayList<>();
        Lease lease = LeaseEngine.of(flaky).lease("job").withHeartbeat(Duration.ofMillis(50))
                .onLost(e -> {
                    why.add(e);
                    told.countDown();
                }).tryAcquire(Duration.ofMillis(800)).orElseThrow();
        Thread.sleep(1_000);
        assertThat(lease.isHeld()).as("renewed while the backend answered").isTrue();
        down.set(true);
        assertThat(told.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(lease.isHeld()).isFalse();
        assertThat(why).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("heartbeat")
                .hasCauseInstanceOf(IllegalStateException.class));
        assertThatThrownBy(lease::checkHeld).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void killedSchedulerLosesTheLeaseAtItsDeadline() throws InterruptedException {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Lease lease = LeaseEngine.builder(new InMemoryLeaseBackend()).scheduler(scheduler).build()
                .lease("job").withHeartbeat(Duration.ofMillis(50)).tryAcquire(Duration.ofMillis(200)).orElseThrow();
        scheduler.shutdownNow();
        Thread.sleep(250);
        assertThat(lease.isHeld()).isFalse();
        assertThatThrownBy(lease::checkHeld).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void manyThreadsNeverHoldTheSameNameAtOnce() throws InterruptedException {
        LeaseEngine real = LeaseEngine.of(new InMemoryLeaseBackend());
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger acquisitions = new AtomicInteger();
        AtomicLong lastToken = new AtomicLong();
        AtomicInteger tokenRegressions = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    Optional<Lease> l = real.lease("hot").tryAcquire(Duration.ofSeconds(30));
                    if (l.isEmpty()) {
                        continue;
                    }
                    try (Lease lease = l.get()) {
                        acquisitions.incrementAndGet();
                        if (inside.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        if (lastToken.getAndSet(lease.fencingToken()) >= lease.fencingToken()) {
                            tokenRegressions.incrementAndGet();
                        }
                        inside.decrementAndGet();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(overlaps).hasValue(0);
        assertThat(tokenRegressions).hasValue(0);
        assertThat(acquisitions.get()).isGreaterThan(100);
        assertThat(lastToken.get()).isEqualTo(acquisitions.get());
    }

    /** Forwards every call to a backend; tests override one operation. */
    private static class DelegatingBackend implements LeaseBackend {
        private final LeaseBackend delegate;

        DelegatingBackend(LeaseBackend delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<LeaseGrant> tryAcquire(String name, String owner, Duration atMostFor, Duration atLeastFor) {
            return delegate.tryAcquire(name, owner, atMostFor, atLeastFor);
        }

        @Override
        public Optional<LeaseGrant> extend(String name, String owner, long token, Duration by) {
            return delegate.extend(name, owner, token, by);
        }

        @Override
        public boolean release(String name, String owner, long token) {
            return delegate.release(name, owner, token);
        }
    }
}

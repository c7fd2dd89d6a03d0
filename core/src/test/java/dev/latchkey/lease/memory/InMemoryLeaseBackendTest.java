package dev.latchkey.lease.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import dev.latchkey.lease.spi.LeaseGrant;
import org.junit.jupiter.api.Test;

class InMemoryLeaseBackendTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration TICK = Duration.ofSeconds(1);

    /**
     * A manual clock that, when armed, pauses the next reader right after it read the time (as if
     * the reading thread were preempted there) until another thread has run or a timeout passed.
     */
    private static final class PausingClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(START);
        volatile boolean armed;
        final CountDownLatch read = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);

        @Override
        public Instant instant() {
            Instant t = now.get();
            if (armed) {
                armed = false;
                read.countDown();
                try {
                    resume.await(500, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void anExtensionCannotLandWithAClockReadingOlderThanAnAcquisitionThatSawTheLeaseHeld() throws Exception {
        PausingClock clock = new PausingClock();
        InMemoryLeaseBackend backend = new InMemoryLeaseBackend(clock);
        long token = backend.tryAcquire("job", "a", TICK.multipliedBy(2), Duration.ZERO).orElseThrow().token();

        clock.armed = true;
        CompletableFuture<Optional<LeaseGrant>> extension =
                CompletableFuture.supplyAsync(() -> backend.extend("job", "a", token, TICK));
        assertThat(clock.read.await(10, TimeUnit.SECONDS)).isTrue();
        // the extension has read the time 0 and is paused; the clock moves and another owner tries
        clock.now.set(START.plus(TICK));
        CompletableFuture<Optional<LeaseGrant>> rival =
                CompletableFuture.supplyAsync(() -> backend.tryAcquire("job", "b", TICK.multipliedBy(2), Duration.ZERO));
        Optional<LeaseGrant> rivalGot;
        try {
            rivalGot = rival.get(200, TimeUnit.MILLISECONDS); // done at once only if not blocked by the extension
        } catch (TimeoutException blocked) {
            rivalGot = null;
        }
        clock.resume.countDown();
        LeaseGrant extended = extension.get(10, TimeUnit.SECONDS).orElseThrow();
        if (rivalGot == null) {
            rivalGot = rival.get(10, TimeUnit.SECONDS);
        }

        // at time 1 the rival either got the name (the extension, at time 0, set its expiry to 1)
        // or found it held: then the lease must still have been unexpired at 1 after the extension
        assertThat(extended.backendNow()).isEqualTo(START);
        if (rivalGot.isPresent()) {
            assertThat(rivalGot.get().token()).isEqualTo(2);
        } else {
            assertThat(extended.expiresAt()).isAfter(START.plus(TICK));
        }
    }
}

package dev.latchkey.idempotency.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyKeyInUseException;
import dev.latchkey.idempotency.StoredResponse;

/**
 * The lease-renewal scenario for stores on a real clock (a database's, Redis's): one worker's
 * work outlasts its lease several times over while duplicates keep arriving; with the
 * executor renewing the lease, the work runs once and every duplicate is turned away or replayed.
 */
public final class LeaseRenewalRun {
    private LeaseRenewalRun() {
    }

    /**
     * Runs work lasting {@code work} on an executor that renews its lease, sends a duplicate every
     * 200 ms while it runs, and checks that the work ran exactly once, that more than five
     * duplicates were turned away as in progress, and that a later request replays the result.
     *
     * @param renewing an executor whose policy has a lease shorter than {@code work} and renews it
     * @param key a key no other test uses
     * @param fingerprint the request's fingerprint
     * @param work how long the work runs, several leases
     * @throws InterruptedException if interrupted
     */
    public static void workLongerThanTheLeaseRunsOnce(Idempotency renewing, IdempotencyKey key,
                                                      Fingerprint fingerprint, Duration work)
            throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        Thread first = new Thread(() -> renewing.execute(key, fingerprint, () -> {
            runs.incrementAndGet();
            park(work.toNanos());
            return StoredResponse.ofText(201, null, "charged");
        }));
        first.start();
        Thread.sleep(300);
        int duplicates = 0;
        while (first.isAlive()) {
            try {
                assertThat(renewing.execute(key, fingerprint, () -> {
                    runs.incrementAndGet();
                    return StoredResponse.ofText(201, null, "charged twice");
                }).isReplayed()).as("the first completed just now").isTrue();
            } catch (IdempotencyKeyInUseException inUse) {
                duplicates++;
            }
            Thread.sleep(200);
        }
        first.join();
        assertThat(runs).as("the work ran once").hasValue(1);
        assertThat(duplicates).isGreaterThan(5);
        assertThat(renewing.execute(key, fingerprint, () -> StoredResponse.ofText(500, null, "x")).value().bodyAsText())
                .isEqualTo("charged");
    }

    /** Parks for the given time (uninterruptibly: the work must run its course). */
    private static void park(long nanos) {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}

package dev.latchkey.lease;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

import org.jetbrains.annotations.NotNull;

/**
 * How to acquire one named lease: an immutable, thread-safe value (each {@code with..} step
 * returns a new one) that can be kept and reused for every acquisition of the name.
 *
 * <p>Durations: {@code atMostFor} is how long the lease lasts unless extended or released (the
 * safety net when the holder dies); {@code atLeastFor} is how long, from acquisition, the name
 * stays unavailable to others even after {@link Lease#release()} (for jobs that must not run twice
 * within a period on clusters whose nodes' schedules are not exact). Both are measured by the
 * backend's clock.
 *
 * @param <L> the type of lease a backend hands out (a JDBC lease adds fenced transactions)
 */
public interface LeaseRequest<L extends Lease> {
    /**
     * Returns the lease name.
     *
     * @return the name
     */
    @NotNull String name();

    /**
     * Returns a request whose leases renew themselves: every {@code every}, a shared daemon
     * scheduler extends the lease by its {@code atMostFor} (one statement per renewal), until it is
     * released or lost. A renewal that fails is retried at the next tick; if none succeeds before
     * the lease expires, the lease is lost and the {@linkplain #onLost(Consumer) callback} told.
     * {@code every} must be shorter than the {@code atMostFor} of each acquisition (a third of it
     * is a good choice), checked at acquisition.
     *
     * @param every the renewal period, {@code > 0}
     * @return a new request
     * @throws IllegalArgumentException if {@code every} is zero or negative
     * @throws NullPointerException if {@code every} is {@code null}
     */
    @NotNull LeaseRequest<L> withHeartbeat(@NotNull Duration every);

    /**
     * Returns a request whose leases call {@code callback} once, when they are lost (expired
     * without renewal, taken over, heartbeat failed; never on a plain release). It runs on the
     * thread that first notices: the heartbeat scheduler, a timer at the lease's expiry, or a
     * caller of a lease method. It must be quick and must not block; what it throws is logged and
     * ignored.
     *
     * @param callback told why the lease was lost
     * @return a new request
     * @throws NullPointerException if {@code callback} is {@code null}
     */
    @NotNull LeaseRequest<L> onLost(@NotNull Consumer<? super LeaseLostException> callback);

    /**
     * Tries once to acquire the lease: succeeds when nobody holds it or the last holder's lease
     * has expired on the backend's clock. One statement.
     *
     * @param atMostFor how long the lease lasts unless extended or released; {@code > 0}
     * @param atLeastFor how long, from acquisition, the name stays taken even after release;
     *        {@code >= 0} and {@code <= atMostFor}
     * @return the lease, or empty when someone else holds it (an expected outcome, not an error)
     * @throws IllegalArgumentException if a duration is out of range, or the heartbeat period is
     *         not shorter than {@code atMostFor}
     * @throws NullPointerException if an argument is {@code null}
     */
    @NotNull Optional<L> tryAcquire(@NotNull Duration atMostFor, @NotNull Duration atLeastFor);

    /**
     * Tries once to acquire the lease with no {@code atLeastFor}, as
     * {@link #tryAcquire(Duration, Duration) tryAcquire(atMostFor, Duration.ZERO)}.
     *
     * @param atMostFor how long the lease lasts unless extended or released; {@code > 0}
     * @return the lease, or empty when someone else holds it
     * @throws IllegalArgumentException if {@code atMostFor} is zero or negative
     * @throws NullPointerException if {@code atMostFor} is {@code null}
     */
    default @NotNull Optional<L> tryAcquire(@NotNull Duration atMostFor) {
        return tryAcquire(atMostFor, Duration.ZERO);
    }

    /**
     * Acquires the lease, waiting up to {@code maxWait}: tries, and while someone else holds it,
     * sleeps with a growing backoff (from 10 ms, doubling, at most 250 ms, never past the
     * deadline) and tries again. The wait is timed by the injected monotonic clock. One statement
     * per try.
     *
     * @param atMostFor how long the lease lasts unless extended or released; {@code > 0}
     * @param atLeastFor how long, from acquisition, the name stays taken even after release;
     *        {@code >= 0} and {@code <= atMostFor}
     * @param maxWait how long to keep trying; {@code >= 0} ({@code 0} tries once)
     * @return the lease
     * @throws dev.latchkey.LockNotAvailableException if the lease was still held by someone else
     *         at the deadline (transient; carries the lease name and the time waited)
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalArgumentException if a duration is out of range
     * @throws NullPointerException if an argument is {@code null}
     */
    @NotNull L acquire(@NotNull Duration atMostFor, @NotNull Duration atLeastFor, @NotNull Duration maxWait)
            throws InterruptedException;
}

package dev.latchkey.lease;

import java.time.Duration;
import java.time.Instant;

import org.jetbrains.annotations.NotNull;

/**
 * A held lease: the exclusive, time-limited ownership of a name, granted by a backend (a database
 * table, Redis, or memory) whose own clock decides when it expires. Obtained from a
 * {@link LeaseRequest}; closing it releases it.
 *
 * <p><b>Guarantees.</b> While the backend considers this acquisition unexpired, no other owner can
 * acquire the same name. Each acquisition of a name carries a {@linkplain #fencingToken() fencing
 * token} greater than every earlier one, so a resource that remembers the highest token it has
 * seen can refuse a late write from a holder that lost the lease without knowing it.
 * {@link #isHeld()} turns {@code false} as soon as this side can know the lease is gone: when the
 * time the backend granted has elapsed (measured on the JVM's monotonic clock from before the
 * request, so it never runs later than the backend's expiry, whatever the JVM's wall clock says),
 * when a renewal or fenced operation found it taken over, after a failed heartbeat, or after
 * {@link #release()}. Once not held it never becomes held again.
 *
 * <p><b>No transaction.</b> Holding a lease keeps no connection and no transaction open; each
 * operation is one round trip to the backend.
 *
 * <p>Thread-safe: any thread may query, extend or release it; backend calls on one lease are
 * serialized by a {@link java.util.concurrent.locks.ReentrantLock} (never {@code synchronized}),
 * so virtual threads do not pin their carrier.
 */
public interface Lease extends AutoCloseable {
    /**
     * Returns the lease name.
     *
     * @return the name this lease was acquired for
     */
    @NotNull String name();

    /**
     * Returns this acquisition's fencing token: strictly greater than the token of every earlier
     * acquisition of the same name on the same backend.
     *
     * @return the fencing token, {@code >= 1}
     */
    long fencingToken();

    /**
     * Tells whether this lease is still held, as far as this side can know without a round trip.
     * No statement is run.
     *
     * @return {@code false} once expired, lost, or released; never {@code true} again afterwards
     */
    boolean isHeld();

    /**
     * Throws when the lease is no longer held ({@link #isHeld()} is {@code false}). No statement is
     * run; a fenced operation re-checks on the backend.
     *
     * @throws LeaseLostException if the lease expired, was taken over, lost its heartbeat, or was
     *         released
     */
    void checkHeld();

    /**
     * Returns when the lease expires, as last reported by the backend's clock (at acquisition or
     * the last extension). It is the backend's time: compare it with the backend's clock, not the
     * JVM's.
     *
     * @return the expiry on the backend's clock
     */
    @NotNull Instant expiresAt();

    /**
     * Extends the lease so it expires {@code by} after the backend's current time (not after the
     * previous expiry). One statement (one round trip).
     *
     * @param by how long the lease lasts from now on the backend's clock; {@code > 0}
     * @throws IllegalArgumentException if {@code by} is zero or negative
     * @throws NullPointerException if {@code by} is {@code null}
     * @throws LeaseLostException if the lease is no longer held (checked locally first, then by
     *         the backend); the lease is then lost and its callback told
     */
    void extend(@NotNull Duration by);

    /**
     * Releases the lease. When it was acquired with an {@code atLeastFor}, the backend keeps it
     * unavailable to others until the acquisition time plus {@code atLeastFor} (on the backend's
     * clock); otherwise it is free at once. Stops the heartbeat. One statement; nothing is run when
     * the lease had already ended. Calling it again does nothing.
     *
     * @return {@code true} if the lease was still held until this release; {@code false} if it had
     *         already been lost, expired or released
     * @throws RuntimeException whatever the backend throws (translated, e.g.
     *         {@link dev.latchkey.ConnectionFailureException}); the lease then counts as released
     *         locally and simply expires on the backend
     */
    boolean release();

    /**
     * Releases the lease, as {@link #release()}, ignoring whether it was still held.
     */
    @Override
    void close();
}

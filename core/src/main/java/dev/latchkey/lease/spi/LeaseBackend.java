package dev.latchkey.lease.spi;

import java.time.Duration;
import java.util.Optional;

import org.jetbrains.annotations.NotNull;

/**
 * Where leases live: a database table, a Redis key, memory. A backend provides three atomic
 * operations, each one round trip, each computing every time on the backend's own clock (never
 * the caller's). {@link LeaseEngine} builds the one lease state machine (local expiry, heartbeat,
 * loss callback) over any backend, so a backend implements only this.
 *
 * <p>State per name: the current fencing token, the owner, the expiry, and the hold-until time
 * (acquisition time plus {@code atLeastFor}). A backend must keep the token of a name for as long
 * as the name can be acquired again (never reset it by deleting the state), so tokens strictly
 * increase per name.
 *
 * <p>Arguments have been checked by the engine: names are 1 to {@value LeaseEngine#MAX_NAME_LENGTH}
 * characters without control characters, owners likewise, durations positive (or zero for
 * {@code atLeastFor}), at least one millisecond and at most
 * {@link LeaseEngine#MAX_DURATION}. Backends may truncate durations to milliseconds.
 * Implementations must be thread-safe; failures are thrown as unchecked exceptions (a JDBC backend
 * throws translated {@link dev.latchkey.ConcurrencyException}s).
 */
public interface LeaseBackend {
    /**
     * Acquires the name when nobody holds it or the current expiry is not after the backend's
     * now: the new token is the previous one plus one (or 1 for a name never seen), the expiry is
     * now + {@code atMostFor}, the hold-until now + {@code atLeastFor}.
     *
     * @param name the lease name
     * @param owner who acquires it (for operators; the token identifies the acquisition)
     * @param atMostFor the lease duration
     * @param atLeastFor the minimum time before the name is free again, {@code <= atMostFor}
     * @return the grant, or empty when the name is held by an unexpired lease
     */
    @NotNull Optional<LeaseGrant> tryAcquire(@NotNull String name, @NotNull String owner,
                                            @NotNull Duration atMostFor, @NotNull Duration atLeastFor);

    /**
     * Extends the acquisition {@code token} of {@code name} when it is still the current one and
     * unexpired: the expiry becomes the later of now + {@code by} and the hold-until time.
     *
     * @param name the lease name
     * @param owner the owner that acquired it
     * @param token the acquisition's fencing token
     * @param by the new remaining duration from the backend's now
     * @return the new grant (same token), or empty when the acquisition expired or was taken over
     */
    @NotNull Optional<LeaseGrant> extend(@NotNull String name, @NotNull String owner, long token,
                                         @NotNull Duration by);

    /**
     * Releases the acquisition {@code token} of {@code name} when it is still the current one and
     * unexpired: the expiry becomes the later of the backend's now and the hold-until time, so
     * {@code atLeastFor} is honoured.
     *
     * @param name the lease name
     * @param owner the owner that acquired it
     * @param token the acquisition's fencing token
     * @return {@code true} if it was released, {@code false} if it had expired or been taken over
     */
    boolean release(@NotNull String name, @NotNull String owner, long token);
}

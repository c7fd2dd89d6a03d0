package dev.latchkey.jcstress.broken;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.latchkey.lease.spi.LeaseBackend;
import dev.latchkey.lease.spi.LeaseGrant;
import org.jetbrains.annotations.NotNull;

/**
 * DELIBERATELY BROKEN. A {@link LeaseBackend} whose every operation is a plain check-then-set: it
 * reads the name's state, decides, then writes the new state. Each map call is atomic, the pair is
 * not, so two concurrent acquisitions of a free (or expired) name can both see it free and both
 * be granted it, with the same fencing token. Everything else (tokens per name, expiry, extend and
 * release only by the current acquisition, atLeastFor) follows the SPI, so the only difference
 * from {@link dev.latchkey.lease.memory.InMemoryLeaseBackend} is the missing atomic step. Used by
 * {@link BrokenCheckThenSetLease} and {@code BrokenVariantsLincheckTest} to show that the checks
 * catch it.
 */
final class CheckThenSetLeaseBackend implements LeaseBackend {
    /** One name's state, replaced (not atomically with the read that decided it) in the map. */
    private record State(long token, String owner, Instant expiresAt, Instant holdUntil) {
        boolean heldBy(String owner, long token, Instant now) {
            return this.token == token && this.owner.equals(owner) && expiresAt.isAfter(now);
        }
    }

    private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();
    private final Clock clock;

    /**
     * A backend on the given clock.
     *
     * @param clock the clock every expiry is computed with
     */
    CheckThenSetLeaseBackend(Clock clock) {
        this.clock = clock;
    }

    @Override
    public @NotNull Optional<LeaseGrant> tryAcquire(@NotNull String name, @NotNull String owner,
                                                   @NotNull Duration atMostFor, @NotNull Duration atLeastFor) {
        Instant now = clock.instant();
        State current = states.get(name); // check ...
        if (current != null && current.expiresAt().isAfter(now)) {
            return Optional.empty();
        }
        long token = current == null ? 1 : current.token() + 1;
        states.put(name, new State(token, owner, now.plus(atMostFor), now.plus(atLeastFor))); // ... then set
        return Optional.of(new LeaseGrant(token, now.plus(atMostFor), now));
    }

    @Override
    public @NotNull Optional<LeaseGrant> extend(@NotNull String name, @NotNull String owner, long token,
                                                @NotNull Duration by) {
        Instant now = clock.instant();
        State current = states.get(name);
        if (current == null || !current.heldBy(owner, token, now)) {
            return Optional.empty();
        }
        Instant until = now.plus(by).isAfter(current.holdUntil()) ? now.plus(by) : current.holdUntil();
        states.put(name, new State(token, owner, until, current.holdUntil()));
        return Optional.of(new LeaseGrant(token, until, now));
    }

    @Override
    public boolean release(@NotNull String name, @NotNull String owner, long token) {
        Instant now = clock.instant();
        State current = states.get(name);
        if (current == null || !current.heldBy(owner, token, now)) {
            return false;
        }
        Instant until = current.holdUntil().isAfter(now) ? current.holdUntil() : now;
        states.put(name, new State(token, owner, until, current.holdUntil()));
        return true;
    }
}

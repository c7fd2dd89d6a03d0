package dev.latchkey.lease.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.latchkey.lease.spi.LeaseBackend;
import dev.latchkey.lease.spi.LeaseGrant;
import org.jetbrains.annotations.NotNull;

/**
 * Leases held in this JVM's memory, timed by an injected {@link Clock} (the "backend clock" of the
 * SPI). Each operation is one atomic {@link ConcurrentHashMap#compute} on the name's entry that
 * also reads the clock, so an operation's time is that of its atomic step: operations on one
 * name are linearizable, with the clock's moves among them, and tokens strictly increase per
 * name. (A clock read before the step could let an extension computed with the earlier time
 * land after another acquisition already saw the later time: checked by
 * {@code InMemoryLeaseLincheckTest} in jcstress-tests.)
 *
 * <p>Memory: one small entry per name ever acquired, kept so its token never resets; meant for a
 * bounded set of names (jobs, leaders), not for per-request names. Thread-safe.
 */
public final class InMemoryLeaseBackend implements LeaseBackend {
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    /** A backend on the system UTC clock. */
    public InMemoryLeaseBackend() {
        this(Clock.systemUTC());
    }

    /**
     * A backend on the given clock.
     *
     * @param clock the clock every expiry is computed with
     * @throws NullPointerException if {@code clock} is {@code null}
     */
    public InMemoryLeaseBackend(@NotNull Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public @NotNull Optional<LeaseGrant> tryAcquire(@NotNull String name, @NotNull String owner,
                                                   @NotNull Duration atMostFor, @NotNull Duration atLeastFor) {
        LeaseGrant[] granted = new LeaseGrant[1];
        entries.compute(name, (k, e) -> {
            Instant now = clock.instant();
            if (e != null && e.expiresAt.isAfter(now)) {
                return e;
            }
            Entry next = new Entry(e == null ? 1 : e.token + 1, owner, now.plus(atMostFor), now.plus(atLeastFor));
            granted[0] = new LeaseGrant(next.token, next.expiresAt, now);
            return next;
        });
        return Optional.ofNullable(granted[0]);
    }

    @Override
    public @NotNull Optional<LeaseGrant> extend(@NotNull String name, @NotNull String owner, long token,
                                                @NotNull Duration by) {
        LeaseGrant[] extended = new LeaseGrant[1];
        entries.computeIfPresent(name, (k, e) -> {
            Instant now = clock.instant();
            if (!e.heldBy(owner, token, now)) {
                return e;
            }
            Instant until = now.plus(by);
            Entry next = new Entry(token, owner, until.isAfter(e.holdUntil) ? until : e.holdUntil, e.holdUntil);
            extended[0] = new LeaseGrant(token, next.expiresAt, now);
            return next;
        });
        return Optional.ofNullable(extended[0]);
    }

    @Override
    public boolean release(@NotNull String name, @NotNull String owner, long token) {
        boolean[] released = new boolean[1];
        entries.computeIfPresent(name, (k, e) -> {
            Instant now = clock.instant();
            if (!e.heldBy(owner, token, now)) {
                return e;
            }
            released[0] = true;
            return new Entry(token, owner, e.holdUntil.isAfter(now) ? e.holdUntil : now, e.holdUntil);
        });
        return released[0];
    }

    @Override
    public String toString() {
        return "InMemoryLeaseBackend[" + entries.size() + " names]";
    }

    /** One name's state; immutable, replaced atomically. */
    private static final class Entry {
        final long token;
        final String owner;
        final Instant expiresAt;
        final Instant holdUntil;

        Entry(long token, String owner, Instant expiresAt, Instant holdUntil) {
            this.token = token;
            this.owner = owner;
            this.expiresAt = expiresAt;
            this.holdUntil = holdUntil;
        }

        boolean heldBy(String owner, long token, Instant now) {
            return this.token == token && this.owner.equals(owner) && expiresAt.isAfter(now);
        }
    }
}

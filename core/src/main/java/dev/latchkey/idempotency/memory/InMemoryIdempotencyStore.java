package dev.latchkey.idempotency.memory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyKeyReusedException;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.FenceOutcome;
import dev.latchkey.idempotency.spi.IdempotencyRecord;
import dev.latchkey.idempotency.spi.IdempotencyState;
import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.idempotency.spi.OwnerToken;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * An {@link IdempotencyStore} in this JVM's memory, for single-instance services and tests.
 *
 * <p>Each key's transitions run inside {@link ConcurrentHashMap#compute} (atomic under the lock
 * of the key's hash bin only), so claims of different keys never wait for each other and there
 * is no global lock. Records are immutable values replaced on every transition. Expired records
 * count as absent at once and are deleted by {@link #purgeExpired(int)}, and, unless
 * {@linkplain Builder#autoPurge(boolean) disabled}, by a sweep that one claiming thread runs
 * once the claims since the last sweep reach {@code max(1024, records the last sweep left)}:
 * amortised O(1) per claim (a sweep visits at most twice as many records as the claims that
 * paid for it), and other threads keep claiming while it runs (it removes each expired record
 * under its own bin lock). So, without the application ever calling {@link #purgeExpired(int)},
 * the records held stay below about {@code 2 * max(1024, unexpired records)}, also when every
 * request brings a new key.
 *
 * <p>Time comes from an injected {@link Clock} (default {@link Clock#systemUTC()}): lease and
 * record expiry are decided by {@code clock.instant()} read inside the key's atomic section.
 * Owner tokens are a random per-store prefix and a counter, so they never repeat.
 *
 * <p>Thread-safe.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private static final int MIN_SWEEP_INTERVAL = 1024;
    private static final Object REUSED = new Object();

    /**
     * The records. Per-key atomicity: every transition is a compute/computeIfPresent on the key
     * (runs under the key's bin lock). Visibility: values are immutable {@link Entry} records
     * published by the map (an update happens-before any read that sees it).
     */
    private final ConcurrentHashMap<IdempotencyKey, Entry> entries = new ConcurrentHashMap<>();
    /** Final, set in the constructor; read by any thread. */
    private final Clock clock;
    /** Final, set in the constructor. */
    private final boolean autoPurge;
    /** Final, set in the constructor: makes tokens of different stores distinct. */
    private final String tokenPrefix;
    /** Owner-token counter: getAndIncrement is a volatile read-modify-write, so values never repeat. */
    private final AtomicLong tokenSequence = new AtomicLong();
    /** Claims since the last sweep: volatile read-modify-write; a racy reset only shifts the next sweep. */
    private final AtomicLong claimsSinceSweep = new AtomicLong();
    /**
     * Records left by the last sweep (0 before the first): written by the sweeper after it
     * finishes, read by every claim (volatile). The next sweep runs after that many claims (at
     * least {@value #MIN_SWEEP_INTERVAL}), so the records held stay below
     * {@code 2 * max(1024, unexpired records) + concurrent claims}.
     */
    private volatile long sizeAfterSweep;
    /** Whether a sweep runs: CAS false→true to start (at most one sweeper), volatile write of false to end. */
    private final AtomicBoolean sweeping = new AtomicBoolean();

    private InMemoryIdempotencyStore(Builder b) {
        this.clock = b.clock;
        this.autoPurge = b.autoPurge;
        this.tokenPrefix = "m" + Long.toHexString(new SecureRandom().nextLong() & 0xFFFF_FFFFL) + "-";
    }

    /**
     * A store on the system UTC clock with automatic purging.
     *
     * @return a new, empty store
     */
    public static @NotNull InMemoryIdempotencyStore create() {
        return builder().build();
    }

    /**
     * A builder, to inject the clock or turn off automatic purging.
     *
     * @return a new builder
     */
    public static @NotNull Builder builder() {
        return new Builder();
    }

    @Override
    public @NotNull ClaimResult claim(@NotNull IdempotencyKey key, @NotNull Fingerprint fingerprint,
                                      @NotNull Duration lease, @NotNull Duration retention) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        IdempotencyStore.checkClaimDurations(lease, retention);
        OwnerToken token = new OwnerToken(tokenPrefix + tokenSequence.getAndIncrement());
        // written inside compute, which runs the function on this thread, and read after it returns
        Object[] outcome = new Object[1];
        entries.compute(key, (k, current) -> {
            Instant now = clock.instant();
            if (current == null || current.isExpired(now)) {
                Entry claimed = Entry.inProgress(fingerprint, token, 1, now.plus(lease), now.plus(retention));
                outcome[0] = new ClaimResult.Claimed(token, 1, claimed.leaseExpiresAt);
                return claimed;
            }
            if (!current.fingerprint.equals(fingerprint)) {
                outcome[0] = REUSED;
                return current;
            }
            if (current.state == IdempotencyState.COMPLETED) {
                outcome[0] = new ClaimResult.Replay(current.toRecord(k, now));
                return current;
            }
            if (!now.isBefore(current.leaseExpiresAt)) {
                int attempt = current.attempt + 1;
                Entry takenOver = Entry.inProgress(fingerprint, token, attempt, now.plus(lease), now.plus(retention));
                outcome[0] = new ClaimResult.Claimed(token, attempt, takenOver.leaseExpiresAt);
                return takenOver;
            }
            outcome[0] = new ClaimResult.InProgress(current.toRecord(k, now));
            return current;
        });
        if (outcome[0] == REUSED) {
            throw new IdempotencyKeyReusedException(key.scope(), key.key());
        }
        maybeSweep();
        return (ClaimResult) outcome[0];
    }

    @Override
    public @NotNull FenceOutcome complete(@NotNull IdempotencyKey key, @NotNull OwnerToken owner,
                                          @NotNull StoredResponse response, @NotNull Duration retention) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(response, "response");
        IdempotencyStore.checkRetention(retention);
        boolean[] applied = new boolean[1];
        entries.computeIfPresent(key, (k, current) -> {
            if (current.state != IdempotencyState.IN_PROGRESS || !current.owner.equals(owner)) {
                return current;
            }
            applied[0] = true;
            return current.completed(response, clock.instant().plus(retention));
        });
        return applied[0] ? FenceOutcome.APPLIED : FenceOutcome.LEASE_LOST;
    }

    @Override
    public @NotNull FenceOutcome release(@NotNull IdempotencyKey key, @NotNull OwnerToken owner) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(owner, "owner");
        boolean[] applied = new boolean[1];
        entries.computeIfPresent(key, (k, current) -> {
            if (current.state != IdempotencyState.IN_PROGRESS || !current.owner.equals(owner)) {
                return current;
            }
            applied[0] = true;
            return null;
        });
        return applied[0] ? FenceOutcome.APPLIED : FenceOutcome.LEASE_LOST;
    }

    @Override
    public @NotNull FenceOutcome renew(@NotNull IdempotencyKey key, @NotNull OwnerToken owner,
                                       @NotNull Duration lease) {
        IdempotencyStore.checkRenewal(key, owner, lease);
        Instant now = clock.instant();
        boolean[] applied = new boolean[1];
        entries.computeIfPresent(key, (k, current) -> {
            if (current.state != IdempotencyState.IN_PROGRESS || !current.owner.equals(owner)
                    || !now.isBefore(current.leaseExpiresAt)) {
                return current;
            }
            applied[0] = true;
            Instant until = now.plus(lease);
            return Entry.inProgress(current.fingerprint, owner, current.attempt, until,
                    until.isAfter(current.expiresAt) ? until : current.expiresAt);
        });
        return applied[0] ? FenceOutcome.APPLIED : FenceOutcome.LEASE_LOST;
    }

    @Override
    public @NotNull Optional<IdempotencyRecord> find(@NotNull IdempotencyKey key) {
        Objects.requireNonNull(key, "key");
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return e.isExpired(now) ? Optional.empty() : Optional.of(e.toRecord(key, now));
    }

    @Override
    public int purgeExpired(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1: limit=" + limit);
        }
        int removed = 0;
        boolean[] gone = new boolean[1];
        for (Map.Entry<IdempotencyKey, Entry> e : entries.entrySet()) {
            if (removed >= limit) {
                break;
            }
            if (!e.getValue().isExpired(clock.instant())) {
                continue;
            }
            gone[0] = false;
            // re-checked under the key's lock: the record may have been claimed again meanwhile
            entries.computeIfPresent(e.getKey(), (k, current) -> {
                if (current.isExpired(clock.instant())) {
                    gone[0] = true;
                    return null;
                }
                return current;
            });
            if (gone[0]) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * How many records the store holds, expired ones not yet purged included.
     *
     * @return the number of records (an estimate while other threads write)
     */
    public long size() {
        return entries.mappingCount();
    }

    private void maybeSweep() {
        if (!autoPurge) {
            return;
        }
        long n = claimsSinceSweep.incrementAndGet();
        // compared with what the last sweep left, not the current count: that count grows with
        // every unique key just as n does, so n would never catch up with it
        if (n >= MIN_SWEEP_INTERVAL && n >= sizeAfterSweep && sweeping.compareAndSet(false, true)) {
            try {
                claimsSinceSweep.set(0);
                purgeExpired(Integer.MAX_VALUE);
                sizeAfterSweep = entries.mappingCount();
            } finally {
                sweeping.set(false);
            }
        }
    }

    @Override
    public String toString() {
        return "InMemoryIdempotencyStore[" + entries.mappingCount() + " records]";
    }

    /** One key's record; immutable, replaced on every transition. */
    private static final class Entry {
        final Fingerprint fingerprint;
        final IdempotencyState state;
        final OwnerToken owner;
        final int attempt;
        final @Nullable Instant leaseExpiresAt;
        final Instant expiresAt;
        final @Nullable StoredResponse response;

        private Entry(Fingerprint fingerprint, IdempotencyState state, OwnerToken owner, int attempt,
                      @Nullable Instant leaseExpiresAt, Instant expiresAt, @Nullable StoredResponse response) {
            this.fingerprint = fingerprint;
            this.state = state;
            this.owner = owner;
            this.attempt = attempt;
            this.leaseExpiresAt = leaseExpiresAt;
            this.expiresAt = expiresAt;
            this.response = response;
        }

        static Entry inProgress(Fingerprint fingerprint, OwnerToken owner, int attempt, Instant leaseExpiresAt,
                                Instant expiresAt) {
            return new Entry(fingerprint, IdempotencyState.IN_PROGRESS, owner, attempt, leaseExpiresAt, expiresAt,
                    null);
        }

        Entry completed(StoredResponse stored, Instant newExpiresAt) {
            return new Entry(fingerprint, IdempotencyState.COMPLETED, owner, attempt, null, newExpiresAt, stored);
        }

        boolean isExpired(Instant now) {
            return !now.isBefore(expiresAt);
        }

        IdempotencyRecord toRecord(IdempotencyKey key, Instant now) {
            return new IdempotencyRecord(key, fingerprint, state, owner, attempt, leaseExpiresAt, expiresAt, response,
                    now);
        }
    }

    /** Builds an {@link InMemoryIdempotencyStore}. Not thread-safe. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private boolean autoPurge = true;

        private Builder() {
        }

        /**
         * Sets the clock that decides lease and record expiry.
         *
         * @param clock the clock; must be thread-safe
         * @return this builder
         */
        public @NotNull Builder clock(@NotNull Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Whether claims sweep expired records now and then (default {@code true}). Turn it off
         * to purge only by calling {@link InMemoryIdempotencyStore#purgeExpired(int)}.
         *
         * @param autoPurge whether to sweep automatically
         * @return this builder
         */
        public @NotNull Builder autoPurge(boolean autoPurge) {
            this.autoPurge = autoPurge;
            return this;
        }

        /**
         * Builds the store.
         *
         * @return a new, empty store
         */
        public @NotNull InMemoryIdempotencyStore build() {
            return new InMemoryIdempotencyStore(this);
        }
    }
}

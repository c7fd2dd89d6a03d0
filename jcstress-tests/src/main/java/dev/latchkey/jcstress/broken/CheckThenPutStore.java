package dev.latchkey.jcstress.broken;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.FenceOutcome;
import dev.latchkey.idempotency.spi.IdempotencyRecord;
import dev.latchkey.idempotency.spi.IdempotencyState;
import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.idempotency.spi.OwnerToken;
import org.jetbrains.annotations.NotNull;

/**
 * DELIBERATELY BROKEN. An {@link IdempotencyStore} whose claim is a plain check-then-put: it
 * reads the key's record, decides, then writes its claim. Each map call is atomic, the pair is
 * not, so two concurrent claims can both see the key free and both get it. Everything else
 * (completion and release fenced on the owner token, expiry, purge) is done correctly, so the
 * only difference from {@link dev.latchkey.idempotency.memory.InMemoryIdempotencyStore} is the missing
 * atomic claim. Used by {@link BrokenCheckThenPutClaim} to show that the stress tests catch it.
 */
final class CheckThenPutStore implements IdempotencyStore {
    /** The records: immutable values published by the map. */
    private final ConcurrentHashMap<IdempotencyKey, IdempotencyRecord> records = new ConcurrentHashMap<>();
    private final Clock clock;
    /** Owner-token counter: atomic increments, so tokens never repeat. */
    private final AtomicLong tokens = new AtomicLong();

    CheckThenPutStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public @NotNull ClaimResult claim(@NotNull IdempotencyKey key, @NotNull Fingerprint fingerprint,
                                      @NotNull Duration lease, @NotNull Duration retention) {
        IdempotencyStore.checkClaimDurations(lease, retention);
        Instant now = clock.instant();
        IdempotencyRecord current = records.get(key); // check ...
        int attempt = 1;
        if (current != null && now.isBefore(current.expiresAt())) {
            current.requireFingerprint(fingerprint);
            if (current.state() == IdempotencyState.COMPLETED) {
                return new ClaimResult.Replay(current);
            }
            if (now.isBefore(Objects.requireNonNull(current.leaseExpiresAt()))) {
                return new ClaimResult.InProgress(current);
            }
            attempt = current.attempt() + 1;
        }
        OwnerToken owner = new OwnerToken("broken-" + tokens.incrementAndGet());
        Instant leaseExpiresAt = now.plus(lease);
        records.put(key, new IdempotencyRecord(key, fingerprint, IdempotencyState.IN_PROGRESS, owner, attempt,
                leaseExpiresAt, now.plus(retention), null, now)); // ... then put: another claim may have come between
        return new ClaimResult.Claimed(owner, attempt, leaseExpiresAt);
    }

    @Override
    public @NotNull FenceOutcome complete(@NotNull IdempotencyKey key, @NotNull OwnerToken owner,
                                          @NotNull StoredResponse response, @NotNull Duration retention) {
        IdempotencyStore.checkRetention(retention);
        boolean[] applied = new boolean[1];
        records.computeIfPresent(key, (k, r) -> {
            if (r.state() != IdempotencyState.IN_PROGRESS || !r.owner().equals(owner)) {
                return r;
            }
            applied[0] = true;
            Instant now = clock.instant();
            return new IdempotencyRecord(k, r.fingerprint(), IdempotencyState.COMPLETED, owner, r.attempt(), null,
                    now.plus(retention), response, now);
        });
        return applied[0] ? FenceOutcome.APPLIED : FenceOutcome.LEASE_LOST;
    }

    @Override
    public @NotNull FenceOutcome release(@NotNull IdempotencyKey key, @NotNull OwnerToken owner) {
        boolean[] applied = new boolean[1];
        records.computeIfPresent(key, (k, r) -> {
            if (r.state() != IdempotencyState.IN_PROGRESS || !r.owner().equals(owner)) {
                return r;
            }
            applied[0] = true;
            return null;
        });
        return applied[0] ? FenceOutcome.APPLIED : FenceOutcome.LEASE_LOST;
    }

    @Override
    public @NotNull Optional<IdempotencyRecord> find(@NotNull IdempotencyKey key) {
        IdempotencyRecord r = records.get(key);
        Instant now = clock.instant();
        if (r == null || !now.isBefore(r.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(new IdempotencyRecord(r.key(), r.fingerprint(), r.state(), r.owner(), r.attempt(),
                r.leaseExpiresAt(), r.expiresAt(), r.response(), now));
    }

    @Override
    public int purgeExpired(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1: limit=" + limit);
        }
        int removed = 0;
        for (Iterator<IdempotencyRecord> it = records.values().iterator(); it.hasNext() && removed < limit; ) {
            if (!clock.instant().isBefore(it.next().expiresAt())) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }
}

package dev.latchkey.idempotency.spi;

import java.time.Instant;
import java.util.Objects;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyKeyReusedException;
import dev.latchkey.idempotency.StoredResponse;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * What a store holds for one idempotency key, as read at one moment. Times are on the store's
 * clock (the database's, for a database store) and {@link #observedAt()} is that clock's
 * reading when the record was read, so lease checks never mix clocks.
 *
 * @param key the key
 * @param fingerprint the fingerprint of the request that claimed the key
 * @param state in progress or completed
 * @param owner the token of the claim that holds (or completed) the key
 * @param attempt which claim this is: 1 for the first, incremented by each takeover of a lapsed lease
 * @param leaseExpiresAt when the owner's lease lapses; {@code null} once completed
 * @param expiresAt when the record expires and the key counts as absent
 * @param response the stored response; {@code null} while in progress
 * @param observedAt the store's clock when the record was read
 */
public record IdempotencyRecord(@NotNull IdempotencyKey key, @NotNull Fingerprint fingerprint,
                                @NotNull IdempotencyState state, @NotNull OwnerToken owner, int attempt,
                                @Nullable Instant leaseExpiresAt, @NotNull Instant expiresAt,
                                @Nullable StoredResponse response, @NotNull Instant observedAt) {
    /**
     * Checks the components.
     *
     * @param key the key
     * @param fingerprint the fingerprint of the request that claimed the key
     * @param state in progress or completed
     * @param owner the token of the claim that holds (or completed) the key
     * @param attempt which claim this is: 1 for the first, incremented by each takeover of a lapsed lease
     * @param leaseExpiresAt when the owner's lease lapses; {@code null} once completed
     * @param expiresAt when the record expires and the key counts as absent
     * @param response the stored response; {@code null} while in progress
     * @param observedAt the store's clock when the record was read
     * @throws IllegalArgumentException if an in-progress record has no lease, or a completed one
     *         has no response, or {@code attempt < 1}
     */
    public IdempotencyRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(observedAt, "observedAt");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1: attempt=" + attempt);
        }
        if (state == IdempotencyState.IN_PROGRESS && leaseExpiresAt == null) {
            throw new IllegalArgumentException("an in-progress record needs a lease expiry: key=" + key);
        }
        if (state == IdempotencyState.COMPLETED && response == null) {
            throw new IllegalArgumentException("a completed record needs a response: key=" + key);
        }
    }

    /**
     * Returns whether the record had expired when read (an expired record counts as absent).
     *
     * @return whether the record had expired when read (an expired record counts as absent)
     */
    public boolean isExpired() {
        return !observedAt.isBefore(expiresAt);
    }

    /**
     * Returns whether the record is in progress and its owner's lease had lapsed when read.
     *
     * @return whether the record is in progress and its owner's lease had lapsed when read
     */
    public boolean isLeaseLapsed() {
        return state == IdempotencyState.IN_PROGRESS && leaseExpiresAt != null && !observedAt.isBefore(leaseExpiresAt);
    }

    /**
     * Checks that a request's fingerprint is the one stored with the key.
     *
     * @param requestFingerprint the fingerprint of the request that arrived with the key
     * @return this record
     * @throws IdempotencyKeyReusedException if the fingerprints differ
     */
    public @NotNull IdempotencyRecord requireFingerprint(@NotNull Fingerprint requestFingerprint) {
        if (!fingerprint.equals(requestFingerprint)) {
            throw new IdempotencyKeyReusedException(key.scope(), key.key());
        }
        return this;
    }
}

package dev.latchkey.idempotency.spi;

import java.time.Instant;
import java.util.Objects;

import dev.latchkey.idempotency.IdempotencyKeyReusedException;
import dev.latchkey.idempotency.StoredResponse;
import org.jetbrains.annotations.NotNull;

/**
 * What {@link IdempotencyStore#claim} found. A claim whose fingerprint differs from the one
 * stored with the key is not a result: it throws
 * {@link IdempotencyKeyReusedException}.
 */
public sealed interface ClaimResult permits ClaimResult.Claimed, ClaimResult.Replay, ClaimResult.InProgress {

    /**
     * The caller now holds the key: it must run the work and then
     * {@linkplain IdempotencyStore#complete complete} or {@linkplain IdempotencyStore#release
     * release} the key with this owner token before the lease lapses.
     *
     * @param owner the fencing token of this claim
     * @param attempt 1 for a first claim, more when a lapsed lease was taken over
     * @param leaseExpiresAt when the lease lapses, on the store's clock
     */
    record Claimed(@NotNull OwnerToken owner, int attempt, @NotNull Instant leaseExpiresAt) implements ClaimResult {
        /**
         * Checks the components.
         *
         * @param owner the fencing token of this claim
         * @param attempt 1 for a first claim, more when a lapsed lease was taken over
         * @param leaseExpiresAt when the lease lapses, on the store's clock
         */
        public Claimed {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(leaseExpiresAt, "leaseExpiresAt");
        }

        /**
         * Returns whether this claim took over a lapsed lease of an earlier owner.
         *
         * @return whether this claim took over a lapsed lease of an earlier owner
         */
        public boolean isTakeover() {
            return attempt > 1;
        }
    }

    /**
     * The key was completed by an earlier request with the same fingerprint: replay its response.
     *
     * @param record the completed record
     */
    record Replay(@NotNull IdempotencyRecord record) implements ClaimResult {
        /**
         * Checks the components.
         *
         * @param record the completed record
         */
        public Replay {
            Objects.requireNonNull(record, "record");
            if (record.state() != IdempotencyState.COMPLETED) {
                throw new IllegalArgumentException("a replay needs a completed record: " + record);
            }
        }

        /**
         * Returns the stored response.
         *
         * @return the stored response
         */
        public @NotNull StoredResponse response() {
            return Objects.requireNonNull(record.response(), "response");
        }
    }

    /**
     * Another request with the same fingerprint holds the key and its lease has not lapsed.
     *
     * @param record the in-progress record
     */
    record InProgress(@NotNull IdempotencyRecord record) implements ClaimResult {
        /**
         * Checks the components.
         *
         * @param record the in-progress record
         */
        public InProgress {
            Objects.requireNonNull(record, "record");
            if (record.state() != IdempotencyState.IN_PROGRESS) {
                throw new IllegalArgumentException("in progress needs an in-progress record: " + record);
            }
        }
    }
}

package dev.latchkey.idempotency.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import dev.latchkey.ConcurrencyListener;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyKeyReusedException;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.StoredResponse;
import org.jetbrains.annotations.NotNull;

/**
 * Service-provider interface of an idempotency-key store: where claims, leases and stored
 * responses live. latchkey-core ships an in-memory one
 * ({@code dev.latchkey.idempotency.memory.InMemoryIdempotencyStore}); latchkey-jdbc ships a
 * database one. Applications rarely call it directly: {@link #executor} gives them the
 * {@link Idempotency} executor, which runs the shared {@link IdempotencyEngine} on this store.
 *
 * <p>A record moves: absent → {@link IdempotencyState#IN_PROGRESS} (an owner token and a lease
 * expiry) → {@link IdempotencyState#COMPLETED} (a stored response and a retention expiry). An
 * in-progress record whose lease has lapsed can be taken over by a new claim with the same
 * fingerprint; a record past its expiry counts as absent. Every operation is atomic per key.
 *
 * <p>Contract every implementation keeps (and proves by extending the shared contract test in
 * latchkey-core's test-jar):
 * <ul>
 *   <li>At most one claim holds a key at a time; among concurrent claims of an absent key, or of
 *       a lapsed lease, exactly one succeeds.</li>
 *   <li>The fingerprint is checked on every path: a claim that conflicts with a live record,
 *       that would replay it, or that would take over its lapsed lease, throws
 *       {@link IdempotencyKeyReusedException} when the fingerprints differ. Only an expired
 *       record may be claimed with a different fingerprint.</li>
 *   <li>{@link #complete} and {@link #release} are fenced on the owner token: with a token that
 *       no longer holds the key they change nothing and return {@link FenceOutcome#LEASE_LOST}.</li>
 *   <li>Expiry is decided by the store's own clock (the database's, for a database store).</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface IdempotencyStore {

    /** The longest lease or retention a store accepts: ten years (365 days each). */
    Duration MAX_RETENTION = IdempotencyPolicy.MAX_RETENTION;

    /**
     * Claims a key for a request: creates the record if the key is absent or expired, takes
     * over an in-progress record whose lease has lapsed, or reports what is there.
     *
     * @param key the key
     * @param fingerprint the request's fingerprint
     * @param lease how long the claim holds the key before another request may take it over, {@code > 0}
     * @param retention how long the record lives from now if never completed, {@code >= lease}
     * @return {@link ClaimResult.Claimed} with a new owner token, {@link ClaimResult.Replay} for
     *         a completed key, or {@link ClaimResult.InProgress} when another owner's lease is live
     * @throws IdempotencyKeyReusedException if a live record of the key has a different fingerprint
     * @throws IllegalArgumentException if a duration is out of range
     */
    @NotNull ClaimResult claim(@NotNull IdempotencyKey key, @NotNull Fingerprint fingerprint,
                               @NotNull Duration lease, @NotNull Duration retention);

    /**
     * Completes a key held by the owner: stores the response and keeps the record for the
     * retention from now.
     *
     * @param key the key
     * @param owner the owner token from the claim
     * @param response the response to replay to later requests
     * @param retention how long the completed record lives from now, {@code > 0}
     * @return {@link FenceOutcome#APPLIED}, or {@link FenceOutcome#LEASE_LOST} when the owner no
     *         longer holds the key (nothing changed)
     * @throws IllegalArgumentException if the retention is out of range or the response exceeds
     *         {@link #maxResponseBytes()}
     */
    @NotNull FenceOutcome complete(@NotNull IdempotencyKey key, @NotNull OwnerToken owner,
                                   @NotNull StoredResponse response, @NotNull Duration retention);

    /**
     * Releases a key held by the owner, so the next request with it runs the work again.
     *
     * @param key the key
     * @param owner the owner token from the claim
     * @return {@link FenceOutcome#APPLIED}, or {@link FenceOutcome#LEASE_LOST} when the owner no
     *         longer holds the key (nothing changed)
     */
    @NotNull FenceOutcome release(@NotNull IdempotencyKey key, @NotNull OwnerToken owner);

    /**
     * Renews the lease of a key the owner still holds in progress: it then lapses {@code lease}
     * after the store's now (the record's expiry moves along if it would come first). What the
     * executors' {@linkplain IdempotencyPolicy.Builder#renewLeaseEvery(Duration) lease renewal}
     * calls while long work runs; one statement on a database.
     *
     * @param key the key
     * @param owner the owner token from the claim
     * @param lease the new lease from now, {@code > 0}
     * @return {@link FenceOutcome#APPLIED}, or {@link FenceOutcome#LEASE_LOST} when the owner no
     *         longer holds the key or its lease had lapsed (nothing changed)
     * @throws UnsupportedOperationException by default: a store written before renewal existed
     *         cannot renew (its executors then work as before, without renewal)
     */
    default @NotNull FenceOutcome renew(@NotNull IdempotencyKey key, @NotNull OwnerToken owner,
                                        @NotNull Duration lease) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot renew idempotency leases");
    }

    /**
     * Reads a key's record: the statement that replays a response, and what a duplicate that
     * waits for the first request polls.
     *
     * @param key the key
     * @return the record, or empty when the key is absent or its record has expired
     */
    @NotNull Optional<IdempotencyRecord> find(@NotNull IdempotencyKey key);

    /**
     * Deletes up to {@code limit} expired records, oldest expiry first where the store can
     * tell, without blocking claims of other keys for the whole sweep.
     *
     * @param limit the most records to delete in this round, {@code >= 1}
     * @return how many were deleted
     * @throws IllegalArgumentException if {@code limit < 1}
     */
    int purgeExpired(int limit);

    /**
     * Deletes every expired record in rounds of {@code batchSize}, until a round deletes fewer.
     *
     * @param batchSize the most records per round, {@code >= 1}
     * @return how many were deleted in total
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    default long purgeAllExpired(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1: batchSize=" + batchSize);
        }
        long total = 0;
        int n;
        do {
            n = purgeExpired(batchSize);
            total += n;
        } while (n >= batchSize);
        return total;
    }

    /**
     * The largest response body {@link #complete} can record, in bytes: what the store's
     * storage (a column type, the database's largest packet) really holds. An executor checks
     * its policy's {@link IdempotencyPolicy#maxResponseBytes()} against it when it is built, so
     * that no work runs whose result the store would then refuse.
     *
     * @return the largest body, {@code >= 0}; by default {@link Integer#MAX_VALUE} (no limit of its own)
     */
    default int maxResponseBytes() {
        return Integer.MAX_VALUE;
    }

    /**
     * An executor on this store: runs work at most once per key through the
     * {@link IdempotencyEngine}, outside any store transaction. Stores that know a listener
     * (the JDBC store tells its Latchkey's) override this to attach it.
     *
     * @param policy the policy
     * @return the executor
     * @throws IllegalArgumentException if the policy's {@code maxResponseBytes} is more than
     *         {@link #maxResponseBytes()}
     */
    default @NotNull Idempotency executor(@NotNull IdempotencyPolicy policy) {
        return new StoreExecutor(this, IdempotencyEngine.of(policy, ConcurrencyListener.NONE, this));
    }

    /**
     * Checks the arguments of {@link #renew}: what every store checks first.
     *
     * @param key the key
     * @param owner the owner token
     * @param lease the new lease
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code lease <= 0} or beyond {@link #MAX_RETENTION}
     */
    static void checkRenewal(@NotNull IdempotencyKey key, @NotNull OwnerToken owner, @NotNull Duration lease) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(lease, "lease");
        if (lease.isNegative() || lease.isZero() || lease.compareTo(MAX_RETENTION) > 0) {
            // named "lease" here: the claim's check would blame a "retention" the caller never passed
            throw new IllegalArgumentException("lease must be > 0 and <= " + MAX_RETENTION + ": lease=" + lease);
        }
    }

    /**
     * Checks the durations of a claim; for implementations. Same as
     * {@link IdempotencyPolicy#checkClaimDurations}.
     *
     * @param lease the lease
     * @param retention the retention
     * @throws IllegalArgumentException if {@code lease <= 0}, {@code retention < lease} or
     *         {@code retention > } {@link #MAX_RETENTION}
     */
    static void checkClaimDurations(@NotNull Duration lease, @NotNull Duration retention) {
        IdempotencyPolicy.checkClaimDurations(lease, retention);
    }

    /**
     * Checks the retention of a completion; for implementations. Same as
     * {@link IdempotencyPolicy#checkRetention}.
     *
     * @param retention the retention
     * @throws IllegalArgumentException if {@code retention <= 0} or {@code retention > }
     *         {@link #MAX_RETENTION}
     */
    static void checkRetention(@NotNull Duration retention) {
        IdempotencyPolicy.checkRetention(retention);
    }
}

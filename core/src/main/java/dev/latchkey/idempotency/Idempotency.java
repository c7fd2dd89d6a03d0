package dev.latchkey.idempotency;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import dev.latchkey.ConcurrencyListener;
import dev.latchkey.RetriesExhaustedException;
import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;

/**
 * Runs work at most once per idempotency key and replays its stored response to every later
 * request with the same key: Stripe-style idempotency keys on any {@link IdempotencyStore}.
 *
 * <pre>{@code
 * Idempotency idempotency = Idempotency.of(store, IdempotencyPolicy.defaults());
 * IdempotentResult<StoredResponse> r = idempotency.execute(
 *         IdempotencyKey.of("POST /charges", idempotencyKeyHeader),
 *         Fingerprint.sha256(requestBody),
 *         () -> StoredResponse.ofText(201, "application/json", charge(request)));
 * }</pre>
 *
 * <p>What {@code execute} does: it claims the key with the request's fingerprint. A claimed key
 * runs the work, encodes its result, and completes the key with the response, fenced on the
 * claim's owner token. A completed key replays the stored response without running the work.
 * Otherwise it throws:
 * <ul>
 *   <li>{@link IdempotencyKeyReusedException} (HTTP 422) when the key was used with a different
 *       fingerprint, whichever path found it (claim, replay, wait, takeover);</li>
 *   <li>{@link IdempotencyKeyInUseException} (HTTP 409) when another request holds the key, at
 *       once or after the policy's wait;</li>
 *   <li>{@link LeaseLostException} (HTTP 409) when the work outlived its lease and another
 *       request took the key over: this result was refused by the fence;</li>
 *   <li>{@link ReplayedFailureException}, or what the policy's failure codec decodes, when the
 *       key's stored response is a failure;</li>
 *   <li>{@link ResponseTooLargeException} when the response exceeds the policy's maximum;</li>
 *   <li>whatever the work threw, after releasing the key (or storing the failure, by policy).</li>
 * </ul>
 *
 * <p>The work runs outside any store transaction, so its side effects and the stored response
 * are not atomic: a crash after the work and before completion leaves the key in progress
 * until the lease lapses, and the retry runs the work again. When the side effects are writes
 * to the same database, the JDBC store's transactional mode commits them together instead.
 *
 * <p>Immutable and thread-safe.
 */
public final class Idempotency {
    private static final System.Logger LOG = System.getLogger(Idempotency.class.getName());

    private final IdempotencyStore store;
    private final IdempotencyPolicy policy;
    private final ConcurrencyListener listener;

    private Idempotency(IdempotencyStore store, IdempotencyPolicy policy, ConcurrencyListener listener) {
        this.store = store;
        this.policy = policy;
        this.listener = listener;
    }

    /**
     * An executor with the default policy.
     *
     * @param store the store
     * @return the executor
     */
    public static @NotNull Idempotency of(@NotNull IdempotencyStore store) {
        return of(store, IdempotencyPolicy.defaults());
    }

    /**
     * An executor.
     *
     * @param store the store
     * @param policy the policy
     * @return the executor
     */
    public static @NotNull Idempotency of(@NotNull IdempotencyStore store, @NotNull IdempotencyPolicy policy) {
        return new Idempotency(Objects.requireNonNull(store, "store"), Objects.requireNonNull(policy, "policy"),
                ConcurrencyListener.NONE);
    }

    /**
     * This executor with another policy.
     *
     * @param policy the policy
     * @return a new executor
     */
    public @NotNull Idempotency withPolicy(@NotNull IdempotencyPolicy policy) {
        return new Idempotency(store, Objects.requireNonNull(policy, "policy"), listener);
    }

    /**
     * This executor, telling a listener about replays.
     *
     * @param listener a thread-safe listener
     * @return a new executor
     */
    public @NotNull Idempotency withListener(@NotNull ConcurrencyListener listener) {
        return new Idempotency(store, policy, Objects.requireNonNull(listener, "listener"));
    }

    /** @return the store */
    public @NotNull IdempotencyStore store() {
        return store;
    }

    /** @return the policy */
    public @NotNull IdempotencyPolicy policy() {
        return policy;
    }

    /**
     * Runs work that returns the response to store, at most once per key.
     *
     * @param key the idempotency key
     * @param fingerprint the request's fingerprint
     * @param work the work
     * @return the response, fresh or replayed
     * @see Idempotency the exceptions thrown
     */
    public @NotNull IdempotentResult<StoredResponse> execute(@NotNull IdempotencyKey key,
                                                             @NotNull Fingerprint fingerprint,
                                                             @NotNull Supplier<StoredResponse> work) {
        return execute(key, fingerprint, ResponseCodec.identity(), work);
    }

    /**
     * Runs work at most once per key, storing its result through a codec.
     *
     * @param key the idempotency key
     * @param fingerprint the request's fingerprint
     * @param codec encodes the result to store and decodes a replay
     * @param work the work
     * @param <T> the result type
     * @return the result, fresh or replayed
     * @see Idempotency the exceptions thrown
     */
    public <T> @NotNull IdempotentResult<T> execute(@NotNull IdempotencyKey key, @NotNull Fingerprint fingerprint,
                                                    @NotNull ResponseCodec<T> codec,
                                                    @NotNull Supplier<? extends T> work) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(work, "work");
        ClaimResult claim = claim(key, fingerprint);
        if (claim instanceof ClaimResult.Replay) {
            StoredResponse stored = ((ClaimResult.Replay) claim).response();
            notifyReplay(key);
            return IdempotentResult.replayed(policy.decodeReplay(key, stored, codec), stored);
        }
        ClaimResult.Claimed claimed = (ClaimResult.Claimed) claim;
        T value;
        StoredResponse response;
        try {
            value = work.get();
            response = codec.encode(value);
            policy.checkResponseSize(key, response);
        } catch (RuntimeException failure) {
            settleFailure(key, claimed, failure);
            throw failure;
        } catch (Error error) {
            releaseQuietly(key, claimed, error);
            throw error;
        }
        if (store.complete(key, claimed.owner(), response, policy.retention()) == FenceOutcome.LEASE_LOST) {
            throw new LeaseLostException(key, claimed.attempt());
        }
        return IdempotentResult.fresh(value, response);
    }

    private ClaimResult claim(IdempotencyKey key, Fingerprint fingerprint) {
        RetryPolicy wait = policy.inProgressWait();
        if (wait == null) {
            return claimOrThrowInUse(key, fingerprint);
        }
        try {
            return wait.execute(attempt -> attempt == 1 ? claimOrThrowInUse(key, fingerprint) : poll(key, fingerprint));
        } catch (RetriesExhaustedException e) {
            if (e.getCause() instanceof IdempotencyKeyInUseException) {
                throw (IdempotencyKeyInUseException) e.getCause();
            }
            throw e;
        }
    }

    private ClaimResult claimOrThrowInUse(IdempotencyKey key, Fingerprint fingerprint) {
        ClaimResult r = store.claim(key, fingerprint, policy.lease(), policy.retention());
        if (r instanceof ClaimResult.InProgress) {
            throw new IdempotencyKeyInUseException(key.scope(), key.key());
        }
        return r;
    }

    /** One poll of a waiting duplicate: replay if completed, claim if free or lapsed, else still in use. */
    private ClaimResult poll(IdempotencyKey key, Fingerprint fingerprint) {
        Optional<IdempotencyRecord> found = store.find(key);
        if (found.isPresent()) {
            IdempotencyRecord record = found.get().requireFingerprint(fingerprint);
            if (record.state() == IdempotencyState.COMPLETED) {
                return new ClaimResult.Replay(record);
            }
            if (!record.isLeaseLapsed()) {
                throw new IdempotencyKeyInUseException(key.scope(), key.key());
            }
        }
        return claimOrThrowInUse(key, fingerprint);
    }

    private void settleFailure(IdempotencyKey key, ClaimResult.Claimed claimed, RuntimeException failure) {
        StoredResponse stored;
        try {
            stored = policy.encodeFailure(key, failure);
        } catch (RuntimeException encodeFailure) {
            failure.addSuppressed(encodeFailure);
            stored = null;
        }
        if (stored == null) {
            releaseQuietly(key, claimed, failure);
            return;
        }
        try {
            store.complete(key, claimed.owner(), stored, policy.retention());
        } catch (RuntimeException storeFailure) {
            failure.addSuppressed(storeFailure);
        }
    }

    private void releaseQuietly(IdempotencyKey key, ClaimResult.Claimed claimed, Throwable primary) {
        try {
            store.release(key, claimed.owner());
        } catch (RuntimeException releaseFailure) {
            primary.addSuppressed(releaseFailure);
        }
    }

    private void notifyReplay(IdempotencyKey key) {
        try {
            listener.onIdempotencyReplay(key.scope(), key.key());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "concurrency listener threw; ignored", e);
        }
    }

    @Override
    public String toString() {
        return "Idempotency[" + store + ", " + policy + "]";
    }
}

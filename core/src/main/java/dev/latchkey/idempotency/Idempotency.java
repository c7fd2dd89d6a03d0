package dev.latchkey.idempotency;

import java.util.function.Supplier;

import dev.latchkey.ConcurrencyListener;
import org.jetbrains.annotations.NotNull;

/**
 * Runs work at most once per idempotency key and replays its stored response to every later
 * request with the same key: Stripe-style idempotency keys on any idempotency store. A store
 * hands out its executor ({@code store.executor(policy)}); the JDBC store's attaches its
 * Latchkey's listener.
 *
 * <pre>{@code
 * Idempotency idempotency = store.executor(IdempotencyPolicy.defaults());
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
 *       key's stored response is a failure (also to the first caller, when the response codec
 *       encoded the work's result as a failure: see {@link ResponseCodec#encode});</li>
 *   <li>{@link ResponseTooLargeException} when the response exceeds the policy's maximum;</li>
 *   <li>{@link ResultNotRecordedException} when the work succeeded but the store could not
 *       record its result (unreachable, failing, refusing the response): the work's effects
 *       happened and the exception carries its result; the key stays claimed until the lease
 *       lapses. An interrupt of the thread does not stop the recording (it is set again
 *       after);</li>
 *   <li>whatever the work threw, after releasing the key (or storing the failure, by policy).</li>
 * </ul>
 *
 * <p>The work runs outside any store transaction, so its side effects and the stored response
 * are not atomic: a crash after the work and before completion leaves the key in progress
 * until the lease lapses, and the retry runs the work again. When the side effects are writes
 * to the same database, the JDBC store's transactional mode commits them together instead.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface Idempotency {

    /**
     * This executor with another policy.
     *
     * @param policy the policy
     * @return a new executor
     */
    @NotNull Idempotency withPolicy(@NotNull IdempotencyPolicy policy);

    /**
     * This executor, telling a listener about replays.
     *
     * @param listener a thread-safe listener
     * @return a new executor
     */
    @NotNull Idempotency withListener(@NotNull ConcurrencyListener listener);

    /**
     * Returns the policy.
     *
     * @return the policy
     */
    @NotNull IdempotencyPolicy policy();

    /**
     * Runs work that returns the response to store, at most once per key.
     *
     * @param key the idempotency key
     * @param fingerprint the request's fingerprint
     * @param work the work
     * @return the response, fresh or replayed
     * @see Idempotency the exceptions thrown
     */
    default @NotNull IdempotentResult<StoredResponse> execute(@NotNull IdempotencyKey key,
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
    <T> @NotNull IdempotentResult<T> execute(@NotNull IdempotencyKey key, @NotNull Fingerprint fingerprint,
                                             @NotNull ResponseCodec<T> codec, @NotNull Supplier<? extends T> work);
}

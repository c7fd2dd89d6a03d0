package dev.latchkey.idempotency;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Decides which failures of idempotent work are final and stored as the key's response, and
 * what a replay of a stored failure throws. Used with
 * {@link IdempotencyPolicy.Builder#storeFailures(FailureCodec)}; without it every failure
 * releases the key so that the request can be retried.
 *
 * <p>Typical use: store business rejections (card declined, HTTP 402) so that retries get the
 * same answer, and release on everything else (a timeout, a bug) so that a retry runs the work
 * again. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface FailureCodec {

    /**
     * Encodes a failure as the key's final response, or declines.
     *
     * @param key the key whose work failed
     * @param failure what the work threw
     * @return the response to store (it is stored as a {@linkplain StoredResponse#isFailure()
     *         failure}), or {@code null} to release the key instead
     */
    @Nullable StoredResponse encode(@NotNull IdempotencyKey key, @NotNull RuntimeException failure);

    /**
     * What replaying a stored failure throws. By default a {@link ReplayedFailureException}
     * carrying the stored response.
     *
     * @param key the key
     * @param stored the stored failure
     * @return the exception to throw to the replayed request
     */
    default @NotNull RuntimeException decode(@NotNull IdempotencyKey key, @NotNull StoredResponse stored) {
        return new ReplayedFailureException(key, stored);
    }
}

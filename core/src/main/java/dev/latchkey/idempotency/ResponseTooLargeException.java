package dev.latchkey.idempotency;

import java.io.Serial;
import java.util.Objects;

import org.jetbrains.annotations.NotNull;

/**
 * The response of idempotent work is larger than the configured maximum
 * ({@link IdempotencyPolicy.Builder#maxResponseBytes(int)}), so it cannot be stored. The work
 * ran; its key was released (or, in a transaction, everything was rolled back), so a retry runs
 * it again. Raise the maximum or store less (an id to fetch the result by, say).
 */
public class ResponseTooLargeException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final @NotNull IdempotencyKey key;
    private final int size;
    private final int limit;

    /**
     * Creates the exception.
     *
     * @param key the key
     * @param size the response's size in bytes
     * @param limit the configured maximum in bytes
     */
    public ResponseTooLargeException(@NotNull IdempotencyKey key, int size, int limit) {
        super("the response for idempotency key " + key + " is " + size + " bytes, more than the configured maximum of "
                + limit + " bytes (maxResponseBytes); it was not stored and the key was released");
        this.key = Objects.requireNonNull(key, "key");
        this.size = size;
        this.limit = limit;
    }

    /**
     * Returns the key.
     *
     * @return the key
     */
    public @NotNull IdempotencyKey key() {
        return key;
    }

    /**
     * Returns the response's size in bytes.
     *
     * @return the response's size in bytes
     */
    public int size() {
        return size;
    }

    /**
     * Returns the configured maximum in bytes.
     *
     * @return the configured maximum in bytes
     */
    public int limit() {
        return limit;
    }
}

package dev.latchkey.idempotency;

import java.io.Serial;
import java.util.Objects;

import org.jetbrains.annotations.NotNull;

/**
 * Thrown to a request whose idempotency key was completed with a stored failure: the first
 * request failed, the failure policy kept its failure as the final response, and this request
 * gets the same answer. Render {@link #response()} (its status, content type and body) as the
 * reply. Not a concurrency failure; retrying gives the same exception until the record expires.
 */
public class ReplayedFailureException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final @NotNull IdempotencyKey key;
    private final @NotNull StoredResponse response;

    /**
     * Creates the exception.
     *
     * @param key the key
     * @param response the stored failure
     */
    public ReplayedFailureException(@NotNull IdempotencyKey key, @NotNull StoredResponse response) {
        super("replayed the stored failure of idempotency key " + key + " (status " + response.status() + ")");
        this.key = Objects.requireNonNull(key, "key");
        this.response = Objects.requireNonNull(response, "response");
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
     * Returns the stored failure response.
     *
     * @return the stored failure response
     */
    public @NotNull StoredResponse response() {
        return response;
    }
}

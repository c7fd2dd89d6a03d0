package dev.latchkey.idempotency;

import java.util.Objects;

import org.jetbrains.annotations.NotNull;

/**
 * The result of an idempotent execution: the value, the response stored for it, and whether it
 * was freshly computed by this request or replayed from an earlier one (send an
 * {@code Idempotent-Replayed: true} header, say). Immutable.
 *
 * @param <T> the value type
 */
public final class IdempotentResult<T> {
    private final T value;
    private final StoredResponse response;
    private final boolean replayed;

    private IdempotentResult(T value, StoredResponse response, boolean replayed) {
        this.value = value;
        this.response = Objects.requireNonNull(response, "response");
        this.replayed = replayed;
    }

    /**
     * A result computed by this request.
     *
     * @param value the value the work returned
     * @param response the response stored for it
     * @param <T> the value type
     * @return the result
     */
    public static <T> @NotNull IdempotentResult<T> fresh(T value, @NotNull StoredResponse response) {
        return new IdempotentResult<>(value, response, false);
    }

    /**
     * A result replayed from a stored response.
     *
     * @param value the decoded value
     * @param response the stored response
     * @param <T> the value type
     * @return the result
     */
    public static <T> @NotNull IdempotentResult<T> replayed(T value, @NotNull StoredResponse response) {
        return new IdempotentResult<>(value, response, true);
    }

    /**
     * Returns the value: what the work returned, or what the stored response decodes to.
     *
     * @return the value: what the work returned, or what the stored response decodes to
     */
    public T value() {
        return value;
    }

    /**
     * Returns the stored response.
     *
     * @return the stored response
     */
    public @NotNull StoredResponse response() {
        return response;
    }

    /**
     * Returns whether the value was replayed from an earlier request with the same key.
     *
     * @return whether the value was replayed from an earlier request with the same key
     */
    public boolean isReplayed() {
        return replayed;
    }

    /**
     * Returns whether the value was computed by this request.
     *
     * @return whether the value was computed by this request
     */
    public boolean isFresh() {
        return !replayed;
    }

    @Override
    public String toString() {
        return "IdempotentResult[" + (replayed ? "replayed" : "fresh") + ", " + response + "]";
    }
}

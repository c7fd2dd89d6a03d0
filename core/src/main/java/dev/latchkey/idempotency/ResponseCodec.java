package dev.latchkey.idempotency;

import java.util.Objects;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Turns the result of idempotent work into the {@link StoredResponse} kept with the key, and a
 * stored response back into a result when it is replayed. Plug in your JSON mapper here.
 *
 * <p>{@code decode(encode(v))} must be equivalent to {@code v}: a replayed request must see the
 * same result as the first. Implementations must be thread-safe.
 *
 * @param <T> the result type
 */
public interface ResponseCodec<T> {

    /**
     * Encodes a result of successful work.
     *
     * <p>It may return a {@linkplain StoredResponse#failure stored failure} (work that decides
     * the request failed without throwing, such as a declined payment returned by
     * {@link #identity()}): it is stored as the key's final response, and every caller, the
     * first included, gets it thrown as {@link FailureCodec#decode} makes it (by default
     * {@link ReplayedFailureException}), never the first as a fresh result and the others as a
     * failure.
     *
     * @param value the result
     * @return the response to store
     */
    @NotNull StoredResponse encode(T value);

    /**
     * Decodes a stored response for a replay.
     *
     * @param response the stored response
     * @return the result
     */
    T decode(@NotNull StoredResponse response);

    /**
     * The codec for work that already returns a {@link StoredResponse}.
     *
     * @return the identity codec
     */
    static @NotNull ResponseCodec<StoredResponse> identity() {
        return Identity.INSTANCE;
    }

    /**
     * A codec for text results, stored as UTF-8 with a fixed status and content type.
     *
     * @param status the status to store, 0 to 999
     * @param contentType the content type to store, or {@code null}
     * @return the codec
     */
    static @NotNull ResponseCodec<String> text(int status, @Nullable String contentType) {
        StoredResponse.ofText(status, contentType, ""); // validates the status and content type now
        return new ResponseCodec<>() {
            @Override
            public @NotNull StoredResponse encode(String value) {
                return StoredResponse.ofText(status, contentType, Objects.requireNonNull(value, "value"));
            }

            @Override
            public String decode(@NotNull StoredResponse response) {
                return response.bodyAsText();
            }
        };
    }

    /** The identity codec. */
    final class Identity implements ResponseCodec<StoredResponse> {
        static final Identity INSTANCE = new Identity();

        private Identity() {
        }

        @Override
        public @NotNull StoredResponse encode(StoredResponse value) {
            return Objects.requireNonNull(value, "the work returned null instead of a StoredResponse");
        }

        @Override
        public StoredResponse decode(@NotNull StoredResponse response) {
            return response;
        }
    }
}

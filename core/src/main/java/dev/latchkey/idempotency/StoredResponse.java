package dev.latchkey.idempotency;

import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The response stored with a completed idempotency key and replayed to every later request
 * with the same key and fingerprint: a body of bytes, a small status (an HTTP status, or any
 * code from 0 to 999 the application uses) and an optional content type.
 *
 * <p>A response is either the result of work that succeeded or, when the failure policy
 * stores failures, a {@linkplain #isFailure() failure}: replaying a failure throws instead of
 * returning a value. Immutable; the body is copied in and out.
 */
public final class StoredResponse implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The longest content type accepted, in characters. */
    public static final int MAX_CONTENT_TYPE_LENGTH = 100;

    /** The highest status accepted. */
    public static final int MAX_STATUS = 999;

    private static final byte[] EMPTY = new byte[0];

    private final int status;
    private final @Nullable String contentType;
    private final byte[] body;
    private final boolean failure;

    private StoredResponse(int status, @Nullable String contentType, byte[] body, boolean failure) {
        if (status < 0 || status > MAX_STATUS) {
            throw new IllegalArgumentException("status must be in [0, " + MAX_STATUS + "]: status=" + status);
        }
        if (contentType != null) {
            if (contentType.isEmpty() || contentType.length() > MAX_CONTENT_TYPE_LENGTH) {
                throw new IllegalArgumentException("contentType must be 1 to " + MAX_CONTENT_TYPE_LENGTH
                        + " characters (or null): length=" + contentType.length());
            }
            for (int i = 0; i < contentType.length(); i++) {
                char c = contentType.charAt(i);
                if (c < 0x20 || c > 0x7E) {
                    throw new IllegalArgumentException("contentType must be printable ASCII: "
                            + String.format("U+%04X", (int) c) + " at index " + i);
                }
            }
        }
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.failure = failure;
    }

    /**
     * A response of a successful request.
     *
     * @param status the status, 0 to 999 (e.g. 201)
     * @param contentType the content type, at most 100 printable ASCII characters, or {@code null}
     * @param body the body; copied
     * @return the response
     * @throws IllegalArgumentException if the status or content type is out of range
     */
    public static @NotNull StoredResponse of(int status, @Nullable String contentType, byte @NotNull [] body) {
        return new StoredResponse(status, contentType, Objects.requireNonNull(body, "body").clone(), false);
    }

    /**
     * A response of a successful request, with status 0 and no content type.
     *
     * @param body the body; copied
     * @return the response
     */
    public static @NotNull StoredResponse of(byte @NotNull [] body) {
        return of(0, null, body);
    }

    /**
     * A response whose body is the UTF-8 encoding of a text.
     *
     * @param status the status, 0 to 999
     * @param contentType the content type, or {@code null}
     * @param body the text
     * @return the response
     */
    public static @NotNull StoredResponse ofText(int status, @Nullable String contentType, @NotNull String body) {
        return new StoredResponse(status, contentType, Objects.requireNonNull(body, "body")
                .getBytes(StandardCharsets.UTF_8), false);
    }

    /**
     * A stored failure: replaying it throws (see {@link FailureCodec#decode}).
     *
     * @param status the status, 0 to 999 (e.g. 402)
     * @param contentType the content type, or {@code null}
     * @param body the body; copied
     * @return the response
     */
    public static @NotNull StoredResponse failure(int status, @Nullable String contentType, byte @NotNull [] body) {
        return new StoredResponse(status, contentType, Objects.requireNonNull(body, "body").clone(), true);
    }

    /**
     * Restores a response from a store's columns.
     *
     * @param status the stored status
     * @param contentType the stored content type, or {@code null}
     * @param body the stored body, copied; {@code null} means empty
     * @param failure whether it is a stored failure
     * @return the response
     */
    public static @NotNull StoredResponse restore(int status, @Nullable String contentType, byte @Nullable [] body,
                                                  boolean failure) {
        return new StoredResponse(status, contentType, body == null ? EMPTY : body.clone(), failure);
    }

    /**
     * Returns this response marked as a stored failure.
     *
     * @return this response marked as a stored failure
     */
    public @NotNull StoredResponse asFailure() {
        return failure ? this : new StoredResponse(status, contentType, body, true);
    }

    /**
     * Returns the status, 0 to 999.
     *
     * @return the status, 0 to 999
     */
    public int status() {
        return status;
    }

    /**
     * Returns the content type, or {@code null}.
     *
     * @return the content type, or {@code null}
     */
    public @Nullable String contentType() {
        return contentType;
    }

    /**
     * Returns a copy of the body.
     *
     * @return a copy of the body
     */
    public byte @NotNull [] body() {
        return body.clone();
    }

    /**
     * Returns the body decoded as UTF-8.
     *
     * @return the body decoded as UTF-8
     */
    public @NotNull String bodyAsText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Returns the body's length in bytes.
     *
     * @return the body's length in bytes
     */
    public int size() {
        return body.length;
    }

    /**
     * Returns whether this is a stored failure rather than a successful result.
     *
     * @return whether this is a stored failure rather than a successful result
     */
    public boolean isFailure() {
        return failure;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StoredResponse)) {
            return false;
        }
        StoredResponse r = (StoredResponse) o;
        return status == r.status && failure == r.failure && Objects.equals(contentType, r.contentType)
                && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return (Objects.hash(status, contentType, failure) * 31) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "StoredResponse[" + (failure ? "failure, " : "") + "status=" + status + ", contentType=" + contentType
                + ", " + body.length + " bytes]";
    }
}

package dev.latchkey.idempotency;

import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

import org.jetbrains.annotations.NotNull;

/**
 * An idempotency key: the client's key (an {@code Idempotency-Key} header value, typically a
 * UUID) within a scope that says what the key protects (e.g. {@code "POST /charges"} or a
 * tenant id), so that two endpoints or tenants never share a key by accident.
 *
 * <p>Both parts must be non-empty, at most {@link #MAX_SCOPE_LENGTH} / {@link #MAX_KEY_LENGTH}
 * characters, printable ASCII ({@code 0x20}–{@code 0x7E}) and without leading or trailing
 * spaces; anything else is rejected with an {@link IllegalArgumentException} naming the part,
 * the bad value and why. The restriction makes keys compare byte-for-byte the same way in
 * every store (no case folding, no trailing-space padding, no Unicode normalisation).
 *
 * @param scope what the key protects
 * @param key the client's idempotency key
 */
public record IdempotencyKey(@NotNull String scope, @NotNull String key) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The longest scope accepted, in characters. */
    public static final int MAX_SCOPE_LENGTH = 100;

    /** The longest key accepted, in characters. */
    public static final int MAX_KEY_LENGTH = 255;

    /**
     * Validates the parts.
     *
     * @param scope what the key protects
     * @param key the client's idempotency key
     * @throws NullPointerException if a part is null
     * @throws IllegalArgumentException if a part is empty, too long, has a character outside
     *         printable ASCII, or starts or ends with a space
     */
    public IdempotencyKey {
        validate("scope", scope, MAX_SCOPE_LENGTH);
        validate("key", key, MAX_KEY_LENGTH);
    }

    /**
     * Creates a key.
     *
     * @param scope what the key protects, e.g. {@code "POST /charges"}
     * @param key the client's key
     * @return the key
     * @throws IllegalArgumentException if a part is invalid (see the class comment)
     */
    public static @NotNull IdempotencyKey of(@NotNull String scope, @NotNull String key) {
        return new IdempotencyKey(scope, key);
    }

    private static void validate(String what, String value, int maxLength) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("idempotency " + what + " must not be empty");
        }
        if (value.length() > maxLength) {
            throw new IllegalArgumentException("idempotency " + what + " must be at most " + maxLength
                    + " characters: length=" + value.length() + ", " + what + "=" + shorten(value));
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException("idempotency " + what + " must be printable ASCII (0x20-0x7E): "
                        + String.format("U+%04X", (int) c) + " at index " + i + ", " + what + "=" + shorten(value));
            }
        }
        if (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ') {
            throw new IllegalArgumentException("idempotency " + what + " must not start or end with a space: "
                    + what + "=" + shorten(value));
        }
    }

    private static String shorten(String s) {
        StringBuilder b = new StringBuilder("'");
        int n = Math.min(s.length(), 60);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append(s.length() > n ? "...'" : "'").toString();
    }

    /**
     * Returns {@code scope/key}.
     *
     * @return {@code scope/key}
     */
    @Override
    public String toString() {
        return scope + "/" + key;
    }
}

package dev.latchkey.idempotency.spi;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

import org.jetbrains.annotations.NotNull;

/**
 * The fencing token of one claim of an idempotency key. Completing or releasing the key is
 * accepted only with the token of the claim that currently holds it, so a worker whose lease
 * was taken over cannot overwrite the result of the worker that took over.
 *
 * <p>A token is 1 to {@link #MAX_LENGTH} printable ASCII characters without spaces. Immutable;
 * equality is by value.
 *
 * @param value the token text
 */
public record OwnerToken(@NotNull String value) {
    /** The longest token accepted, in characters. */
    public static final int MAX_LENGTH = 64;

    /** Final; SecureRandom is thread-safe (it synchronises internally). */
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    /**
     * Validates the token.
     *
     * @param value the token text
     * @throws IllegalArgumentException if it is empty, too long or not printable ASCII without spaces
     */
    public OwnerToken {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("an owner token is 1 to " + MAX_LENGTH + " characters: length="
                    + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c > 0x7E) {
                throw new IllegalArgumentException("an owner token is printable ASCII without spaces: "
                        + String.format("U+%04X", (int) c) + " at index " + i);
            }
        }
    }

    /**
     * A new token of 128 random bits from a {@link SecureRandom}, as 32 hexadecimal digits:
     * unique across processes sharing a database.
     *
     * @return a new token
     */
    public static @NotNull OwnerToken random() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        // HexFormat builds the string's Latin-1 bytes directly: no char[] and no copy into the String
        return new OwnerToken(HEX.formatHex(b));
    }

    @Override
    public String toString() {
        return value;
    }
}

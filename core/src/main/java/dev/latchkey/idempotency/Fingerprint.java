package dev.latchkey.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

import org.jetbrains.annotations.NotNull;

/**
 * The SHA-256 fingerprint of a request, stored with its idempotency key so that the same key
 * sent with a different request is detected and refused
 * ({@link IdempotencyKeyReusedException}, HTTP 422) on every path: when the claim
 * conflicts, when a stored response would be replayed, and when an expired lease is taken over.
 *
 * <p>Fingerprint what makes two requests "the same" for your endpoint: either the exact bytes of
 * the request body ({@link #sha256(byte[])}), or a canonical form of the fields that matter
 * ({@link #ofFields(Map)}: field order, map order and number spelling do not change it).
 * Immutable; equality is by digest.
 */
public final class Fingerprint {
    /** Length of a SHA-256 digest in bytes. */
    public static final int LENGTH = 32;

    /**
     * How deep maps, lists and arrays may nest in {@link #ofFields(Map)}: the fields map itself
     * is depth 0, so a value may sit inside at most 64 containers below it.
     */
    public static final int MAX_DEPTH = 64;

    /**
     * The most digits a number in {@link #ofFields(Map)} may have (its unscaled value, trailing
     * zeros included): enough for any amount or identifier, and it bounds the time and memory a
     * client-supplied number can cost.
     */
    public static final int MAX_NUMBER_DIGITS = 1000;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final byte[] digest;

    private Fingerprint(byte[] digest) {
        this.digest = digest;
    }

    /**
     * The SHA-256 of the given request bytes.
     *
     * @param request the bytes that identify the request, e.g. the raw body
     * @return the fingerprint
     */
    public static @NotNull Fingerprint sha256(byte @NotNull [] request) {
        Objects.requireNonNull(request, "request");
        return new Fingerprint(newDigest().digest(request));
    }

    /**
     * The SHA-256 of the UTF-8 encoding of the given text.
     *
     * @param request the text that identifies the request
     * @return the fingerprint
     */
    public static @NotNull Fingerprint sha256(@NotNull String request) {
        Objects.requireNonNull(request, "request");
        return sha256(request.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The SHA-256 of a canonical form of named fields. Map entries are sorted by name; values
     * are type-tagged and length-prefixed, so {@code ("ab","c")} and {@code ("a","bc")} differ
     * and so do {@code "1"} and {@code 1}. Numbers compare by value: {@code 1}, {@code 1L},
     * {@code 1.0}, {@code new BigDecimal("1.00")} and {@code new BigDecimal("0.1E+1")} give the
     * same fingerprint. A number is canonicalised in time and memory bounded by its digits, never
     * by its exponent: with trailing zeros stripped, it is its plain decimal text when the scale
     * is within &plusmn;{@value #MAX_NUMBER_DIGITS}, else its unscaled digits, {@code E} and the
     * exponent ({@code 1E+100000000} costs no more than {@code 1}).
     *
     * <p>Accepted values: {@code null}, {@link String}, {@link Boolean}, {@link Number}
     * (integral types, {@code BigInteger}, {@code BigDecimal}, finite {@code float}/{@code
     * double}, at most {@value #MAX_NUMBER_DIGITS} digits), {@link Enum} (by name),
     * {@code byte[]}, {@link java.util.List} and {@code Object[]} (ordered), and {@link Map}
     * with {@code String} keys (unordered), nested at most {@value #MAX_DEPTH} deep below the
     * fields map.
     *
     * @param fields the fields that make two requests the same
     * @return the fingerprint
     * @throws IllegalArgumentException naming the path of a value of another type, a non-String
     *         map key, a non-finite number, a number of more than {@value #MAX_NUMBER_DIGITS}
     *         digits, or maps, lists or arrays nested deeper than {@value #MAX_DEPTH} (a map
     *         that contains itself, too)
     */
    public static @NotNull Fingerprint ofFields(@NotNull Map<String, ?> fields) {
        Objects.requireNonNull(fields, "fields");
        return new Fingerprint(newDigest().digest(CanonicalForm.encode(fields)));
    }

    /**
     * A fingerprint from a stored digest.
     *
     * @param digest the 32 digest bytes; copied
     * @return the fingerprint
     * @throws IllegalArgumentException if the digest is not 32 bytes long
     */
    public static @NotNull Fingerprint fromBytes(byte @NotNull [] digest) {
        Objects.requireNonNull(digest, "digest");
        if (digest.length != LENGTH) {
            throw new IllegalArgumentException("a fingerprint is " + LENGTH + " bytes: length=" + digest.length);
        }
        return new Fingerprint(digest.clone());
    }

    /**
     * A fingerprint from its hexadecimal form ({@link #hex()}).
     *
     * @param hex 64 hexadecimal digits
     * @return the fingerprint
     * @throws IllegalArgumentException if the text is not 64 hexadecimal digits
     */
    public static @NotNull Fingerprint fromHex(@NotNull String hex) {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException("a fingerprint is " + (LENGTH * 2) + " hex digits: hex='" + hex + "'");
        }
        byte[] b = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("a fingerprint is " + (LENGTH * 2) + " hex digits: hex='" + hex + "'");
            }
            b[i] = (byte) (hi << 4 | lo);
        }
        return new Fingerprint(b);
    }

    /**
     * Returns a copy of the 32 digest bytes.
     *
     * @return a copy of the 32 digest bytes
     */
    public byte @NotNull [] bytes() {
        return digest.clone();
    }

    /**
     * Returns the digest as 64 lower-case hexadecimal digits.
     *
     * @return the digest as 64 lower-case hexadecimal digits
     */
    public @NotNull String hex() {
        char[] out = new char[LENGTH * 2];
        for (int i = 0; i < LENGTH; i++) {
            out[2 * i] = HEX[(digest[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[digest[i] & 0xF];
        }
        return new String(out);
    }

    /**
     * Whether this fingerprint has the given digest, compared in time independent of where
     * they differ.
     *
     * @param other the other digest
     * @return {@code true} when equal
     */
    public boolean matches(byte @NotNull [] other) {
        return MessageDigest.isEqual(digest, other);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint && MessageDigest.isEqual(digest, ((Fingerprint) o).digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    /**
     * Returns {@code sha256:} and the first 12 hex digits.
     *
     * @return {@code sha256:} and the first 12 hex digits
     */
    @Override
    public String toString() {
        return "sha256:" + hex().substring(0, 12);
    }
}

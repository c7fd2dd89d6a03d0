package dev.latchkey.spring.web;

import java.util.Objects;

import org.jetbrains.annotations.NotNull;

/**
 * Parses the {@code Idempotency-Key} request header of draft-ietf-httpapi-idempotency-key-header.
 *
 * <p>The draft defines the field as an RFC 8941 Item whose value is an {@code sf-string}: a
 * double-quoted string of printable ASCII ({@code 0x20}-{@code 0x7E}) in which only {@code \"}
 * and {@code \\} are escapes, e.g. {@code Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324"}.
 * Parameters of the Item ({@code ;name=value} after the string) are accepted and ignored, as RFC
 * 8941 requires of a parser that does not know them. Surrounding spaces are ignored.
 *
 * <p>Many clients (Stripe's, most HTTP libraries' examples) send the key bare:
 * {@code Idempotency-Key: 8e03978e-40d5-43e8-bc93-6894a57f9324}. With {@code acceptBare} such a
 * value is accepted when it is a run of visible ASCII without {@code "}, {@code ,}, {@code ;}
 * or {@code \} (so a bare UUID, ULID or base64url key is fine), and it means the same key as its
 * quoted form. Everything else is malformed: an empty key, a key that starts or ends with a
 * space, a control or non-ASCII character, an unterminated or badly escaped string, anything
 * after the string but parameters.
 *
 * <p>Stateless.
 */
public final class IdempotencyKeyHeader {
    /** The request header's name. */
    public static final String NAME = "Idempotency-Key";

    /** The response header set on a replayed response. */
    public static final String REPLAYED = "Idempotent-Replayed";

    private IdempotencyKeyHeader() {
    }

    /**
     * Returns the key a header field value carries.
     *
     * @param value the field value
     * @param acceptBare whether a bare (unquoted) key is accepted
     * @return the key, non-empty printable ASCII without leading or trailing space
     * @throws IllegalArgumentException naming what is wrong with the value
     */
    public static @NotNull String parse(@NotNull String value, boolean acceptBare) {
        Objects.requireNonNull(value, "value");
        String v = value.strip();
        if (v.isEmpty()) {
            throw new IllegalArgumentException("the Idempotency-Key header is empty");
        }
        String key;
        if (v.charAt(0) == '"') {
            key = quoted(v);
        } else if (acceptBare) {
            key = bare(v);
        } else {
            throw new IllegalArgumentException("the Idempotency-Key must be a quoted string (RFC 8941 sf-string), "
                    + "e.g. \"8e03978e-40d5-43e8-bc93-6894a57f9324\"");
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("the Idempotency-Key is empty");
        }
        if (key.charAt(0) == ' ' || key.charAt(key.length() - 1) == ' ') {
            throw new IllegalArgumentException("the Idempotency-Key must not start or end with a space");
        }
        return key;
    }

    private static String quoted(String v) {
        StringBuilder key = new StringBuilder(v.length());
        int i = 1;
        while (true) {
            if (i >= v.length()) {
                throw new IllegalArgumentException("the Idempotency-Key string is not terminated by '\"'");
            }
            char c = v.charAt(i++);
            if (c == '\\') {
                if (i >= v.length() || (v.charAt(i) != '"' && v.charAt(i) != '\\')) {
                    throw new IllegalArgumentException("the Idempotency-Key string has a bad escape at index "
                            + (i - 1) + ": only \\\" and \\\\ are allowed");
                }
                key.append(v.charAt(i++));
            } else if (c == '"') {
                break;
            } else if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException("the Idempotency-Key must be printable ASCII: "
                        + String.format("U+%04X", (int) c) + " at index " + (i - 1));
            } else {
                key.append(c);
            }
        }
        parameters(v, i);
        return key.toString();
    }

    /** RFC 8941 parameters after the string: {@code *( ";" *SP key [ "=" bare-item ] )}, checked loosely. */
    private static void parameters(String v, int from) {
        String rest = v.substring(from);
        if (rest.isEmpty()) {
            return;
        }
        if (rest.charAt(0) != ';') {
            throw new IllegalArgumentException("the Idempotency-Key has something after its string: '"
                    + shorten(rest) + "' (one key per field, and the draft allows only one field)");
        }
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c < 0x20 || c > 0x7E || c == ',') {
                throw new IllegalArgumentException("the Idempotency-Key's parameters are malformed: '"
                        + shorten(rest) + "'");
            }
        }
    }

    private static String bare(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= 0x20 || c > 0x7E || c == '"' || c == ',' || c == ';' || c == '\\') {
                throw new IllegalArgumentException("a bare Idempotency-Key must be visible ASCII without '\"', ',', "
                        + "';' or '\\': " + String.format("U+%04X", (int) c) + " at index " + i
                        + " (quote the key as the draft says: \"...\")");
            }
        }
        return v;
    }

    private static String shorten(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(s.length(), 40); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c > 0x7E ? '?' : c);
        }
        return s.length() > 40 ? b.append("...").toString() : b.toString();
    }
}

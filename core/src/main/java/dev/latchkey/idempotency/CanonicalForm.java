package dev.latchkey.idempotency;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The canonical byte form behind {@link Fingerprint#ofFields(Map)}: type-tagged,
 * length-prefixed, maps sorted by key, numbers by value. Stateless.
 */
final class CanonicalForm {
    private static final int MAX_DEPTH = Fingerprint.MAX_DEPTH;
    private static final int MAX_DIGITS = Fingerprint.MAX_NUMBER_DIGITS;
    /** More bits than this cannot fit {@link #MAX_DIGITS} digits: refused before any digit is computed. */
    private static final int MAX_BITS = (int) Math.ceil(MAX_DIGITS * Math.log(10) / Math.log(2));
    /** Past this scale (either sign) the plain decimal text would be longer than the digits themselves allow. */
    private static final int MAX_PLAIN_SCALE = MAX_DIGITS;

    private CanonicalForm() {
    }

    static byte[] encode(Map<String, ?> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        value(out, fields, "$", 0);
        return out.toByteArray();
    }

    private static void value(ByteArrayOutputStream out, Object v, String path, int depth) {
        if (v == null) {
            out.write('N');
        } else if (v instanceof String) {
            text(out, 'S', (String) v);
        } else if (v instanceof Enum) {
            text(out, 'S', ((Enum<?>) v).name());
        } else if (v instanceof Boolean) {
            out.write((Boolean) v ? 'T' : 'F');
        } else if (v instanceof Number) {
            number(out, (Number) v, path);
        } else if (v instanceof byte[]) {
            byte[] b = (byte[]) v;
            out.write('B');
            length(out, b.length);
            out.write(b, 0, b.length);
        } else if (v instanceof Map) {
            map(out, (Map<?, ?>) v, path, depth);
        } else if (v instanceof List) {
            list(out, (List<?>) v, path, depth);
        } else if (v instanceof Object[]) {
            list(out, Arrays.asList((Object[]) v), path, depth);
        } else {
            throw new IllegalArgumentException("cannot fingerprint a " + v.getClass().getName() + " at " + path
                    + ": use String, Number, Boolean, Enum, byte[], List, Object[], Map with String keys, or null");
        }
    }

    /** A map, list or array at this depth (the fields map is depth 0) nests too deep. */
    private static void checkDepth(String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("fingerprint fields nest deeper than " + MAX_DEPTH
                    + " maps, lists or arrays (Fingerprint.MAX_DEPTH; a map that contains itself does too) at " + path);
        }
    }

    private static void map(ByteArrayOutputStream out, Map<?, ?> m, String path, int depth) {
        checkDepth(path, depth);
        List<String> keys = new ArrayList<>(m.size());
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) {
                throw new IllegalArgumentException("fingerprint map keys must be Strings: key=" + k + " at " + path);
            }
            keys.add((String) k);
        }
        keys.sort(null);
        out.write('M');
        length(out, keys.size());
        for (String k : keys) {
            text(out, 'S', k);
            value(out, m.get(k), path + "." + k, depth + 1);
        }
    }

    private static void list(ByteArrayOutputStream out, List<?> l, String path, int depth) {
        checkDepth(path, depth);
        out.write('L');
        length(out, l.size());
        for (int i = 0; i < l.size(); i++) {
            value(out, l.get(i), path + "[" + i + "]", depth + 1);
        }
    }

    private static void number(ByteArrayOutputStream out, Number n, String path) {
        BigDecimal d;
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            d = BigDecimal.valueOf(n.longValue());
        } else if (n instanceof BigInteger) {
            d = new BigDecimal((BigInteger) n);
        } else if (n instanceof BigDecimal) {
            d = (BigDecimal) n;
        } else if (n instanceof Double || n instanceof Float) {
            double x = n.doubleValue();
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                throw new IllegalArgumentException("cannot fingerprint a non-finite number at " + path + ": " + n);
            }
            d = new BigDecimal(n.toString());
        } else {
            throw new IllegalArgumentException("cannot fingerprint a " + n.getClass().getName() + " at " + path
                    + ": use an integral type, BigInteger, BigDecimal, float or double");
        }
        text(out, 'D', canonical(d, path));
    }

    /**
     * The number's canonical text, in time and memory bounded by {@link #MAX_DIGITS}: trailing
     * zeros stripped (so 1, 1.0 and 1.00 agree), then the plain decimal text when the scale is
     * within {@link #MAX_PLAIN_SCALE} (every number a request realistically holds: the text
     * fingerprints have always used), else {@code <unscaled digits>E<exponent>} (plain text never
     * contains an {@code E}, so the two forms cannot collide). The check on the unscaled value's
     * bits comes first: stripping zeros off a huge value would itself take quadratic time.
     */
    private static String canonical(BigDecimal d, String path) {
        BigInteger unscaled = d.unscaledValue();
        if (unscaled.bitLength() > MAX_BITS || d.precision() > MAX_DIGITS) {
            throw new IllegalArgumentException("cannot fingerprint a number of more than " + MAX_DIGITS
                    + " digits (Fingerprint.MAX_NUMBER_DIGITS) at " + path + ": fingerprint its text instead");
        }
        if (d.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = d.stripTrailingZeros();
        int scale = stripped.scale();
        if (scale >= -MAX_PLAIN_SCALE && scale <= MAX_PLAIN_SCALE) {
            return stripped.toPlainString();
        }
        return stripped.unscaledValue() + "E" + (-(long) scale);
    }

    private static void text(ByteArrayOutputStream out, char tag, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(tag);
        length(out, b.length);
        out.write(b, 0, b.length);
    }

    private static void length(ByteArrayOutputStream out, int n) {
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
    }
}

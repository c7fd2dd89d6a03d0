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
    private static final int MAX_DEPTH = 64;

    private CanonicalForm() {
    }

    static byte[] encode(Map<String, ?> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        value(out, fields, "$", 0);
        return out.toByteArray();
    }

    private static void value(ByteArrayOutputStream out, Object v, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("fingerprint fields nest deeper than " + MAX_DEPTH + " at " + path);
        }
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

    private static void map(ByteArrayOutputStream out, Map<?, ?> m, String path, int depth) {
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
        d = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        text(out, 'D', d.toPlainString());
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

package dev.latchkey.jdbc.update;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.jetbrains.annotations.Nullable;

/**
 * Compares values read from the database with values the caller gave, where a batch must match
 * them in Java: the driver may return an {@code Integer} for the {@code Long} key the caller bound,
 * or a {@code Timestamp} for a {@code LocalDateTime} version. Numbers compare by value, date-times
 * by the instant or local date-time they denote; anything else with {@code equals}.
 */
final class Values {
    private Values() {
    }

    static @Nullable Object normalize(@Nullable Object v) {
        if (v instanceof BigDecimal) {
            return stripped((BigDecimal) v);
        }
        if (v instanceof Number) {
            try {
                return v instanceof Double || v instanceof Float
                        ? stripped(BigDecimal.valueOf(((Number) v).doubleValue()))
                        : stripped(new BigDecimal(v.toString()));
            } catch (NumberFormatException notFinite) {
                return v;
            }
        }
        if (v instanceof Timestamp) {
            return ((Timestamp) v).toLocalDateTime();
        }
        if (v instanceof Date) {
            return ((Date) v).toInstant();
        }
        if (v instanceof OffsetDateTime) {
            return ((OffsetDateTime) v).toInstant();
        }
        if (v instanceof ZonedDateTime) {
            return ((ZonedDateTime) v).toInstant();
        }
        return v;
    }

    private static BigDecimal stripped(BigDecimal d) {
        return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    }

    static boolean same(@Nullable Object a, @Nullable Object b) {
        Object x = normalize(a);
        Object y = normalize(b);
        return x == null ? y == null : x.equals(y);
    }

    /** The normalized values of a key: one element per key column. */
    static List<Object> normalizedKey(List<KeyColumn> key) {
        List<Object> out = new ArrayList<>(key.size());
        key.forEach(k -> out.add(normalize(k.value)));
        return out;
    }
}

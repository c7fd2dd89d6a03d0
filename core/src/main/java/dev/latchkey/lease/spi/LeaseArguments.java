package dev.latchkey.lease.spi;

import java.time.Duration;
import java.util.Objects;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** Argument checks shared by the engine and its requests; messages name the argument and value. */
final class LeaseArguments {
    private LeaseArguments() {
    }

    static @NotNull String text(@Nullable String value, @NotNull String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank() || value.length() > LeaseEngine.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(what + " must be 1 to " + LeaseEngine.MAX_NAME_LENGTH
                    + " characters and not blank: " + what + "=\"" + value + "\"");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(what + " must not contain control characters: "
                        + what + "=" + value.codePoints().mapToObj(Integer::toHexString).toList());
            }
        }
        return value;
    }

    static @NotNull Duration positive(@Nullable Duration d, @NotNull String what) {
        Objects.requireNonNull(d, what);
        if (d.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(what + " must be at least 1 ms: " + what + "=" + d);
        }
        return atMost(d, what);
    }

    static @NotNull Duration nonNegative(@Nullable Duration d, @NotNull String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must be >= 0: " + what + "=" + d);
        }
        return atMost(d, what);
    }

    private static Duration atMost(Duration d, String what) {
        if (d.compareTo(LeaseEngine.MAX_DURATION) > 0) {
            throw new IllegalArgumentException(what + " must be <= " + LeaseEngine.MAX_DURATION + ": "
                    + what + "=" + d);
        }
        return d;
    }

    static void lease(@Nullable Duration atMostFor, @Nullable Duration atLeastFor, @Nullable Duration heartbeat) {
        positive(atMostFor, "atMostFor");
        nonNegative(atLeastFor, "atLeastFor");
        if (atLeastFor.compareTo(atMostFor) > 0) {
            throw new IllegalArgumentException("atLeastFor must be <= atMostFor: atLeastFor=" + atLeastFor
                    + ", atMostFor=" + atMostFor);
        }
        if (heartbeat != null && heartbeat.compareTo(atMostFor) >= 0) {
            throw new IllegalArgumentException("the heartbeat period must be shorter than atMostFor: heartbeat="
                    + heartbeat + ", atMostFor=" + atMostFor);
        }
    }
}

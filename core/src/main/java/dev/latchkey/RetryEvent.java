package dev.latchkey;

import java.time.Duration;
import java.util.Objects;

import org.jetbrains.annotations.NotNull;

/**
 * One retry about to happen: attempt {@code failedAttempt} failed with {@code failure} and the
 * next attempt starts after {@code delay}.
 *
 * @param failedAttempt the number of the attempt that failed, starting at 1
 * @param failure the failure of that attempt
 * @param delay the backoff before the next attempt
 */
public record RetryEvent(int failedAttempt, @NotNull Throwable failure, @NotNull Duration delay) {
    /**
     * Checks the components.
     *
     * @param failedAttempt the number of the attempt that failed, starting at 1
     * @param failure the failure of that attempt
     * @param delay the backoff before the next attempt
     * @throws IllegalArgumentException if {@code failedAttempt < 1}
     * @throws NullPointerException if {@code failure} or {@code delay} is null
     */
    public RetryEvent {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("failedAttempt must be >= 1: failedAttempt=" + failedAttempt);
        }
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(delay, "delay");
    }
}

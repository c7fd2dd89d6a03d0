package dev.latchkey.retry;

import org.jetbrains.annotations.NotNull;

/**
 * Told before each retry a {@link RetryPolicy} makes. Called synchronously on the retrying
 * thread; must be thread-safe and fast. An exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface RetryListener {
    /**
     * An attempt failed and will be retried after the event's delay.
     *
     * @param event what failed and when the next attempt starts
     */
    void onRetry(@NotNull RetryEvent event);
}

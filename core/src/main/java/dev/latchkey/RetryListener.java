package dev.latchkey;

import org.jetbrains.annotations.NotNull;

/**
 * Told before each retry a {@link dev.latchkey.retry.RetryPolicy} makes. Called synchronously
 * on the retrying thread; must be thread-safe and fast. An exception it throws is logged and
 * ignored. Lives in the root package (with {@link RetryEvent}) so that {@link ConcurrencyListener}
 * can extend it while the retry package depends only on the root.
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

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

    /**
     * The policy gave up: an attempt failed with a retryable failure and no attempt or time was
     * left. Called once, on the retrying thread, just before {@code exhausted} is thrown. Does
     * nothing by default.
     *
     * @param exhausted the exception about to be thrown: the attempt count, the last failure as cause
     */
    default void onRetriesExhausted(@NotNull RetriesExhaustedException exhausted) {
    }
}

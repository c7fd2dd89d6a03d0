package dev.latchkey.retry;

/**
 * Waits between attempts. Injected into a {@link RetryPolicy} so tests need not sleep.
 */
@FunctionalInterface
public interface Sleeper {
    /** Sleeps with {@link Thread#sleep(long, int)}. */
    Sleeper THREAD_SLEEP = nanos -> {
        if (nanos > 0) {
            Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
        }
    };

    /**
     * Waits for the given time.
     *
     * @param nanos how long to wait, {@code >= 0}
     * @throws InterruptedException if the waiting thread is interrupted
     */
    void sleep(long nanos) throws InterruptedException;
}

package dev.latchkey.jdbc.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs many threads against one hot row (or anything else) at once, so concurrency tests read
 * short: all threads start together behind a latch, each runs its iterations, and any failure is
 * rethrown with the others suppressed. A run that does not finish in time fails rather than hangs.
 */
public final class Hammer {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

    private Hammer() {
    }

    /** One iteration of work. */
    @FunctionalInterface
    public interface Task {
        /**
         * Does one iteration.
         *
         * @param thread the thread index, from 0
         * @param iteration the iteration index within the thread, from 0
         * @throws Exception on failure; fails the run
         */
        void run(int thread, int iteration) throws Exception;
    }

    /**
     * Runs {@code threads × iterations} tasks, every thread starting at once.
     *
     * @param threads how many threads
     * @param iterations iterations per thread
     * @param task the work
     * @throws AssertionError with the first failure as cause (others suppressed), or on timeout
     */
    public static void run(int threads, int iterations, Task task) {
        run(threads, iterations, DEFAULT_TIMEOUT, task);
    }

    /**
     * Runs {@code threads × iterations} tasks with a time limit.
     *
     * @param threads how many threads
     * @param iterations iterations per thread
     * @param timeout the limit for the whole run
     * @param task the work
     * @throws AssertionError with the first failure as cause, or on timeout
     */
    public static void run(int threads, int iterations, Duration timeout, Task task) {
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < iterations; i++) {
                        task.run(thread, i);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            }, "hammer-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        start.countDown();
        boolean finished;
        try {
            finished = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (!finished) {
            workers.forEach(Thread::interrupt);
            throw new AssertionError("hammer run did not finish within " + timeout + " (" + done.getCount()
                    + " of " + threads + " threads still running)");
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.poll();
            AssertionError error = new AssertionError((failures.size() + 1) + " task(s) failed; first: " + first, first);
            for (Throwable t : failures) {
                if (error.getSuppressed().length < 10) {
                    error.addSuppressed(t);
                }
            }
            throw error;
        }
    }
}

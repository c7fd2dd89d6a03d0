package dev.latchkey.idempotency.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Starts many threads at once behind a latch and rethrows the first failure (others suppressed). */
public final class ConcurrentRun {
    private ConcurrentRun() {
    }

    /** One thread's work. */
    @FunctionalInterface
    public interface Task {
        /**
         * Runs the thread's work.
         *
         * @param thread the thread index, from 0
         * @throws Exception on failure
         */
        void run(int thread) throws Exception;
    }

    /**
     * Runs the task on {@code threads} threads started together, waiting at most three minutes.
     *
     * @param threads how many threads
     * @param task the work
     */
    public static void run(int threads, Task task) {
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    task.run(index);
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            }, "contract-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        start.countDown();
        try {
            if (!done.await(3, TimeUnit.MINUTES)) {
                workers.forEach(Thread::interrupt);
                throw new AssertionError(done.getCount() + " of " + threads + " threads did not finish in 3 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.poll();
            AssertionError error = new AssertionError((failures.size() + 1) + " thread(s) failed; first: " + first, first);
            failures.stream().limit(10).forEach(error::addSuppressed);
            throw error;
        }
    }
}

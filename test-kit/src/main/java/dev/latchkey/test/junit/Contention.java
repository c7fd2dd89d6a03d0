package dev.latchkey.test.junit;

import dev.latchkey.test.FaultInjectingDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.opentest4j.AssertionFailedError;

/**
 * Runs a piece of user code from several threads at once, each several times, and collects what
 * happened, for a JUnit 5 test to assert on ({@link ContentionResult}). Combined with a
 * {@link FaultInjectingDataSource} under the code, it shows whether the code keeps its invariants
 * while the database fails the way contended databases do:
 *
 * <pre>{@code
 * FaultInjectingDataSource faults = FaultInjectingDataSource.wrap(dataSource, FaultPlan.none()
 *         .inject(Fault.DEADLOCK, Trigger.statementsWithProbability(0.2)).seed(7));
 * Transfers transfers = new Transfers(Latchkey.of(faults));
 * Contention.threads(8).repetitions(25).faults(faults)
 *         .run((thread, i) -> transfers.move(1, 2, 10))
 *         .assertNoFailures()
 *         .assertInvariant("money is neither created nor lost", () -> sumOfBalances() == 1000);
 * }</pre>
 *
 * <p>All threads start together (a start gate), so the first calls really overlap. Immutable and
 * thread-safe; {@link #run} may be called any number of times.
 */
public final class Contention {
    private final int threads;
    private final int repetitions;
    private final Duration timeout;
    private final @Nullable FaultInjectingDataSource faults;

    private Contention(int threads, int repetitions, Duration timeout, @Nullable FaultInjectingDataSource faults) {
        this.threads = threads;
        this.repetitions = repetitions;
        this.timeout = timeout;
        this.faults = faults;
    }

    /**
     * Returns a run on this many threads, once each, within 60 seconds.
     *
     * @param threads how many threads, {@code >= 1}
     * @return the run
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static @NotNull Contention threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: threads=" + threads);
        }
        return new Contention(threads, 1, Duration.ofSeconds(60), null);
    }

    /**
     * Returns this run with each thread calling the code this many times.
     *
     * @param repetitions calls per thread, {@code >= 1}
     * @return the new run
     * @throws IllegalArgumentException if {@code repetitions < 1}
     */
    public @NotNull Contention repetitions(int repetitions) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be >= 1: repetitions=" + repetitions);
        }
        return new Contention(threads, repetitions, timeout, faults);
    }

    /**
     * Returns this run with a limit on its whole duration; past it the threads are interrupted
     * and {@link #run} fails (a hang is a finding too).
     *
     * @param timeout the limit, positive
     * @return the new run
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public @NotNull Contention timeout(@NotNull Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0: timeout=" + timeout);
        }
        return new Contention(threads, repetitions, timeout, faults);
    }

    /**
     * Returns this run with the fault injector the code runs over, so that the result and its
     * failure messages list the faults injected during the run.
     *
     * @param faults the injecting data source
     * @return the new run
     */
    public @NotNull Contention faults(@NotNull FaultInjectingDataSource faults) {
        return new Contention(threads, repetitions, timeout, Objects.requireNonNull(faults, "faults"));
    }

    /**
     * Runs the code: every thread calls it {@code repetitions} times; a call that throws is
     * recorded and the thread goes on with its next call.
     *
     * @param work the code under test
     * @return what happened
     * @throws AssertionFailedError if the run did not finish within the timeout
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public @NotNull ContentionResult run(@NotNull Work work) throws InterruptedException {
        Objects.requireNonNull(work, "work");
        int injectedBefore = faults == null ? 0 : faults.injected().size();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        AtomicInteger successes = new AtomicInteger();
        ConcurrentLinkedQueue<ContentionResult.Failure> failures = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    for (int r = 0; r < repetitions; r++) {
                        try {
                            work.run(thread, r);
                            successes.incrementAndGet();
                        } catch (Throwable e) {
                            failures.add(new ContentionResult.Failure(thread, r, e));
                            if (e instanceof InterruptedException) {
                                return;
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "contention-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            workers.forEach(Thread::interrupt);
            throw new AssertionFailedError("the run of " + threads + " threads x " + repetitions
                    + " calls did not finish within " + timeout + " (a deadlock or a hang?)");
        }
        return new ContentionResult(threads * repetitions, successes.get(), List.copyOf(failures),
                faults == null ? List.of() : faults.injected().subList(injectedBefore, faults.injected().size()));
    }

    /** The code under test, called by each thread for each repetition. */
    @FunctionalInterface
    public interface Work {
        /**
         * Runs once.
         *
         * @param thread the thread's index, from 0
         * @param repetition the call's index on this thread, from 0
         * @throws Exception anything: recorded as a failure of this call
         */
        void run(int thread, int repetition) throws Exception;
    }
}

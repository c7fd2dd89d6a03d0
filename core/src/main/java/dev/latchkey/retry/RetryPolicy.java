// Over 400 lines on purpose: the policy, its Builder and its Attempt are one public API
// (RetryPolicy.Builder, RetryPolicy.Attempt) with one reason to change; over a third is Javadoc.
package dev.latchkey.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.ConcurrencyException;
import dev.latchkey.RetriesExhaustedException;
import dev.latchkey.RetryEvent;
import dev.latchkey.RetryListener;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * How often and how long to re-run a unit of work that failed transiently.
 *
 * <p>A policy is an immutable, thread-safe value built with {@link #builder()}; keep one in a
 * static field and share it. The schedule is exponential backoff with full jitter: before attempt
 * {@code n + 1} the policy waits a uniformly random time in {@code [0, min(maxDelay,
 * initialDelay * multiplier^(n-1))]}. It stops after {@code maxAttempts} attempts, or when the
 * next attempt would start after {@code maxDuration} from the first.
 *
 * <p>By default only {@linkplain ConcurrencyException#isTransient() transient} Latchkey failures
 * are retried; {@link Error}s and {@link CommitOutcomeUnknownException} never are, whatever the
 * predicate says (re-running after an unknown commit outcome could apply the work twice). Time,
 * sleep and randomness are injectable so that tests are deterministic.
 */
public final class RetryPolicy {
    private static final System.Logger LOG = System.getLogger(RetryPolicy.class.getName());

    /** How many failures before the last one a {@link RetriesExhaustedException} keeps as suppressed. */
    public static final int MAX_SUPPRESSED = 4;

    /** The longest delay or budget a policy accepts: what fits in a {@code long} of nanoseconds. */
    private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

    /** Retries {@link ConcurrencyException}s that say they are transient. */
    public static final Predicate<Throwable> TRANSIENT =
            t -> t instanceof ConcurrencyException && ((ConcurrencyException) t).isTransient();

    private static final RetryPolicy NONE = builder().maxAttempts(1).build();
    private static final RetryPolicy DEFAULTS = builder().build();

    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final @Nullable Duration maxDuration;
    private final Predicate<Throwable> retryIf;
    private final RetryListener listener;
    private final LongSupplier nanoClock;
    private final DoubleSupplier random;
    private final Sleeper sleeper;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialDelay = b.initialDelay;
        this.maxDelay = b.maxDelay;
        this.multiplier = b.multiplier;
        this.maxDuration = b.maxDuration;
        this.retryIf = b.retryIf;
        this.listener = b.listener;
        this.nanoClock = b.nanoClock;
        this.random = b.random;
        this.sleeper = b.sleeper;
    }

    /**
     * A new builder with the defaults: 5 attempts, backoff from 10 ms doubling up to 1 s with
     * full jitter, no time budget, transient failures only.
     *
     * @return a new builder
     */
    public static @NotNull Builder builder() {
        return new Builder();
    }

    /**
     * The default policy (see {@link #builder()}).
     *
     * @return the shared default policy
     */
    public static @NotNull RetryPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * A policy that makes exactly one attempt: every failure, retryable or not, is rethrown as is
     * (never wrapped in {@link RetriesExhaustedException}).
     *
     * @return the shared no-retry policy
     */
    public static @NotNull RetryPolicy none() {
        return NONE;
    }

    /**
     * A builder holding this policy's settings, to derive a variant.
     *
     * @return a new builder initialised from this policy
     */
    public @NotNull Builder toBuilder() {
        Builder b = new Builder();
        b.maxAttempts = maxAttempts;
        b.initialDelay = initialDelay;
        b.maxDelay = maxDelay;
        b.multiplier = multiplier;
        b.maxDuration = maxDuration;
        b.retryIf = retryIf;
        b.listener = listener;
        b.nanoClock = nanoClock;
        b.random = random;
        b.sleeper = sleeper;
        return b;
    }

    /**
     * Returns the maximum number of attempts, {@code >= 1}.
     *
     * @return the maximum number of attempts, {@code >= 1}
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Returns the upper bound of the first backoff.
     *
     * @return the upper bound of the first backoff
     */
    public @NotNull Duration initialDelay() {
        return initialDelay;
    }

    /**
     * Returns the cap on any single backoff.
     *
     * @return the cap on any single backoff
     */
    public @NotNull Duration maxDelay() {
        return maxDelay;
    }

    /**
     * Returns the factor the backoff bound grows by per attempt, {@code >= 1}.
     *
     * @return the factor the backoff bound grows by per attempt, {@code >= 1}
     */
    public double multiplier() {
        return multiplier;
    }

    /**
     * Returns the time budget from the first attempt, or {@code null} for none.
     *
     * @return the time budget from the first attempt, or {@code null} for none
     */
    public @Nullable Duration maxDuration() {
        return maxDuration;
    }

    /**
     * Whether this policy would retry the given failure (ignoring attempt count and time).
     *
     * @param failure a failure of an attempt
     * @return {@code false} for {@link Error}s, for {@link CommitOutcomeUnknownException} (re-running
     *         could apply the work twice) and for failures the predicate rejects
     */
    public boolean isRetryable(@NotNull Throwable failure) {
        return !(failure instanceof Error) && !(failure instanceof CommitOutcomeUnknownException)
                && retryIf.test(failure);
    }

    /**
     * The upper bound of the backoff after the given number of failed attempts:
     * {@code min(maxDelay, initialDelay * multiplier^(failedAttempts-1))}.
     *
     * @param failedAttempts how many attempts have failed, {@code >= 1}
     * @return the bound in nanoseconds
     * @throws IllegalArgumentException if {@code failedAttempts < 1}
     */
    public long backoffBoundNanos(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be >= 1: failedAttempts=" + failedAttempts);
        }
        long initial = initialDelay.toNanos();
        if (initial == 0) {
            return 0;
        }
        double bound = initial * Math.pow(multiplier, failedAttempts - 1);
        return (long) Math.min(bound, (double) maxDelay.toNanos());
    }

    /**
     * The full-jitter backoff after the given number of failed attempts for a given random draw.
     * Pure: the same inputs give the same delay.
     *
     * @param failedAttempts how many attempts have failed, {@code >= 1}
     * @param random01 a draw from {@code [0, 1)}
     * @return the delay in nanoseconds, in {@code [0, backoffBoundNanos(failedAttempts)]}
     * @throws IllegalArgumentException if an argument is out of range
     */
    public long delayNanos(int failedAttempts, double random01) {
        if (!(random01 >= 0.0 && random01 < 1.0)) {
            throw new IllegalArgumentException("random01 must be in [0, 1): random01=" + random01);
        }
        return (long) (backoffBoundNanos(failedAttempts) * random01);
    }

    /**
     * Runs the work, re-running it after a backoff while it fails with a retryable failure and
     * the policy allows another attempt.
     *
     * <p>Only {@link RuntimeException}s are caught; an {@link Error} propagates at once. When the
     * thread is interrupted (during the backoff, or with its interrupt flag set when a retry would
     * start) no further attempt is made: the last failure is rethrown as is, with an
     * {@link InterruptedException} suppressed, and the interrupt flag is left set.
     *
     * @param work the unit of work; receives the attempt number, starting at 1
     * @param <T> the result type
     * @return the result of the first attempt that succeeds
     * @throws RetriesExhaustedException when a retryable failure happens on the last allowed
     *         attempt or when the next attempt would start after the time budget; its cause is
     *         the last failure and up to {@value #MAX_SUPPRESSED} earlier failures are suppressed.
     *         A policy of one attempt ({@code maxAttempts == 1}) never wraps: it rethrows the failure.
     * @throws RuntimeException a non-retryable failure, rethrown as is (not wrapped)
     * @throws Error an {@code Error} from the work, never retried
     */
    public <T> T execute(@NotNull Attempt<T> work) {
        return execute(work, null);
    }

    /**
     * Like {@link #execute(Attempt)}, and also tells a second listener about each retry, after
     * this policy's own listener. Used by runners that report retries to their own observer
     * (such as a {@code ConcurrencyListener}) without deriving a new policy per call.
     *
     * @param work the unit of work; receives the attempt number, starting at 1
     * @param alsoNotify told before each retry, after the policy's listener; its exceptions are
     *        logged and ignored; {@code null} for none
     * @param <T> the result type
     * @return the result of the first attempt that succeeds
     * @throws RetriesExhaustedException see {@link #execute(Attempt)}
     * @throws RuntimeException a non-retryable failure, rethrown as is (not wrapped)
     * @throws Error an {@code Error} from the work, never retried
     */
    public <T> T execute(@NotNull Attempt<T> work, @Nullable RetryListener alsoNotify) {
        Objects.requireNonNull(work, "work");
        // the clock matters only to a time budget: without one it is never read
        long start = maxDuration != null ? nanoClock.getAsLong() : 0L;
        List<RuntimeException> earlier = null;
        for (int attempt = 1; ; attempt++) {
            RuntimeException failure;
            try {
                return work.run(attempt);
            } catch (RuntimeException e) {
                failure = e;
            }
            if (!isRetryable(failure)) {
                throw failure;
            }
            if (maxAttempts == 1) {
                throw failure;
            }
            if (attempt >= maxAttempts) {
                throw exhausted(attempt, failure, earlier, alsoNotify);
            }
            long delay = delayNanos(attempt, random.getAsDouble());
            if (maxDuration != null && nanoClock.getAsLong() - start + delay > maxDuration.toNanos()) {
                throw exhausted(attempt, failure, earlier, alsoNotify);
            }
            if (Thread.currentThread().isInterrupted()) {
                failure.addSuppressed(new InterruptedException("interrupted; not retrying after attempt " + attempt));
                throw failure;
            }
            RetryEvent event = new RetryEvent(attempt, failure, Duration.ofNanos(delay));
            notifyListener(listener, event);
            if (alsoNotify != null) {
                notifyListener(alsoNotify, event);
            }
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                failure.addSuppressed(ie);
                throw failure;
            }
            if (earlier == null) {
                earlier = new ArrayList<>(MAX_SUPPRESSED);
            }
            if (earlier.size() < MAX_SUPPRESSED) {
                earlier.add(failure);
            }
        }
    }

    /** The exception to throw on giving up; the listeners are told about it first. */
    private RetriesExhaustedException exhausted(int attempts, RuntimeException last,
                                                @Nullable List<RuntimeException> earlier,
                                                @Nullable RetryListener alsoNotify) {
        RetriesExhaustedException e = exhausted(attempts, last, earlier);
        notifyExhausted(listener, e);
        if (alsoNotify != null) {
            notifyExhausted(alsoNotify, e);
        }
        return e;
    }

    private static void notifyExhausted(RetryListener target, RetriesExhaustedException exhausted) {
        try {
            target.onRetriesExhausted(exhausted);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "retry listener threw; ignored", e);
        }
    }

    private static RetriesExhaustedException exhausted(int attempts, RuntimeException last,
                                                       @Nullable List<RuntimeException> earlier) {
        if (last instanceof RetriesExhaustedException) {
            return (RetriesExhaustedException) last;
        }
        RetriesExhaustedException e = new RetriesExhaustedException(attempts, last);
        if (earlier != null) {
            for (RuntimeException previous : earlier) {
                if (previous != last) {
                    e.addSuppressed(previous);
                }
            }
        }
        return e;
    }

    private static void notifyListener(RetryListener target, RetryEvent event) {
        try {
            target.onRetry(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "retry listener threw; ignored", e);
        }
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", initialDelay=" + initialDelay
                + ", maxDelay=" + maxDelay + ", multiplier=" + multiplier + ", maxDuration=" + maxDuration + "]";
    }

    /**
     * One attempt of a unit of work.
     *
     * @param <T> the result type
     */
    @FunctionalInterface
    public interface Attempt<T> {
        /**
         * Runs the attempt.
         *
         * @param attempt the attempt number, starting at 1
         * @return the result
         */
        T run(int attempt);
    }

    /**
     * Builds a {@link RetryPolicy}. Not thread-safe; {@link #build()} yields an immutable value.
     */
    public static final class Builder {
        private int maxAttempts = 5;
        private Duration initialDelay = Duration.ofMillis(10);
        private Duration maxDelay = Duration.ofSeconds(1);
        private double multiplier = 2.0;
        private @Nullable Duration maxDuration;
        private Predicate<Throwable> retryIf = TRANSIENT;
        private RetryListener listener = e -> { };
        private LongSupplier nanoClock = System::nanoTime;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private Sleeper sleeper = Sleeper.THREAD_SLEEP;

        private Builder() {
        }

        /**
         * Sets the maximum number of attempts, the first included.
         *
         * @param maxAttempts {@code >= 1}
         * @return this builder
         * @throws IllegalArgumentException if {@code maxAttempts < 1}
         */
        public @NotNull Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1: maxAttempts=" + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Sets exponential backoff with full jitter.
         *
         * @param initialDelay the bound of the first backoff, {@code >= 0}
         * @param maxDelay the cap on any backoff, {@code >= initialDelay}
         * @param multiplier growth factor per attempt, {@code >= 1}
         * @return this builder
         * @throws IllegalArgumentException if an argument is out of range
         */
        public @NotNull Builder backoff(@NotNull Duration initialDelay, @NotNull Duration maxDelay, double multiplier) {
            Objects.requireNonNull(initialDelay, "initialDelay");
            Objects.requireNonNull(maxDelay, "maxDelay");
            if (initialDelay.isNegative()) {
                throw new IllegalArgumentException("initialDelay must be >= 0: initialDelay=" + initialDelay);
            }
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException("maxDelay must be >= initialDelay: maxDelay=" + maxDelay
                        + ", initialDelay=" + initialDelay);
            }
            if (maxDelay.compareTo(MAX_NANOS) > 0) {
                throw new IllegalArgumentException("maxDelay must fit in a long of nanoseconds (about 292 years): "
                        + "maxDelay=" + maxDelay);
            }
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("multiplier must be a finite number >= 1: multiplier=" + multiplier);
            }
            this.initialDelay = initialDelay;
            this.maxDelay = maxDelay;
            this.multiplier = multiplier;
            return this;
        }

        /**
         * Retries immediately, without backoff.
         *
         * @return this builder
         */
        public @NotNull Builder noBackoff() {
            return backoff(Duration.ZERO, Duration.ZERO, 1.0);
        }

        /**
         * Sets the time budget, measured from the start of the first attempt; no retry starts
         * after it.
         *
         * @param maxDuration {@code > 0}, or {@code null} for no budget
         * @return this builder
         * @throws IllegalArgumentException if {@code maxDuration <= 0} or does not fit in a long of nanoseconds
         */
        public @NotNull Builder maxDuration(@Nullable Duration maxDuration) {
            if (maxDuration != null && (maxDuration.isNegative() || maxDuration.isZero())) {
                throw new IllegalArgumentException("maxDuration must be > 0: maxDuration=" + maxDuration);
            }
            if (maxDuration != null && maxDuration.compareTo(MAX_NANOS) > 0) {
                throw new IllegalArgumentException("maxDuration must fit in a long of nanoseconds (about 292 years): "
                        + "maxDuration=" + maxDuration);
            }
            this.maxDuration = maxDuration;
            return this;
        }

        /**
         * Sets which failures are retried, replacing the default (transient Latchkey failures).
         * {@link Error}s and {@link CommitOutcomeUnknownException} are never retried whatever the
         * predicate says.
         *
         * @param retryIf tests a failure; must be thread-safe
         * @return this builder
         */
        public @NotNull Builder retryIf(@NotNull Predicate<Throwable> retryIf) {
            this.retryIf = Objects.requireNonNull(retryIf, "retryIf");
            return this;
        }

        /**
         * Also retries failures of the given type, in addition to what is already retried.
         *
         * @param type a failure type, e.g. {@code StaleVersionException.class}
         * @return this builder
         */
        public @NotNull Builder alsoRetryOn(@NotNull Class<? extends Throwable> type) {
            Objects.requireNonNull(type, "type");
            Predicate<Throwable> previous = retryIf;
            this.retryIf = t -> previous.test(t) || type.isInstance(t);
            return this;
        }

        /**
         * Sets the hook told before each retry.
         *
         * @param listener thread-safe listener
         * @return this builder
         */
        public @NotNull Builder onRetry(@NotNull RetryListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sets the monotonic clock, in nanoseconds (default {@link System#nanoTime()}).
         *
         * @param nanoClock the clock
         * @return this builder
         */
        public @NotNull Builder nanoClock(@NotNull LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /**
         * Sets the source of jitter: each call must return a value in {@code [0, 1)}.
         *
         * @param random the random source; must be thread-safe
         * @return this builder
         */
        public @NotNull Builder random(@NotNull DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Sets how the policy waits between attempts (default {@link Sleeper#THREAD_SLEEP}).
         *
         * @param sleeper the sleeper
         * @return this builder
         */
        public @NotNull Builder sleeper(@NotNull Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Builds the immutable policy.
         *
         * @return a new policy
         */
        public @NotNull RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}

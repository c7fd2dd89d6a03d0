package dev.latchkey.lease.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.latchkey.LockNotAvailableException;
import dev.latchkey.lease.Lease;
import dev.latchkey.lease.LeaseLostException;
import dev.latchkey.lease.LeaseRequest;
import dev.latchkey.retry.Sleeper;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The one lease state machine, over any {@link LeaseBackend}: acquisition (single and waiting),
 * the local expiry deadline on a monotonic clock, the opt-in heartbeat and the loss callback.
 * Backends implement only the SPI; {@code Latchkey.lease(name)} and the Redis module build their
 * leases with an engine.
 *
 * <p><b>Threads.</b> Heartbeats and expiry timers run on one JVM-wide daemon timer thread, started
 * on first use; the renewals' round trips run on a shared cached pool of daemon threads (or on
 * the {@linkplain Builder#scheduler(ScheduledExecutorService) injected scheduler}). No lock is held
 * by {@code synchronized}, so virtual threads never pin.
 *
 * <p><b>Time.</b> Expiry is the backend's. Locally, a lease's deadline is the monotonic time
 * <em>before</em> the request plus the duration the backend granted (its expiry minus its now),
 * so it never runs later than the backend's expiry; the waits of
 * {@link LeaseRequest#acquire(Duration, Duration, Duration)} use the same injected clock and
 * sleeper. The JVM's wall clock is never read.
 *
 * <p>Immutable and thread-safe.
 */
public final class LeaseEngine {
    /** The longest lease name and owner, in characters. */
    public static final int MAX_NAME_LENGTH = 255;
    /** The longest lease duration accepted (ten years). */
    public static final Duration MAX_DURATION = Duration.ofDays(3650);

    static final long FIRST_BACKOFF_NANOS = 10_000_000L;
    static final long MAX_BACKOFF_NANOS = 250_000_000L;

    private final LeaseBackend backend;
    private final String owner;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private final ScheduledExecutorService timer;
    private final Executor io;

    private LeaseEngine(Builder b) {
        this.backend = b.backend;
        this.owner = b.owner;
        this.nanoClock = b.nanoClock;
        this.sleeper = b.sleeper;
        this.timer = b.scheduler == null ? LeaseThreads.TIMER : b.scheduler;
        this.io = b.scheduler == null ? LeaseThreads.IO : b.scheduler;
    }

    /**
     * Returns an engine over the backend with the defaults: a random owner id, the system's
     * monotonic clock, {@link Sleeper#THREAD_SLEEP} and the shared threads.
     *
     * @param backend the backend
     * @return the engine
     * @throws NullPointerException if {@code backend} is {@code null}
     */
    public static @NotNull LeaseEngine of(@NotNull LeaseBackend backend) {
        return builder(backend).build();
    }

    /**
     * Returns a builder of an engine over the backend.
     *
     * @param backend the backend
     * @return a new builder
     * @throws NullPointerException if {@code backend} is {@code null}
     */
    public static @NotNull Builder builder(@NotNull LeaseBackend backend) {
        return new Builder(backend);
    }

    /**
     * Returns a request for the named lease handing out plain {@link ManagedLease}s.
     *
     * @param name the lease name: 1 to {@value #MAX_NAME_LENGTH} characters, not blank, no control
     *        characters
     * @return an immutable request without heartbeat or callback
     * @throws IllegalArgumentException if the name is invalid
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public @NotNull LeaseRequest<Lease> lease(@NotNull String name) {
        return request(name, l -> l);
    }

    /**
     * Returns a request for the named lease whose leases a backend wraps in its own type (a JDBC
     * lease adds fenced transactions around the {@link ManagedLease}).
     *
     * @param name the lease name, as for {@link #lease(String)}
     * @param wrap turns each acquired lease into the backend's type; called once per acquisition
     * @param <L> the lease type handed out
     * @return an immutable request without heartbeat or callback
     * @throws IllegalArgumentException if the name is invalid
     * @throws NullPointerException if an argument is {@code null}
     */
    public <L extends Lease> @NotNull LeaseRequest<L> request(@NotNull String name,
                                                             @NotNull Function<? super ManagedLease, ? extends L> wrap) {
        return new EngineLeaseRequest<>(this, LeaseArguments.text(name, "name"),
                Objects.requireNonNull(wrap, "wrap"), null, null);
    }

    /**
     * Returns the owner id this engine acquires leases as.
     *
     * @return the owner id
     */
    public @NotNull String owner() {
        return owner;
    }

    /**
     * Returns the backend.
     *
     * @return the backend
     */
    public @NotNull LeaseBackend backend() {
        return backend;
    }

    @NotNull Optional<ManagedLease> tryAcquire(String name, Duration atMostFor, Duration atLeastFor,
                                              @Nullable Duration heartbeat,
                                              @Nullable Consumer<? super LeaseLostException> onLost) {
        LeaseArguments.lease(atMostFor, atLeastFor, heartbeat);
        long sentNanos = nanoClock.getAsLong();
        Optional<LeaseGrant> grant = backend.tryAcquire(name, owner, atMostFor, atLeastFor);
        return grant.map(g -> ManagedLease.start(this, name, atMostFor, heartbeat, onLost, sentNanos, g));
    }

    @NotNull ManagedLease acquire(String name, Duration atMostFor, Duration atLeastFor, Duration maxWait,
                                  @Nullable Duration heartbeat,
                                  @Nullable Consumer<? super LeaseLostException> onLost) throws InterruptedException {
        LeaseArguments.lease(atMostFor, atLeastFor, heartbeat);
        LeaseArguments.nonNegative(maxWait, "maxWait");
        long start = nanoClock.getAsLong();
        long backoff = FIRST_BACKOFF_NANOS;
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for lease " + name);
            }
            Optional<ManagedLease> lease = tryAcquire(name, atMostFor, atLeastFor, heartbeat, onLost);
            if (lease.isPresent()) {
                return lease.get();
            }
            long waited = nanoClock.getAsLong() - start;
            long left = maxWait.toNanos() - waited;
            if (left <= 0) {
                throw new LockNotAvailableException("lease " + name + " is still held by another owner after waiting "
                        + Duration.ofNanos(waited), null, null, 0, name, List.of(), Duration.ofNanos(waited));
            }
            sleeper.sleep(Math.min(backoff, left));
            backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
        }
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    Executor io() {
        return io;
    }

    @Override
    public String toString() {
        return "LeaseEngine[" + backend + ", owner=" + owner + "]";
    }

    /** Builds a {@link LeaseEngine}; not thread-safe, the engine it builds is. */
    public static final class Builder {
        private final LeaseBackend backend;
        private String owner = "pid-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        private LongSupplier nanoClock = System::nanoTime;
        private Sleeper sleeper = Sleeper.THREAD_SLEEP;
        private @Nullable ScheduledExecutorService scheduler;

        private Builder(LeaseBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
        }

        /**
         * Sets the owner id stored with each acquisition (for operators; default
         * {@code pid-<pid>-<random>}).
         *
         * @param owner 1 to {@value #MAX_NAME_LENGTH} characters, no control characters
         * @return this builder
         * @throws IllegalArgumentException if the owner is invalid
         * @throws NullPointerException if {@code owner} is {@code null}
         */
        public @NotNull Builder owner(@NotNull String owner) {
            this.owner = LeaseArguments.text(owner, "owner");
            return this;
        }

        /**
         * Sets the monotonic clock local deadlines and waits are measured with (default
         * {@link System#nanoTime()}).
         *
         * @param nanoClock a monotonic clock in nanoseconds
         * @return this builder
         * @throws NullPointerException if {@code nanoClock} is {@code null}
         */
        public @NotNull Builder nanoClock(@NotNull LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /**
         * Sets how a waiting acquisition sleeps between tries (default {@link Sleeper#THREAD_SLEEP}).
         *
         * @param sleeper the sleeper
         * @return this builder
         * @throws NullPointerException if {@code sleeper} is {@code null}
         */
        public @NotNull Builder sleeper(@NotNull Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Runs heartbeats, expiry timers and renewals on this scheduler instead of the shared
         * daemon threads (the caller owns and shuts it down; a lease whose scheduler is shut down
         * loses its heartbeat and expires).
         *
         * @param scheduler the scheduler
         * @return this builder
         * @throws NullPointerException if {@code scheduler} is {@code null}
         */
        public @NotNull Builder scheduler(@NotNull ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Builds the engine.
         *
         * @return the engine
         */
        public @NotNull LeaseEngine build() {
            return new LeaseEngine(this);
        }
    }
}

package dev.latchkey.lease.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.jetbrains.annotations.NotNull;

/**
 * A periodic renewal on the JVM-wide lease threads that every lease heartbeat uses (one daemon
 * timer thread that only schedules; the renewals' round trips on a shared cached pool of daemon
 * threads): for renewals outside the lease engine, such as the idempotency executors' in-progress
 * leases. A beat never overlaps the previous one (a beat still running when the next is due is
 * skipped). Thread-safe.
 */
public final class Heartbeat implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Heartbeat.class.getName());

    private final BooleanSupplier beat;
    /** CAS: set once when stopped. */
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** CAS: set while a beat runs, so beats never overlap. */
    private final AtomicBoolean running = new AtomicBoolean();
    /** Volatile: set once by {@link #start}; read to cancel. */
    private volatile ScheduledFuture<?> task;

    private Heartbeat(BooleanSupplier beat) {
        this.beat = beat;
    }

    /**
     * Starts beating every {@code every}, first after {@code every}.
     *
     * @param every the period, {@code > 0}
     * @param beat one renewal; returns {@code false} to stop beating (e.g. the lease was lost).
     *        What it throws is logged and the next beat runs as scheduled
     * @return the running heartbeat; {@link #close()} stops it
     * @throws IllegalArgumentException if {@code every} is zero or negative
     * @throws NullPointerException if an argument is {@code null}
     */
    public static @NotNull Heartbeat start(@NotNull Duration every, @NotNull BooleanSupplier beat) {
        LeaseArguments.positive(every, "every");
        Heartbeat h = new Heartbeat(Objects.requireNonNull(beat, "beat"));
        long nanos = every.toNanos();
        h.task = LeaseThreads.TIMER.scheduleWithFixedDelay(h::tick, nanos, nanos, TimeUnit.NANOSECONDS);
        return h;
    }

    private void tick() {
        if (stopped.get() || !running.compareAndSet(false, true)) {
            return;
        }
        try {
            LeaseThreads.IO.execute(this::beatOnce);
        } catch (RejectedExecutionException e) {
            running.set(false);
        }
    }

    private void beatOnce() {
        try {
            if (!stopped.get() && !beat.getAsBoolean()) {
                close();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a heartbeat's renewal failed; trying again at the next beat", e);
        } finally {
            running.set(false);
        }
    }

    /** Stops beating; a beat already running finishes. Idempotent. */
    @Override
    public void close() {
        if (stopped.compareAndSet(false, true)) {
            task.cancel(false);
        }
    }
}

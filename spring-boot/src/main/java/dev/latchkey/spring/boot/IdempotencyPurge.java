package dev.latchkey.spring.boot;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.latchkey.idempotency.spi.IdempotencyStore;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Deletes expired idempotency records on a schedule ({@code latchkey.idempotency.purge.interval}),
 * on a daemon thread of its own, so it needs no {@code @EnableScheduling}. Each run calls
 * {@link IdempotencyStore#purgeAllExpired(int)}: one {@code DELETE} of at most {@code batchSize}
 * rows, repeated until one deletes fewer. A failed run is logged
 * ({@link System.Logger}, WARNING) and the next run happens as scheduled. Started and stopped with
 * the application context; thread-safe.
 */
public final class IdempotencyPurge implements SmartLifecycle {
    private static final System.Logger LOG = System.getLogger(IdempotencyPurge.class.getName());

    private final IdempotencyStore store;
    private final Duration interval;
    private final int batchSize;
    /** Guarded by {@code this}. */
    private @Nullable ScheduledExecutorService executor;

    /**
     * Creates the purge; nothing runs before {@link #start()}.
     *
     * @param store the store to purge
     * @param interval the time between two runs, {@code > 0}; the first run is one interval after start
     * @param batchSize the most rows one statement deletes, {@code >= 1}
     * @throws IllegalArgumentException if {@code interval <= 0} or {@code batchSize < 1}
     */
    public IdempotencyPurge(@NotNull IdempotencyStore store, @NotNull Duration interval, int batchSize) {
        this.store = Objects.requireNonNull(store, "store");
        this.interval = Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be > 0: interval=" + interval);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1: batchSize=" + batchSize);
        }
        this.batchSize = batchSize;
    }

    /**
     * Deletes expired records now, in batches, until a batch is not full.
     *
     * @return how many records were deleted
     * @throws RuntimeException a database error, as the store translates it
     */
    public long purgeNow() {
        return store.purgeAllExpired(batchSize);
    }

    private void run() {
        try {
            long deleted = purgeNow();
            LOG.log(System.Logger.Level.DEBUG, () -> "purged " + deleted + " expired idempotency records");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "purging expired idempotency records failed; next run in "
                    + interval, e);
        }
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "latchkey-idempotency-purge");
            t.setDaemon(true);
            return t;
        });
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        long nanos = interval.toNanos();
        pool.scheduleWithFixedDelay(this::run, nanos, nanos, TimeUnit.NANOSECONDS);
        executor = pool;
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    @Override
    public String toString() {
        return "IdempotencyPurge[interval=" + interval + ", batchSize=" + batchSize + "]";
    }
}

package dev.latchkey.lease.spi;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM-wide threads leases share, started on first use (class initialization is the lazy,
 * thread-safe holder): one daemon timer thread that only schedules, and a cached pool of daemon
 * threads that run the renewals' round trips (idle threads end after a minute), so a slow backend
 * delays no other lease's timer.
 */
final class LeaseThreads {
    static final ScheduledExecutorService TIMER;
    static final ExecutorService IO = Executors.newCachedThreadPool(daemon("latchkey-lease-renewal-"));

    static {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("latchkey-lease-timer-"));
        timer.setRemoveOnCancelPolicy(true);
        TIMER = timer;
    }

    private LeaseThreads() {
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger(); // CAS: thread numbering only
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

package dev.latchkey.bench.lab;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One flash sale with one strategy: many buyers at once, each request a purchase of one or two
 * units of a random product that is not sold out yet, some requests sent again under the same
 * key while the first is still running (a client retrying after a timeout). It ends when
 * everything is sold or the duration is over; the resends still pending are sent then, and the
 * database is audited.
 */
final class Sale {
    private static final long REQUEUE_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final int MAX_CLIENT_RETRIES = 200;

    private final Strategy strategy;
    private final Shop shop;
    private final LabOptions options;
    private final long durationNanos;
    private final String label;
    private final LongAdder strategyRetries;
    private final BuyerThreads threads;
    private final String keyPrefix;

    /** Duplicates waiting for a buyer to send them: a lock-free queue shared by all buyers. */
    private final ConcurrentLinkedQueue<Resend> resends = new ConcurrentLinkedQueue<>();
    /** 1 once a product answered "sold out" to a one-unit request; set and read atomically. */
    private final AtomicIntegerArray soldOut;
    /** Set once by the first buyer that sees everything sold out; read by all: volatile. */
    private volatile boolean allSoldOut;
    private final LongAdder answered = new LongAdder();
    private final LongAdder unitsAccepted = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    /**
     * A sale.
     *
     * @param strategy how to sell
     * @param shop the shop, already reset
     * @param options the lab's options
     * @param duration the longest the sale may last
     * @param label what the progress display calls the sale
     * @param strategyRetries the counter the strategy adds its retries to
     * @param threads how to make buyer threads
     * @param keyPrefix a prefix that makes this sale's request keys unique
     */
    Sale(Strategy strategy, Shop shop, LabOptions options, Duration duration, String label, LongAdder strategyRetries,
         BuyerThreads threads, String keyPrefix) {
        this.strategy = strategy;
        this.shop = shop;
        this.options = options;
        this.durationNanos = duration.toNanos();
        this.label = label;
        this.strategyRetries = strategyRetries;
        this.threads = threads;
        this.keyPrefix = keyPrefix;
        this.soldOut = new AtomicIntegerArray(shop.productCount());
    }

    /**
     * Runs the sale and audits the database.
     *
     * @param progress where to show progress
     * @return the result
     * @throws SQLException if the audit fails
     * @throws InterruptedException if interrupted while waiting for the buyers
     * @throws IllegalStateException if a buyer is still running a minute after the sale ended
     */
    StrategyResult run(ProgressBar progress) throws SQLException, InterruptedException {
        int n = options.threads();
        Buyer[] buyers = new Buyer[n];
        CountDownLatch done = new CountDownLatch(n);
        long retriesBefore = strategyRetries.sum();
        long start = System.nanoTime();
        long deadline = start + durationNanos;
        List<Thread> started = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            buyers[i] = new Buyer(i, deadline, done);
            Thread t = threads.newThread(buyers[i]);
            started.add(t);
        }
        progress.start(label, start, durationNanos, answered::sum, unitsAccepted::sum,
                (long) shop.productCount() * shop.initialStock());
        started.forEach(Thread::start);
        boolean finished;
        try {
            finished = done.await(durationNanos + TimeUnit.MINUTES.toNanos(1), TimeUnit.NANOSECONDS);
        } finally {
            progress.stop();
        }
        long elapsed = System.nanoTime() - start;
        if (!finished) {
            throw new IllegalStateException(strategy.title() + ": buyers still running a minute after the sale ended");
        }
        for (Thread t : started) {
            t.join();
        }
        Latencies[] latencies = new Latencies[n];
        long requests = 0;
        long dups = 0;
        long[] outcomes = new long[Outcome.values().length];
        for (int i = 0; i < n; i++) {
            Buyer b = buyers[i];
            latencies[i] = b.latencies;
            requests += b.requests;
            dups += b.duplicatesSent;
            for (int o = 0; o < outcomes.length; o++) {
                outcomes[o] += b.outcomes[o];
            }
        }
        long[] sorted = Latencies.mergeSorted(latencies);
        return new StrategyResult(strategy.id(), strategy.title(), strategy.description(), strategy.latchkey(),
                requests, dups, outcomes[Outcome.ACCEPTED.ordinal()], outcomes[Outcome.SOLD_OUT.ordinal()],
                outcomes[Outcome.REPLAYED.ordinal()], outcomes[Outcome.IN_FLIGHT.ordinal()],
                outcomes[Outcome.FAILED.ordinal()], firstError.get(), strategyRetries.sum() - retriesBefore, elapsed,
                allSoldOut, Latencies.percentile(sorted, 50), Latencies.percentile(sorted, 99), shop.audit());
    }

    /**
     * A random product that has not answered "sold out", or 0 when none is left.
     */
    private long pickProduct(ThreadLocalRandom random) {
        int count = shop.productCount();
        int first = random.nextInt(count);
        for (int k = 0; k < count; k++) {
            int i = (first + k) % count;
            if (soldOut.get(i) == 0) {
                return i + 1;
            }
        }
        allSoldOut = true;
        return 0;
    }

    /** A request to send again: a client's retry with the same key. */
    private record Resend(Purchase purchase, long notBeforeNanos, int attempt) {
    }

    /** One buyer thread: its counters are plain fields, read after the thread is joined. */
    private final class Buyer implements Runnable {
        private final int index;
        private final long deadline;
        private final CountDownLatch done;
        private final Latencies latencies = new Latencies();
        private final long[] outcomes = new long[Outcome.values().length];
        private long requests;
        private long duplicatesSent;
        private long sequence;

        Buyer(int index, long deadline, CountDownLatch done) {
            this.index = index;
            this.deadline = deadline;
            this.done = done;
        }

        @Override
        public void run() {
            try {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!allSoldOut && System.nanoTime() < deadline) {
                    Purchase purchase;
                    int attempt = 0;
                    Resend resend = resends.poll();
                    if (resend != null && resend.notBeforeNanos() <= System.nanoTime()) {
                        purchase = resend.purchase();
                        attempt = resend.attempt();
                    } else {
                        if (resend != null) {
                            resends.add(resend);
                        }
                        long product = pickProduct(random);
                        if (product == 0) {
                            break;
                        }
                        purchase = new Purchase(keyPrefix + index + "-" + sequence++, product, 1 + random.nextInt(2));
                        if (random.nextDouble() < options.duplicateRate()) {
                            // the client times out and sends the same request again, while the first runs
                            resends.add(new Resend(purchase, 0, 1));
                            duplicatesSent++;
                        }
                    }
                    send(purchase, attempt);
                }
                drainResends();
            } finally {
                done.countDown();
            }
        }

        /**
         * After the sale, the clients still waiting to resend a request do so: every request
         * sent twice gets its second answer, so the audit covers every duplicate.
         */
        private void drainResends() {
            Resend resend;
            while ((resend = resends.poll()) != null) {
                long wait = resend.notBeforeNanos() - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                send(resend.purchase(), resend.attempt());
            }
        }

        private void send(Purchase purchase, int attempt) {
            long t0 = System.nanoTime();
            Outcome outcome;
            try {
                outcome = strategy.purchase(purchase);
            } catch (Exception e) {
                outcome = Outcome.FAILED;
                firstError.compareAndSet(null, e.toString());
            }
            latencies.add(System.nanoTime() - t0);
            requests++;
            outcomes[outcome.ordinal()]++;
            answered.increment();
            switch (outcome) {
                case ACCEPTED:
                    unitsAccepted.add(purchase.qty());
                    break;
                case SOLD_OUT:
                    if (purchase.qty() == 1) {
                        soldOut.set((int) purchase.productId() - 1, 1);
                    }
                    break;
                case IN_FLIGHT:
                    if (attempt < MAX_CLIENT_RETRIES) {
                        resends.add(new Resend(purchase, System.nanoTime() + REQUEUE_DELAY_NANOS, attempt + 1));
                    }
                    break;
                default:
                    break;
            }
        }
    }
}

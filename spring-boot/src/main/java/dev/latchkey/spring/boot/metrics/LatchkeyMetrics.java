package dev.latchkey.spring.boot.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.latchkey.ConcurrencyException;
import dev.latchkey.ConcurrencyListener;
import dev.latchkey.RetriesExhaustedException;
import dev.latchkey.RetryEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A {@link ConcurrencyListener} that publishes what Latchkey does to a Micrometer
 * {@link MeterRegistry}. Give it to {@code Latchkey.builder(..).listener(..)}; the Spring Boot
 * starter does so whenever the application has a {@code MeterRegistry}.
 *
 * <p>Meters (tags in brackets; every tag has a small, bounded set of values: no idempotency key,
 * scope, row key or advisory-lock name ever becomes a tag):
 * <ul>
 *   <li>{@value #RETRIES} counter [{@code exception}: the simple class name of the failure that is
 *       retried, e.g. {@code DeadlockException}]: attempts that failed and are retried.</li>
 *   <li>{@value #RETRIES_EXHAUSTED} counter [{@code exception}: the simple class name of the last
 *       failure]: retry policies that gave up (out of attempts or time).</li>
 *   <li>{@value #CONFLICTS} counter [{@code exception}, {@code table}: the table, or
 *       {@code unknown}]: writes that lost a race (stale version, failed guard on a contended row).</li>
 *   <li>{@value #LOCK_WAITS} timer [{@code table}: the table, or {@code advisory} for every named
 *       lock; {@code acquired}: {@code true}/{@code false}]: how long lock requests took.</li>
 *   <li>{@value #TRANSACTIONS} timer [{@code outcome}: {@code commit}/{@code rollback};
 *       {@code retry}: {@code false} for a first attempt, {@code true} for a retry]: transactions
 *       Latchkey ran, from taking the connection to the end of the commit or rollback.</li>
 *   <li>{@value #IDEMPOTENCY_CLAIMS} counter [{@code takeover}: {@code false} for a new key,
 *       {@code true} when a lapsed claim of a crashed or stalled holder was taken over].</li>
 *   <li>{@value #IDEMPOTENCY_REPLAYS} counter: stored responses replayed instead of running the work.</li>
 *   <li>{@value #IDEMPOTENCY_IN_PROGRESS} counter: requests that found their key held by a request
 *       still running (rejected, or waiting, as the policy says).</li>
 * </ul>
 * The fixed-tag meters are registered when the listener is created, so they show (at 0) before
 * the first event. Thread-safe; each event costs one meter look-up at most (Micrometer's own map)
 * and never throws.
 */
public final class LatchkeyMetrics implements ConcurrencyListener {
    /** Name of the retry counter. */
    public static final String RETRIES = "latchkey.retries";
    /** Name of the counter of retry policies that gave up. */
    public static final String RETRIES_EXHAUSTED = "latchkey.retries.exhausted";
    /** Name of the conflict counter. */
    public static final String CONFLICTS = "latchkey.conflicts";
    /** Name of the lock-wait timer. */
    public static final String LOCK_WAITS = "latchkey.lock.waits";
    /** Name of the transaction timer. */
    public static final String TRANSACTIONS = "latchkey.transactions";
    /** Name of the idempotency-claim counter. */
    public static final String IDEMPOTENCY_CLAIMS = "latchkey.idempotency.claims";
    /** Name of the idempotency-replay counter. */
    public static final String IDEMPOTENCY_REPLAYS = "latchkey.idempotency.replays";
    /** Name of the counter of requests that found their idempotency key in progress. */
    public static final String IDEMPOTENCY_IN_PROGRESS = "latchkey.idempotency.in_progress";

    private static final String UNKNOWN_TABLE = "unknown";
    private static final String ADVISORY = "advisory";

    private final MeterRegistry registry;
    private final Counter newClaims;
    private final Counter takeovers;
    private final Counter replays;
    private final Counter inProgress;
    private final Timer firstCommits;
    private final Timer firstRollbacks;
    private final Timer retryCommits;
    private final Timer retryRollbacks;

    /**
     * Creates the listener and registers its fixed-tag meters.
     *
     * @param registry the registry to publish to
     * @throws NullPointerException if {@code registry} is null
     */
    public LatchkeyMetrics(@NotNull MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.newClaims = claims(registry, false);
        this.takeovers = claims(registry, true);
        this.replays = Counter.builder(IDEMPOTENCY_REPLAYS)
                .description("Stored idempotent responses replayed instead of running the work again")
                .register(registry);
        this.inProgress = Counter.builder(IDEMPOTENCY_IN_PROGRESS)
                .description("Requests that found their idempotency key held by a request still in progress")
                .register(registry);
        this.firstCommits = transactions(registry, "commit", false);
        this.firstRollbacks = transactions(registry, "rollback", false);
        this.retryCommits = transactions(registry, "commit", true);
        this.retryRollbacks = transactions(registry, "rollback", true);
    }

    private static Counter claims(MeterRegistry registry, boolean takeover) {
        return Counter.builder(IDEMPOTENCY_CLAIMS)
                .description("Idempotency keys claimed to run the work: new keys, or takeovers of lapsed claims")
                .tag("takeover", Boolean.toString(takeover))
                .register(registry);
    }

    private static Timer transactions(MeterRegistry registry, String outcome, boolean retry) {
        return Timer.builder(TRANSACTIONS)
                .description("Transactions Latchkey ran, per attempt, until commit or rollback")
                .tag("outcome", outcome)
                .tag("retry", Boolean.toString(retry))
                .register(registry);
    }

    private static String exception(Throwable failure) {
        String simple = failure.getClass().getSimpleName();
        return simple.isEmpty() ? failure.getClass().getName() : simple;
    }

    /**
     * Counts the retry in {@value #RETRIES}.
     *
     * @param event the retry
     */
    @Override
    public void onRetry(@NotNull RetryEvent event) {
        Counter.builder(RETRIES)
                .description("Attempts that failed with a retryable failure and are retried")
                .tag("exception", exception(event.failure()))
                .register(registry)
                .increment();
    }

    /**
     * Counts the give-up in {@value #RETRIES_EXHAUSTED}.
     *
     * @param exhausted the exception about to be thrown
     */
    @Override
    public void onRetriesExhausted(@NotNull RetriesExhaustedException exhausted) {
        Counter.builder(RETRIES_EXHAUSTED)
                .description("Retry policies that gave up: out of attempts or out of time")
                .tag("exception", exception(exhausted.getCause() == null ? exhausted : exhausted.getCause()))
                .register(registry)
                .increment();
    }

    /**
     * Counts the conflict in {@value #CONFLICTS}; the key is not recorded.
     *
     * @param table the table, or {@code null}
     * @param key the key (ignored)
     * @param failure the failure
     */
    @Override
    public void onConflict(@Nullable String table, @Nullable Object key, @NotNull ConcurrencyException failure) {
        Counter.builder(CONFLICTS)
                .description("Writes that lost a race: stale versions, failed guards on contended rows")
                .tag("exception", exception(failure))
                .tag("table", table == null ? UNKNOWN_TABLE : table)
                .register(registry)
                .increment();
    }

    /**
     * Times the lock request in {@value #LOCK_WAITS}; keys and advisory-lock names are not recorded.
     *
     * @param table the table or lock name
     * @param keys the keys, empty for a named (advisory) lock
     * @param waited how long the request took
     * @param acquired whether the lock was acquired
     */
    @Override
    public void onLockWait(@NotNull String table, @NotNull List<?> keys, @NotNull Duration waited, boolean acquired) {
        Timer.builder(LOCK_WAITS)
                .description("Lock requests, acquired or not, and how long they took")
                .tag("table", keys.isEmpty() ? ADVISORY : table)
                .tag("acquired", Boolean.toString(acquired))
                .register(registry)
                .record(waited);
    }

    /**
     * Counts the replay in {@value #IDEMPOTENCY_REPLAYS}.
     *
     * @param scope the scope (ignored)
     * @param key the key (ignored)
     */
    @Override
    public void onIdempotencyReplay(@NotNull String scope, @NotNull String key) {
        replays.increment();
    }

    /**
     * Counts the claim in {@value #IDEMPOTENCY_CLAIMS}.
     *
     * @param scope the scope (ignored)
     * @param key the key (ignored)
     * @param takeover whether a lapsed claim was taken over
     */
    @Override
    public void onIdempotencyClaim(@NotNull String scope, @NotNull String key, boolean takeover) {
        (takeover ? takeovers : newClaims).increment();
    }

    /**
     * Counts the duplicate in {@value #IDEMPOTENCY_IN_PROGRESS}.
     *
     * @param scope the scope (ignored)
     * @param key the key (ignored)
     */
    @Override
    public void onIdempotencyInProgress(@NotNull String scope, @NotNull String key) {
        inProgress.increment();
    }

    /**
     * Times the transaction in {@value #TRANSACTIONS}.
     *
     * @param committed whether it committed
     * @param duration how long it took
     * @param attempt the attempt number, from 1
     */
    @Override
    public void onTransactionEnd(boolean committed, @NotNull Duration duration, int attempt) {
        Timer timer = attempt > 1
                ? (committed ? retryCommits : retryRollbacks)
                : (committed ? firstCommits : firstRollbacks);
        timer.record(duration);
    }

    @Override
    public String toString() {
        return "LatchkeyMetrics[" + registry.getClass().getSimpleName() + "]";
    }
}

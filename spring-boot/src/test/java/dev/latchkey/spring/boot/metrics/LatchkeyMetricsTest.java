package dev.latchkey.spring.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import dev.latchkey.DeadlockException;
import dev.latchkey.RetriesExhaustedException;
import dev.latchkey.RetryEvent;
import dev.latchkey.StaleVersionException;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Every event of the listener SPI lands in its documented meter, with low-cardinality tags only. */
class LatchkeyMetricsTest {

    /** The meters the README and the class Javadoc document: a rename or a lost meter fails here. */
    static final Set<String> DOCUMENTED = Set.of(
            "latchkey.retries", "latchkey.retries.exhausted", "latchkey.conflicts", "latchkey.lock.waits", "latchkey.transactions",
            "latchkey.idempotency.claims", "latchkey.idempotency.replays", "latchkey.idempotency.in_progress");

    @Test
    void fixedMetersExistAtZeroBeforeAnyEvent() {
        MeterRegistry registry = new SimpleMeterRegistry();
        new LatchkeyMetrics(registry);
        assertThat(registry.get("latchkey.idempotency.claims").tag("takeover", "false").counter().count()).isZero();
        assertThat(registry.get("latchkey.idempotency.claims").tag("takeover", "true").counter().count()).isZero();
        assertThat(registry.get("latchkey.idempotency.replays").counter().count()).isZero();
        assertThat(registry.get("latchkey.idempotency.in_progress").counter().count()).isZero();
        assertThat(registry.get("latchkey.transactions").tags("outcome", "commit", "retry", "false").timer().count()).isZero();
        assertThat(registry.get("latchkey.transactions").tags("outcome", "rollback", "retry", "true").timer().count()).isZero();
    }

    @Test
    void everyEventIsCountedUnderItsDocumentedName() {
        MeterRegistry registry = new SimpleMeterRegistry();
        LatchkeyMetrics metrics = new LatchkeyMetrics(registry);
        DeadlockException deadlock = new DeadlockException("deadlock", null, "40P01", 0);

        metrics.onRetry(new RetryEvent(1, deadlock, Duration.ofMillis(5)));
        metrics.onRetry(new RetryEvent(2, deadlock, Duration.ofMillis(9)));
        metrics.onRetriesExhausted(new RetriesExhaustedException(3, deadlock));
        metrics.onConflict("product", 4242L, new StaleVersionException("product", 4242L, 1, 2));
        metrics.onConflict(null, null, deadlock);
        metrics.onLockWait("product", List.of(1, 2), Duration.ofMillis(30), true);
        metrics.onLockWait("job-7731", List.of(), Duration.ofMillis(10), false);
        metrics.onIdempotencyClaim("POST /orders", "key-1", false);
        metrics.onIdempotencyClaim("POST /orders", "key-2", true);
        metrics.onIdempotencyReplay("POST /orders", "key-1");
        metrics.onIdempotencyReplay("POST /orders", "key-3");
        metrics.onIdempotencyInProgress("POST /orders", "key-1");
        metrics.onTransactionEnd(true, Duration.ofMillis(3), 1);
        metrics.onTransactionEnd(false, Duration.ofMillis(4), 1);
        metrics.onTransactionEnd(true, Duration.ofMillis(5), 2);

        assertThat(registry.get("latchkey.retries").tag("exception", "DeadlockException").counter().count()).isEqualTo(2);
        assertThat(registry.get("latchkey.retries.exhausted").tag("exception", "DeadlockException").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("latchkey.conflicts").tags("exception", "StaleVersionException", "table", "product")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("latchkey.conflicts").tags("exception", "DeadlockException", "table", "unknown")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("latchkey.lock.waits").tags("table", "product", "acquired", "true").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("latchkey.lock.waits").tags("table", "product", "acquired", "true").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(30.0);
        assertThat(registry.get("latchkey.lock.waits").tags("table", "advisory", "acquired", "false").timer().count())
                .as("an advisory lock's name is not a tag").isEqualTo(1);
        assertThat(registry.get("latchkey.idempotency.claims").tag("takeover", "false").counter().count()).isEqualTo(1);
        assertThat(registry.get("latchkey.idempotency.claims").tag("takeover", "true").counter().count()).isEqualTo(1);
        assertThat(registry.get("latchkey.idempotency.replays").counter().count()).isEqualTo(2);
        assertThat(registry.get("latchkey.idempotency.in_progress").counter().count()).isEqualTo(1);
        assertThat(registry.get("latchkey.transactions").tags("outcome", "commit", "retry", "false").timer().count()).isEqualTo(1);
        assertThat(registry.get("latchkey.transactions").tags("outcome", "rollback", "retry", "false").timer().count()).isEqualTo(1);
        assertThat(registry.get("latchkey.transactions").tags("outcome", "commit", "retry", "true").timer().count()).isEqualTo(1);

        Set<String> names = new TreeSet<>();
        for (Meter meter : registry.getMeters()) {
            names.add(meter.getId().getName());
            for (Tag tag : meter.getId().getTags()) {
                assertThat(tag.getKey()).as(meter.getId().toString()).isIn("exception", "table", "acquired", "takeover",
                        "outcome", "retry");
                assertThat(tag.getValue()).as("no key, scope or lock name as a tag: " + meter.getId())
                        .doesNotContain("key-", "POST", "job-", "4242");
            }
        }
        assertThat(names).isEqualTo(new TreeSet<>(DOCUMENTED));
    }
}

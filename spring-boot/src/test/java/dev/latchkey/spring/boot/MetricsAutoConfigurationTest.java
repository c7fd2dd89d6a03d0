package dev.latchkey.spring.boot;

import static dev.latchkey.jdbc.update.Expressions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import dev.latchkey.DeadlockException;
import dev.latchkey.RetriesExhaustedException;
import dev.latchkey.StaleVersionException;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.idempotency.TransactionalIdempotency;
import dev.latchkey.spring.boot.metrics.LatchkeyMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * With Boot's own Micrometer auto-configuration (as the actuator brings it), the auto-configured
 * Latchkey publishes what it really does: transactions, a retry, a stale-version conflict, a lock
 * wait, an idempotency claim and replay, each counted exactly.
 */
class MetricsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(Boot.metrics())
            .withConfiguration(Boot.jdbc())
            .withPropertyValues("latchkey.retry.max-attempts=3", "latchkey.retry.initial-delay=0ms",
                    "latchkey.retry.max-delay=1ms");

    @Test
    void latchkeysOperationsShowInBootsMeterRegistry() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(LatchkeyMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            Latchkey latchkey = context.getBean(Latchkey.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            jdbc.execute("CREATE TABLE product (id BIGINT PRIMARY KEY, stock INT NOT NULL, version INT NOT NULL)");
            jdbc.update("INSERT INTO product (id, stock, version) VALUES (1, 10, 1)");

            AtomicInteger attempts = new AtomicInteger();
            latchkey.transactions().run(c -> {
                if (attempts.incrementAndGet() == 1) {
                    throw new DeadlockException("provoked", null, "40001", 0);
                }
                return latchkey.lock("product").key(1L).forUpdate().fetch(c);
            });
            assertThatThrownBy(() -> latchkey.transactions().run(c -> {
                throw new DeadlockException("always", null, "40001", 0);
            })).isInstanceOf(RetriesExhaustedException.class);
            assertThatThrownBy(() -> latchkey.update("product").set("stock", col("stock").minus(1))
                    .whereId(1L).expectVersion(7).execute()).isInstanceOf(StaleVersionException.class);

            TransactionalIdempotency idempotency = context.getBean(TransactionalIdempotency.class);
            IdempotencyKey key = IdempotencyKey.of("orders", "k1");
            Fingerprint fp = Fingerprint.sha256("order 1");
            for (int i = 0; i < 3; i++) {
                idempotency.execute(key, fp, c -> StoredResponse.ofText(201, "text/plain", "created"));
            }

            assertThat(registry.get("latchkey.retries.exhausted").tag("exception", "DeadlockException").counter().count())
                    .as("the second transaction gave up after latchkey.retry.max-attempts=3").isEqualTo(1);
            assertThat(registry.get("latchkey.retries").tag("exception", "DeadlockException").counter().count())
                    .isEqualTo(1 + 2);
            assertThat(registry.get("latchkey.transactions").tags("outcome", "rollback", "retry", "false")
                    .timer().count()).isEqualTo(2);
            assertThat(registry.get("latchkey.transactions").tags("outcome", "rollback", "retry", "true")
                    .timer().count()).isEqualTo(2);
            assertThat(registry.get("latchkey.transactions").tags("outcome", "commit", "retry", "true")
                    .timer().count()).isEqualTo(1);
            assertThat(registry.get("latchkey.lock.waits").tags("table", "product", "acquired", "true")
                    .timer().count()).isEqualTo(1);
            assertThat(registry.get("latchkey.conflicts").tags("exception", "StaleVersionException", "table", "product")
                    .counter().count()).isEqualTo(1);
            assertThat(registry.get("latchkey.idempotency.claims").tag("takeover", "false").counter().count())
                    .isEqualTo(1);
            assertThat(registry.get("latchkey.idempotency.replays").counter().count()).isEqualTo(2);
        });
    }

    @Test
    void metricsCanBeTurnedOff() {
        runner.withPropertyValues("latchkey.metrics.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(MeterRegistry.class);
            assertThat(context).doesNotHaveBean(LatchkeyMetrics.class);
            assertThat(context.getBean(MeterRegistry.class).find("latchkey.transactions").meters()).isEmpty();
        });
    }
}

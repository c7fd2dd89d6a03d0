package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.latchkey.idempotency.contract.ConcurrentRun;
import dev.latchkey.lease.Lease;
import dev.latchkey.lease.LeaseLostException;
import dev.latchkey.lease.spi.LeaseEngine;
import dev.latchkey.lease.spi.LeaseGrant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leases on Redis: exclusive, fenced by strictly increasing tokens, timed by the server's clock. */
class RedisLeaseBackendTest extends RedisTestBase {
    private RedisLeaseBackend backend;

    @BeforeEach
    void createBackend() {
        backend = RedisLeaseBackend.builder(redis).prefix(prefix).build();
    }

    /**
     * 32 threads of two application instances (two connections, two engines) compete for one
     * name: at no moment do two hold it, and tokens strictly increase in the order of acquisition.
     */
    @Test
    void aLeaseIsNeverHeldByTwoAndItsTokensStrictlyIncrease() {
        try (LatchkeyRedis second = LocalRedis.connect()) {
            LeaseEngine[] engines = {LeaseEngine.of(backend),
                    LeaseEngine.of(RedisLeaseBackend.builder(second).prefix(prefix).build())};
            String name = "job-" + UUID.randomUUID();
            AtomicInteger holders = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            AtomicLong lastToken = new AtomicLong();
            AtomicInteger regressions = new AtomicInteger();
            AtomicInteger acquisitions = new AtomicInteger();
            List<Long> tokens = java.util.Collections.synchronizedList(new ArrayList<>());
            ConcurrentRun.run(32, t -> {
                for (int i = 0; i < 200; i++) {
                    Optional<Lease> lease = engines[t % 2].lease(name).tryAcquire(Duration.ofSeconds(30));
                    if (lease.isEmpty()) {
                        continue;
                    }
                    if (holders.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    long token = lease.get().fencingToken();
                    if (lastToken.getAndSet(token) >= token) {
                        regressions.incrementAndGet();
                    }
                    tokens.add(token);
                    acquisitions.incrementAndGet();
                    Thread.yield();
                    holders.decrementAndGet(); // before the release: the next holder may come right after it
                    assertThat(lease.get().release()).isTrue();
                }
            });
            assertThat(overlaps.get()).isZero();
            assertThat(regressions.get()).isZero();
            assertThat(acquisitions.get()).isPositive();
            assertThat(tokens).doesNotHaveDuplicates().isSorted();
            System.out.printf("redis leases: %d acquisitions of one name by 32 threads, tokens %d..%d%n",
                    acquisitions.get(), tokens.get(0), tokens.get(tokens.size() - 1));
        }
    }

    @Test
    void aLeaseExpiresOnTheServersClockAndIsTakenOverWithAHigherToken() throws Exception {
        String name = "leader";
        Instant before = RedisIdempotencyStoreTest.redisTime();
        LeaseGrant first = backend.tryAcquire(name, "a", Duration.ofMillis(1500), Duration.ZERO).orElseThrow();
        assertThat(first.token()).isEqualTo(1);
        assertThat(first.backendNow()).isBetween(before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                RedisIdempotencyStoreTest.redisTime());
        assertThat(first.expiresAt()).isEqualTo(first.backendNow().plusMillis(1500));
        assertThat(backend.tryAcquire(name, "b", Duration.ofSeconds(10), Duration.ZERO)).isEmpty();
        Thread.sleep(1600);
        LeaseGrant second = backend.tryAcquire(name, "b", Duration.ofSeconds(10), Duration.ZERO).orElseThrow();
        assertThat(second.token()).isEqualTo(2);
        // the first holder is fenced out
        assertThat(backend.extend(name, "a", first.token(), Duration.ofSeconds(10))).isEmpty();
        assertThat(backend.release(name, "a", first.token())).isFalse();
        assertThat(backend.release(name, "b", first.token())).as("owner and token must both match").isFalse();
        assertThat(backend.extend(name, "b", second.token(), Duration.ofSeconds(20)).orElseThrow().expiresAt())
                .isAfter(second.expiresAt());
        assertThat(backend.release(name, "b", second.token())).isTrue();
        assertThat(backend.tryAcquire(name, "a", Duration.ofSeconds(1), Duration.ZERO).orElseThrow().token()).isEqualTo(3);
    }

    @Test
    void atLeastForKeepsTheNameAfterReleaseAndTheCounterOutlivesTheState() throws Exception {
        String name = "nightly {report} % \u00e9";
        LeaseGrant g = backend.tryAcquire(name, "a", Duration.ofSeconds(5), Duration.ofMillis(1500)).orElseThrow();
        assertThat(backend.release(name, "a", g.token())).isTrue();
        assertThat(backend.tryAcquire(name, "b", Duration.ofSeconds(5), Duration.ZERO)).as("held at least 1.5 s")
                .isEmpty();
        Thread.sleep(1600);
        String key = backend.redisKey(name);
        assertThat(key).isEqualTo(prefix + "{nightly%u0020%u007Breport%u007D%u0020%u0025%u0020%u00E9}");
        assertThat(LocalRedis.admin().exists(key)).as("the state expired with the lease").isZero();
        assertThat(LocalRedis.admin().pttl(key + ":token")).as("the counter never expires").isEqualTo(-1L);
        assertThat(backend.tryAcquire(name, "b", Duration.ofSeconds(5), Duration.ZERO).orElseThrow().token())
                .isEqualTo(g.token() + 1);
    }

    @Test
    void theLeaseApiOnRedisExtendsAndReportsLoss() throws Exception {
        String name = "api-" + UUID.randomUUID();
        RedisLeaseBackend defaults = RedisLeaseBackend.builder(redis).build();
        assertThat(defaults.prefix()).isEqualTo(RedisLeaseBackend.DEFAULT_PREFIX);
        try {
            Lease lease = redis.lease(name).tryAcquire(Duration.ofSeconds(2)).orElseThrow();
            lease.extend(Duration.ofSeconds(10));
            Thread.sleep(2200);
            assertThat(lease.isHeld()).isTrue();
            assertThat(redis.lease(name).tryAcquire(Duration.ofSeconds(1))).isEmpty();
            assertThat(lease.release()).isTrue();
            Lease next = redis.lease(name).tryAcquire(Duration.ofMillis(200)).orElseThrow();
            assertThat(next.fencingToken()).isGreaterThan(lease.fencingToken());
            Thread.sleep(300);
            assertThatThrownBy(() -> next.extend(Duration.ofSeconds(1))).isInstanceOf(LeaseLostException.class);
        } finally {
            LocalRedis.deleteAll(defaults.redisKey(name));
        }
    }
}

package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.FenceOutcome;
import dev.latchkey.lease.spi.LeaseGrant;
import dev.latchkey.redis.internal.LuaScript;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every operation sends exactly one command (one round trip), counted by the client itself. */
class RoundTripsTest {
    private final ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>();
    private String prefix;

    @AfterEach
    void deleteKeys() {
        if (prefix != null) {
            LocalRedis.deleteAll(prefix);
        }
    }

    @Test
    void eachStoreAndLeaseOperationIsOneEvalsha() {
        LocalRedis.require();
        prefix = LocalRedis.uniquePrefix();
        CommandLatencyRecorder recorder = (local, remote, type, firstResponse, completion) -> sent.add(type.toString());
        ClientResources resources = DefaultClientResources.builder().commandLatencyRecorder(recorder).build();
        try (LatchkeyRedis redis = LatchkeyRedis.builder(LocalRedis.URL).clientResources(resources)
                .durabilityCheck(DurabilityCheck.IGNORE).build()) {
            RedisIdempotencyStore store = RedisIdempotencyStore.builder(redis).prefix(prefix).build();
            RedisLeaseBackend leases = RedisLeaseBackend.builder(redis).prefix(prefix).build();
            IdempotencyKey key = IdempotencyKey.of("rt", UUID.randomUUID().toString());
            Fingerprint fp = Fingerprint.sha256("x");
            Duration d = Duration.ofSeconds(30);

            ClaimResult.Claimed c = (ClaimResult.Claimed) expectOne(() -> store.claim(key, fp, d, d));
            assertThat(expectOne(() -> store.renew(key, c.owner(), d))).isEqualTo(FenceOutcome.APPLIED);
            expectOne(() -> store.complete(key, c.owner(), StoredResponse.of(new byte[] {1}), d));
            expectOne(() -> store.claim(key, fp, d, d)); // replay
            expectOne(() -> store.find(key));
            IdempotencyKey other = IdempotencyKey.of("rt", UUID.randomUUID().toString());
            ClaimResult.Claimed o = (ClaimResult.Claimed) expectOne(() -> store.claim(other, fp, d, d));
            expectOne(() -> store.release(other, o.owner()));

            LeaseGrant g = (LeaseGrant) expectOne(() -> leases.tryAcquire("job", "me", d, Duration.ZERO).orElseThrow());
            expectOne(() -> leases.extend("job", "me", g.token(), d));
            expectOne(() -> leases.release("job", "me", g.token()));

            // a script the server does not know (flushed, restarted, failed over): EVALSHA answers
            // NOSCRIPT, EVAL sends the text once, and EVALSHA finds it from then on
            LuaScript unknown = LuaScript.of("probe", "#!lua flags=no-writes\n-- " + UUID.randomUUID() + "\nreturn {7}");
            drain();
            assertThat(redis.session().read(unknown, "probe", prefix + "probe")).containsExactly(7L);
            assertThat(drain()).containsExactly("EVALSHA", "EVAL");
            expectOne(() -> redis.session().read(unknown, "probe", prefix + "probe"));
        } finally {
            resources.shutdown();
        }
    }

    private Object expectOne(java.util.function.Supplier<Object> operation) {
        drain();
        Object result = operation.get();
        assertThat(drain()).containsExactly("EVALSHA");
        return result;
    }

    /** What was recorded since the last call; the recorder runs on Lettuce's thread as the reply arrives. */
    private List<String> drain() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        List<String> out = new ArrayList<>();
        for (String s; (s = sent.poll()) != null; ) {
            out.add(s);
        }
        return out;
    }
}

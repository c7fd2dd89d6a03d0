package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.ConnectionFailureException;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.IdempotentResult;
import dev.latchkey.idempotency.LeaseLostException;
import dev.latchkey.idempotency.ResultNotRecordedException;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.contract.ConcurrentRun;
import dev.latchkey.idempotency.contract.LeaseRenewalRun;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.FenceOutcome;
import dev.latchkey.idempotency.spi.IdempotencyRecord;
import dev.latchkey.idempotency.spi.IdempotencyState;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the Redis store guarantees beyond the shared contract: layout, clock, renewal, faults, many connections. */
class RedisIdempotencyStoreTest extends RedisTestBase {
    private static final Fingerprint FP = Fingerprint.sha256("request");
    private RedisIdempotencyStore store;

    @BeforeEach
    void createStore() {
        store = RedisIdempotencyStore.builder(redis).prefix(prefix).build();
    }

    private static IdempotencyKey newKey() {
        return IdempotencyKey.of("redis-test", UUID.randomUUID().toString());
    }

    private static IdempotencyPolicy.Builder policy() {
        return IdempotencyPolicy.builder().lease(Duration.ofSeconds(30)).retention(Duration.ofMinutes(5));
    }

    @Test
    void oneKeyIsOneHashTaggedRedisHashThatExpiresWithItsRecord() {
        IdempotencyKey key = IdempotencyKey.of("POST /x{y}", "a/b%}{");
        assertThat(store.redisKey(key)).isEqualTo(prefix + "{POST %2Fx%7By%7D/a/b%25%7D%7B}");
        ClaimResult.Claimed c = (ClaimResult.Claimed) store.claim(key, FP, Duration.ofSeconds(5), Duration.ofSeconds(60));
        assertThat(LocalRedis.admin().type(store.redisKey(key))).isEqualTo("hash");
        long ttl = LocalRedis.admin().pttl(store.redisKey(key));
        assertThat(ttl).isBetween(55_000L, 60_000L);
        store.complete(key, c.owner(), StoredResponse.ofText(200, null, "ok"), Duration.ofMinutes(10));
        assertThat(LocalRedis.admin().pttl(store.redisKey(key))).isBetween(595_000L, 600_000L);
        // the only key the store wrote
        assertThat(LocalRedis.admin().keys(prefix + "*")).containsExactly(store.redisKey(key));
    }

    @Test
    void everyTimeIsTheRedisServersClock() {
        // the store keeps milliseconds; TIME has microseconds
        Instant before = redisTime().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        IdempotencyKey key = newKey();
        ClaimResult.Claimed c = (ClaimResult.Claimed) store.claim(key, FP, Duration.ofMillis(7_001),
                Duration.ofSeconds(60));
        Instant after = redisTime();
        IdempotencyRecord r = store.find(key).orElseThrow();
        assertThat(c.leaseExpiresAt()).isBetween(before.plusMillis(7_001), after.plusMillis(7_001));
        assertThat(r.expiresAt()).isEqualTo(c.leaseExpiresAt().minusMillis(7_001).plusSeconds(60));
        assertThat(r.observedAt()).isBetween(before, redisTime());
        // a duration below a millisecond is rounded up, never down to "already lapsed"
        IdempotencyKey tiny = newKey();
        ClaimResult.Claimed t = (ClaimResult.Claimed) store.claim(tiny, FP, Duration.ofNanos(1), Duration.ofSeconds(1));
        assertThat(t.leaseExpiresAt()).isAfter(before);
    }

    /** The executor's lease renewal (as jdbc-adapter's): work four times the lease runs exactly once. */
    @Test
    void workFourTimesTheLeaseRunsOnceWhileTheExecutorRenewsItsLease() throws InterruptedException {
        Duration lease = Duration.ofMillis(800);
        // retention == lease: without renewal both the lease and the record (the hash's PEXPIREAT) would lapse
        Idempotency renewing = store.executor(IdempotencyPolicy.builder().lease(lease).retention(lease)
                .renewLeaseEvery(Duration.ofMillis(150)).build());
        LeaseRenewalRun.workLongerThanTheLeaseRunsOnce(renewing, newKey(), FP, lease.multipliedBy(4));
    }

    @Test
    void aRenewalMovesTheHashsExpiryAlongWithTheRecordsAndNeverShortensIt() {
        IdempotencyKey key = newKey();
        String hash = store.redisKey(key);
        ClaimResult.Claimed c = (ClaimResult.Claimed) store.claim(key, FP, Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertThat(store.renew(key, c.owner(), Duration.ofSeconds(60))).isEqualTo(FenceOutcome.APPLIED);
        assertThat(LocalRedis.admin().pttl(hash)).isBetween(55_000L, 60_000L);
        IdempotencyRecord renewed = store.find(key).orElseThrow();
        assertThat(renewed.expiresAt()).isEqualTo(renewed.leaseExpiresAt());

        // a record kept longer than the new lease keeps its expiry
        IdempotencyKey kept = newKey();
        ClaimResult.Claimed k = (ClaimResult.Claimed) store.claim(kept, FP, Duration.ofSeconds(5), Duration.ofMinutes(10));
        Instant expiresAt = store.find(kept).orElseThrow().expiresAt();
        assertThat(store.renew(kept, k.owner(), Duration.ofSeconds(30))).isEqualTo(FenceOutcome.APPLIED);
        assertThat(store.find(kept).orElseThrow().expiresAt()).isEqualTo(expiresAt);
        assertThat(LocalRedis.admin().pttl(store.redisKey(kept))).isBetween(590_000L, 600_000L);
        assertThat(LocalRedis.admin().keys(prefix + "*")).containsExactlyInAnyOrder(hash, store.redisKey(kept));
    }

    @Test
    void builderAndArgumentsAreChecked() {
        assertThatThrownBy(() -> RedisIdempotencyStore.builder(redis).prefix("a{b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a{b");
        assertThatThrownBy(() -> RedisIdempotencyStore.builder(redis).prefix("has space"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 3");
        assertThatThrownBy(() -> RedisIdempotencyStore.builder(redis).prefix(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisIdempotencyStore.builder(redis).maxResponseBytes(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxResponseBytes=-1");
        assertThatThrownBy(() -> RedisIdempotencyStore.builder(redis).prefix(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("prefix");
        assertThatThrownBy(() -> LatchkeyRedis.builder("http://nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://nope");
        assertThatThrownBy(() -> LatchkeyRedis.builder(LocalRedis.URL).waitForReplicas(-1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replicas=-1");
        assertThatThrownBy(() -> LatchkeyRedis.builder(LocalRedis.URL).commandTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.claim(newKey(), FP, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.find(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
    }

    @Test
    void aResponseOverTheStoresLimitIsRefusedBeforeRedisAndThePolicyIsCheckedAgainstIt() {
        RedisIdempotencyStore small = RedisIdempotencyStore.builder(redis).prefix(prefix).maxResponseBytes(8).build();
        IdempotencyKey key = newKey();
        ClaimResult.Claimed c = (ClaimResult.Claimed) small.claim(key, FP, Duration.ofSeconds(5), Duration.ofSeconds(60));
        assertThatThrownBy(() -> small.complete(key, c.owner(), StoredResponse.of(new byte[9]), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size=9").hasMessageContaining("max=8");
        assertThat(small.find(key).orElseThrow().state()).isEqualTo(IdempotencyState.IN_PROGRESS);
        assertThatThrownBy(() -> small.executor(policy().maxResponseBytes(9).build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Two application instances (two connections) share the keys: 64 threads over 200 keys, each
     * key's work runs exactly once and everyone sees its one response. Prints the rate (not asserted).
     */
    @Test
    void sixtyFourThreadsOverTwoHundredKeysOnTwoConnectionsRunEachKeyExactlyOnce() {
        int threads = 64;
        int keys = 200;
        try (LatchkeyRedis second = LocalRedis.connect()) {
            RedisIdempotencyStore other = RedisIdempotencyStore.builder(second).prefix(prefix).build();
            Idempotency[] instances = {store.executor(policy().waitWhenInProgress(Duration.ofSeconds(60)).build()),
                    other.executor(policy().waitWhenInProgress(Duration.ofSeconds(60)).build())};
            List<IdempotencyKey> keyList = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                keyList.add(newKey());
            }
            AtomicIntegerArray runs = new AtomicIntegerArray(keys);
            String[] seen = new String[keys];
            AtomicInteger mismatches = new AtomicInteger();
            long start = System.nanoTime();
            ConcurrentRun.run(threads, t -> {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < keys; i++) {
                    order.add(i);
                }
                Collections.shuffle(order, new java.util.Random(t));
                for (int i : order) {
                    IdempotentResult<StoredResponse> r = instances[t % 2].execute(keyList.get(i),
                            Fingerprint.sha256("k" + i), () -> {
                                runs.incrementAndGet(i);
                                return StoredResponse.ofText(201, null, UUID.randomUUID().toString());
                            });
                    String body = r.value().bodyAsText();
                    synchronized (seen) {
                        if (seen[i] == null) {
                            seen[i] = body;
                        } else if (!seen[i].equals(body)) {
                            mismatches.incrementAndGet();
                        }
                    }
                }
            });
            long nanos = System.nanoTime() - start;
            for (int i = 0; i < keys; i++) {
                assertThat(runs.get(i)).as("runs of key %d", i).isEqualTo(1);
            }
            assertThat(mismatches.get()).isZero();
            System.out.printf("redis store: %d executions (%d threads x %d keys, 2 connections) in %d ms = %.0f/s%n",
                    threads * keys, threads, keys, nanos / 1_000_000, threads * keys * 1e9 / nanos);
        }
    }

    /**
     * A worker's connection is killed while its work runs (CLIENT KILL): its lease lapses on the
     * server, another instance takes the key over and completes it, and the first worker's late
     * result is fenced out whatever its connection did meanwhile.
     */
    @Test
    void aHolderWhoseConnectionWasKilledIsTakenOverAfterItsLeaseAndFencedOut() throws Exception {
        String clientName = "lk-holder-" + UUID.randomUUID().toString().substring(0, 8);
        RedisURI uri = RedisURI.create(LocalRedis.URL);
        uri.setClientName(clientName);
        IdempotencyKey key = newKey();
        Duration lease = Duration.ofSeconds(3); // must outlast the steps up to the "still holds" check on a loaded machine
        try (LatchkeyRedis holderRedis = LatchkeyRedis.builder(uri).durabilityCheck(DurabilityCheck.IGNORE).build()) {
            Idempotency holder = RedisIdempotencyStore.builder(holderRedis).prefix(prefix).build()
                    .executor(policy().lease(lease).build());
            CountDownLatch inWork = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            AtomicReference<Throwable> holderOutcome = new AtomicReference<>();
            Thread worker = new Thread(() -> {
                try {
                    holder.execute(key, FP, () -> {
                        inWork.countDown();
                        await(resume);
                        return StoredResponse.ofText(200, null, "holder");
                    });
                    holderOutcome.set(new AssertionError("the killed holder completed"));
                } catch (Throwable e) {
                    holderOutcome.set(e);
                }
            });
            worker.start();
            assertThat(inWork.await(30, TimeUnit.SECONDS)).isTrue();
            killClient(clientName);

            Idempotency taker = store.executor(policy().build());
            assertThatThrownBy(() -> taker.execute(key, FP, () -> StoredResponse.ofText(200, null, "early")))
                    .as("the holder's lease still holds on the server")
                    .isInstanceOf(dev.latchkey.idempotency.IdempotencyKeyInUseException.class);
            Thread.sleep(lease.toMillis() + 100);
            IdempotentResult<StoredResponse> took = taker.execute(key, FP, () -> StoredResponse.ofText(200, null, "taker"));
            assertThat(took.isFresh()).isTrue();
            assertThat(store.find(key).orElseThrow().attempt()).isEqualTo(2);

            resume.countDown();
            worker.join(30_000);
            assertThat(holderOutcome.get()).isInstanceOfAny(LeaseLostException.class, ResultNotRecordedException.class);
            assertThat(store.find(key).orElseThrow().response().bodyAsText()).isEqualTo("taker");
        }
    }

    @Test
    void aRefusedConnectionIsAConnectionFailure() {
        LocalRedis.require();
        assertThatThrownBy(() -> LatchkeyRedis.builder("redis://127.0.0.1:1").commandTimeout(Duration.ofSeconds(2))
                .build())
                .isInstanceOf(ConnectionFailureException.class)
                .hasMessageContaining("127.0.0.1")
                .satisfies(e -> assertThat(((ConnectionFailureException) e).isTransient()).isTrue());
    }

    /** The claim ran on Redis, but its reply was lost with the connection: outcome unknown, not retried. */
    @Test
    void aWriteInFlightWhenTheConnectionDiesHasAnUnknownOutcomeAndADownConnectionRefusesAtOnce() throws Exception {
        RedisURI target = RedisURI.create(LocalRedis.URL);
        IdempotencyKey key = newKey();
        try (CuttableProxy proxy = new CuttableProxy(target.getHost(), target.getPort());
             LatchkeyRedis viaProxy = LatchkeyRedis.builder("redis://127.0.0.1:" + proxy.port())
                     .commandTimeout(Duration.ofSeconds(5)).durabilityCheck(DurabilityCheck.IGNORE).build()) {
            RedisIdempotencyStore proxied = RedisIdempotencyStore.builder(viaProxy).prefix(prefix).build();
            proxy.cutOnNextReply();
            assertThatThrownBy(() -> proxied.claim(key, FP, Duration.ofSeconds(30), Duration.ofMinutes(1)))
                    .isInstanceOf(WriteOutcomeUnknownException.class)
                    .isInstanceOf(CommitOutcomeUnknownException.class)
                    .hasMessageContaining(key.toString())
                    .satisfies(e -> assertThat(((WriteOutcomeUnknownException) e).isTransient()).isFalse());
            // it did run, and the client did not run it a second time after reconnecting
            IdempotencyRecord r = store.find(key).orElseThrow();
            assertThat(r.state()).isEqualTo(IdempotencyState.IN_PROGRESS);
            assertThat(r.attempt()).isEqualTo(1);

            proxy.stop();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (viaProxy.isConnected() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(viaProxy.isConnected()).isFalse();
            assertThatThrownBy(() -> proxied.claim(newKey(), FP, Duration.ofSeconds(30), Duration.ofMinutes(1)))
                    .isInstanceOf(ConnectionFailureException.class)
                    .hasMessageContaining("nothing was written");
            assertThatThrownBy(() -> proxied.find(key)).isInstanceOf(ConnectionFailureException.class);
        }
        assertThat(LocalRedis.admin().keys(prefix + "*")).hasSize(1);
    }

    @Test
    void aWriteTooFewReplicasAcknowledgeIsADistinctFailureAfterItRan() {
        long replicas = Long.parseLong(infoField(LocalRedis.admin().info("replication"), "connected_slaves"));
        int required = (int) replicas + 1;
        try (LatchkeyRedis waiting = LatchkeyRedis.builder(LocalRedis.URL).durabilityCheck(DurabilityCheck.IGNORE)
                .waitForReplicas(required, Duration.ofMillis(100)).build()) {
            RedisIdempotencyStore s = RedisIdempotencyStore.builder(waiting).prefix(prefix).build();
            IdempotencyKey key = newKey();
            assertThatThrownBy(() -> s.claim(key, FP, Duration.ofSeconds(30), Duration.ofMinutes(1)))
                    .isInstanceOfSatisfying(ReplicationNotAcknowledgedException.class, e -> {
                        assertThat(e.required()).isEqualTo(required);
                        assertThat(e.acknowledged()).isEqualTo(replicas);
                        assertThat(e.isTransient()).isFalse();
                        assertThat(e).hasMessageContaining(key.toString());
                    });
            assertThat(s.find(key)).as("the claim ran on the primary").isPresent();
        }
    }

    /** An ACL user that may not run scripts: Redis's NOPERM is a RedisServerException, not a connection failure. */
    @Test
    void anErrorReplyIsARedisServerException() {
        String user = "lk-test-" + UUID.randomUUID().toString().substring(0, 8);
        LocalRedis.admin().aclSetuser(user, io.lettuce.core.AclSetuserArgs.Builder.on().addPassword("pw").allKeys()
                .allCommands().removeCategory(io.lettuce.core.AclCategory.SCRIPTING));
        try {
            RedisURI uri = RedisURI.builder(RedisURI.create(LocalRedis.URL)).withAuthentication(user, "pw").build();
            try (LatchkeyRedis limited = LatchkeyRedis.builder(uri).durabilityCheck(DurabilityCheck.IGNORE).build()) {
                assertThatThrownBy(() -> RedisIdempotencyStore.builder(limited).prefix(prefix).build())
                        .isInstanceOf(RedisServerException.class)
                        .hasMessageContaining("NOPERM")
                        .satisfies(e -> assertThat(((RedisServerException) e).isTransient()).isFalse());
            }
        } finally {
            LocalRedis.admin().aclDeluser(user);
        }
    }

    static Instant redisTime() {
        List<String> t = LocalRedis.admin().time();
        return Instant.ofEpochSecond(Long.parseLong(t.get(0)), Long.parseLong(t.get(1)) * 1000);
    }

    static String infoField(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new AssertionError(name + " not in INFO");
    }

    private static void killClient(String name) {
        for (String line : LocalRedis.admin().clientList().split("\n")) {
            if (line.contains(" name=" + name + " ")) {
                String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' '));
                assertThat(LocalRedis.admin().clientKill(KillArgs.Builder.id(Long.parseLong(id)))).isEqualTo(1L);
                return;
            }
        }
        throw new AssertionError("no client named " + name);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

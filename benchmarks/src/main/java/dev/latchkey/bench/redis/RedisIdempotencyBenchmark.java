package dev.latchkey.bench.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.FenceOutcome;
import dev.latchkey.redis.DurabilityCheck;
import dev.latchkey.redis.LatchkeyRedis;
import dev.latchkey.redis.RedisIdempotencyStore;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Redis idempotency store against the hand-written claim most Redis code uses, on the same
 * client (Lettuce, one connection each, same codec), against the Redis at {@code url}:
 * <ul>
 *   <li>{@link #claimCompleteLatchkey()}: {@code claim} and {@code complete} of a new key, two
 *       Lua scripts ({@code EVALSHA}): server-side time, fingerprint check, owner-token fence.</li>
 *   <li>{@link #claimCompleteSetNx()} (baseline): {@code SET key pending NX PX lease}, then
 *       {@code SET key response PX retention}: two commands, no fingerprint, no fence (a
 *       worker whose lease lapsed overwrites the winner's response), no takeover record.</li>
 *   <li>{@link #replayLatchkey()} / {@link #replayGet()} (baseline): the claim of a completed key
 *       that returns the stored response, against a {@code GET}.</li>
 * </ul>
 * Both sides pay two round trips per claim and completion, so the difference is the scripts'
 * work and the decoding. Keys are new per operation under a random prefix, expire after 60 s
 * and are deleted at the end of the trial.
 *
 * <p>Baselines: {@link #claimCompleteSetNx()}, {@link #replayGet()}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RedisIdempotencyBenchmark {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration RETENTION = Duration.ofSeconds(60);
    private static final byte[] PENDING = "pending".getBytes(StandardCharsets.US_ASCII);

    /** The Redis server. */
    @Param("redis://127.0.0.1:6379")
    public String url;

    private final String prefix = "lk-bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final Fingerprint fingerprint = Fingerprint.sha256("{\"amount\":100,\"currency\":\"EUR\"}");
    private final StoredResponse response = StoredResponse.ofText(201, "application/json", "{\"id\":\"ch_1\"}");
    private final byte[] responseBytes = response.body();
    private long next;

    private LatchkeyRedis latchkey;
    private RedisIdempotencyStore store;
    private RedisClient client;
    private StatefulRedisConnection<String, byte[]> connection;
    private RedisCommands<String, byte[]> commands;
    private final IdempotencyKey replayKey = IdempotencyKey.of("POST /charges", "replayed-key");

    /** Connects both sides and completes the replayed key in both. */
    @Setup(Level.Trial)
    public void setUp() {
        latchkey = LatchkeyRedis.builder(url).durabilityCheck(DurabilityCheck.IGNORE).build();
        store = RedisIdempotencyStore.builder(latchkey).prefix(prefix).build();
        client = RedisClient.create(url);
        connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        commands = connection.sync();
        ClaimResult.Claimed c = (ClaimResult.Claimed) store.claim(replayKey, fingerprint, LEASE, Duration.ofHours(1));
        store.complete(replayKey, c.owner(), response, Duration.ofHours(1));
        commands.set(prefix + "replayed-key", responseBytes, SetArgs.Builder.px(Duration.ofHours(1)));
    }

    /** Deletes the keys and closes both sides. */
    @TearDown(Level.Trial)
    public void tearDown() {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = commands.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(10_000));
            if (!page.getKeys().isEmpty()) {
                commands.unlink(page.getKeys().toArray(new String[0]));
            }
            cursor = page;
        } while (!cursor.isFinished());
        connection.close();
        client.shutdown();
        latchkey.close();
    }

    /**
     * Claims a new key and completes it through the store.
     *
     * @return the completion's outcome
     */
    @Benchmark
    public FenceOutcome claimCompleteLatchkey() {
        IdempotencyKey key = IdempotencyKey.of("POST /charges", Long.toString(next++));
        ClaimResult.Claimed c = (ClaimResult.Claimed) store.claim(key, fingerprint, LEASE, RETENTION);
        return store.complete(key, c.owner(), response, RETENTION);
    }

    /**
     * Baseline: claims a new key with {@code SET NX PX} and stores the response with {@code SET PX}.
     *
     * @return the second command's reply
     */
    @Benchmark
    public String claimCompleteSetNx() {
        String key = prefix + "setnx:" + next++;
        if (!"OK".equals(commands.set(key, PENDING, SetArgs.Builder.nx().px(LEASE)))) {
            throw new IllegalStateException("a new key was taken: " + key);
        }
        return commands.set(key, responseBytes, SetArgs.Builder.px(RETENTION));
    }

    /**
     * Claims the completed key: a replay of its response.
     *
     * @return the claim's result
     */
    @Benchmark
    public ClaimResult replayLatchkey() {
        return store.claim(replayKey, fingerprint, LEASE, RETENTION);
    }

    /**
     * Baseline: reads the stored response with {@code GET}.
     *
     * @return the response bytes
     */
    @Benchmark
    public byte[] replayGet() {
        return commands.get(prefix + "replayed-key");
    }
}

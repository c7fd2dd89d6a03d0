package dev.latchkey.bench.inmemory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.memory.InMemoryIdempotencyStore;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.FenceOutcome;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-memory idempotency store against a bare {@link ConcurrentHashMap} doing the same
 * transitions: claim a key (absent or expired, so it is claimed) and complete it with a
 * response; and replay a completed key. Run with {@code -prof gc} for the allocation per
 * operation.
 *
 * <p>The baseline keeps what a hand-rolled map needs to be correct (the fingerprint, the state,
 * an expiry, the response) and nothing more: no owner token fencing, no lease takeover, no
 * records handed out, no sweeping. Keys cycle over 4096 and a hand-moved clock expires each
 * record before its key comes round again, so both maps stay small.
 *
 * <p>Baselines: {@link #claimCompleteConcurrentHashMap()}, {@link #replayConcurrentHashMap()}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InMemoryIdempotencyBenchmark {
    private static final int KEYS = 4096;
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration RETENTION = Duration.ofSeconds(60);
    /** Each operation moves the clocks past every earlier record's lease and retention. */
    private static final long STEP_MILLIS = 61_000;

    private final IdempotencyKey[] keys = new IdempotencyKey[KEYS];
    private final Fingerprint fingerprint = Fingerprint.sha256("{\"amount\":100,\"currency\":\"EUR\"}");
    private final StoredResponse response = StoredResponse.ofText(201, "application/json", "{\"id\":\"ch_1\"}");
    private int next;

    private SteppingClock storeClock;
    private InMemoryIdempotencyStore store;
    private long mapNow;
    private ConcurrentHashMap<IdempotencyKey, MapRecord> map;

    private final IdempotencyKey replayKey = IdempotencyKey.of("POST /charges", "replayed-key");
    private InMemoryIdempotencyStore replayStore;
    private ConcurrentHashMap<IdempotencyKey, MapRecord> replayMap;

    /** What the baseline map holds per key. */
    private record MapRecord(Fingerprint fingerprint, boolean completed, StoredResponse response, long expiresAt) {
    }

    /** Makes the keys, the stores and the maps, and completes the replayed key in both. */
    @Setup(Level.Trial)
    public void setUp() {
        for (int i = 0; i < KEYS; i++) {
            keys[i] = IdempotencyKey.of("POST /charges", "key-" + i);
        }
        storeClock = new SteppingClock();
        store = InMemoryIdempotencyStore.builder().clock(storeClock).build();
        map = new ConcurrentHashMap<>();

        Clock fixed = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
        replayStore = InMemoryIdempotencyStore.builder().clock(fixed).build();
        ClaimResult.Claimed c = (ClaimResult.Claimed) replayStore.claim(replayKey, fingerprint, LEASE, RETENTION);
        replayStore.complete(replayKey, c.owner(), response, RETENTION);
        replayMap = new ConcurrentHashMap<>();
        replayMap.put(replayKey, new MapRecord(fingerprint, true, response, Long.MAX_VALUE));
    }

    private IdempotencyKey nextKey() {
        next = (next + 1) & (KEYS - 1);
        return keys[next];
    }

    /**
     * Claim and complete through the store.
     *
     * @return the completion's fence outcome
     */
    @Benchmark
    public FenceOutcome claimComplete() {
        IdempotencyKey key = nextKey();
        storeClock.advance(STEP_MILLIS);
        ClaimResult.Claimed claimed = (ClaimResult.Claimed) store.claim(key, fingerprint, LEASE, RETENTION);
        return store.complete(key, claimed.owner(), response, RETENTION);
    }

    /**
     * Claim and complete in a bare map.
     *
     * @return the completed record
     */
    @Benchmark
    public MapRecord claimCompleteConcurrentHashMap() {
        IdempotencyKey key = nextKey();
        long now = mapNow += STEP_MILLIS;
        MapRecord fresh = new MapRecord(fingerprint, false, null, now + LEASE.toMillis());
        MapRecord claimed = map.compute(key, (k, current) ->
                current == null || current.expiresAt() <= now ? fresh : current);
        if (claimed != fresh) {
            throw new IllegalStateException("key " + key + " was not free");
        }
        return map.computeIfPresent(key, (k, current) ->
                new MapRecord(current.fingerprint(), true, response, now + RETENTION.toMillis()));
    }

    /**
     * A completed key claimed again through the store: its stored response comes back.
     *
     * @return the replay
     */
    @Benchmark
    public ClaimResult replay() {
        return replayStore.claim(replayKey, fingerprint, LEASE, RETENTION);
    }

    /**
     * A completed key looked up in a bare map, checking state and fingerprint.
     *
     * @return the stored response
     */
    @Benchmark
    public StoredResponse replayConcurrentHashMap() {
        MapRecord r = replayMap.get(replayKey);
        if (r == null || !r.completed() || !r.fingerprint().equals(fingerprint)) {
            throw new IllegalStateException("not a replay");
        }
        return r.response();
    }
}

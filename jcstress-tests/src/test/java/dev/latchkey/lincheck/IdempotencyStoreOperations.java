package dev.latchkey.lincheck;

import static dev.latchkey.lincheck.LincheckRuns.call;
import static dev.latchkey.lincheck.LincheckRuns.parallel;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyKeyReusedException;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.IdempotencyRecord;
import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.idempotency.spi.OwnerToken;
import dev.latchkey.jcstress.support.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;

/**
 * The {@link IdempotencyStore} SPI as Lincheck drives it: two keys, two request fingerprints, a
 * clock that only the {@link #tick()} operation moves, and per-thread memory of the owner token
 * each thread's last successful claim of a key returned (so {@code complete} and
 * {@code release} are called by the owner, or by a thread whose claim has been taken over).
 * Every result is a short string, compared with {@link IdempotencyStoreSpecification}'s.
 *
 * <p>Subclasses name the store (Lincheck needs a public no-argument constructor).
 */
@Param(name = "thread", gen = ThreadIdGen.class)
@Param(name = "key", gen = IntGen.class, conf = "0:1")
@Param(name = "request", gen = IntGen.class, conf = "0:1")
public abstract class IdempotencyStoreOperations {
    /** The lease: one tick. */
    static final Duration LEASE = Duration.ofSeconds(1);
    /** The record's life: two ticks, so a few ticks in a scenario lapse leases and expire records. */
    static final Duration RETENTION = Duration.ofSeconds(2);
    /** The most threads a scenario has (the token table's size). */
    static final int MAX_THREADS = 4;

    private static final IdempotencyKey[] KEYS = {IdempotencyKey.of("lincheck", "k0"), IdempotencyKey.of("lincheck", "k1")};
    private static final Fingerprint[] REQUESTS = {Fingerprint.sha256("request-0"), Fingerprint.sha256("request-1")};

    private final ManualClock clock = new ManualClock();
    private final IdempotencyStore store;
    /** [thread][key]: the token of the thread's last successful claim; plain, each row used by one thread. */
    private final OwnerToken[][] tokens = new OwnerToken[MAX_THREADS][KEYS.length];

    /**
     * Operations on the store the factory builds over this instance's clock.
     *
     * @param store builds the store from the clock it must read
     */
    protected IdempotencyStoreOperations(Function<Clock, IdempotencyStore> store) {
        this.store = store.apply(clock);
    }

    /**
     * Claims a key with one of the two requests and describes the outcome.
     *
     * @param thread the calling thread's id in the scenario
     * @param key 0 or 1
     * @param request 0 or 1
     * @return "claimed N", "in-progress N", "replay BODY" or "reused"
     */
    @Operation
    public String claim(@Param(name = "thread") int thread, @Param(name = "key") int key,
                        @Param(name = "request") int request) {
        ClaimResult r;
        try {
            r = store.claim(KEYS[key], REQUESTS[request], LEASE, RETENTION);
        } catch (IdempotencyKeyReusedException reused) {
            return "reused";
        }
        if (r instanceof ClaimResult.Claimed c) {
            tokens[thread][key] = c.owner();
            return "claimed " + c.attempt();
        }
        if (r instanceof ClaimResult.Replay replay) {
            return "replay " + replay.response().bodyAsText();
        }
        return "in-progress " + ((ClaimResult.InProgress) r).record().attempt();
    }

    /**
     * Completes a key with the token of this thread's last claim of it, storing a response that
     * names the thread.
     *
     * @param thread the calling thread's id in the scenario
     * @param key 0 or 1
     * @return "APPLIED", "LEASE_LOST", or "no claim" when this thread never claimed the key
     */
    @Operation
    public String complete(@Param(name = "thread") int thread, @Param(name = "key") int key) {
        OwnerToken token = tokens[thread][key];
        if (token == null) {
            return "no claim";
        }
        return store.complete(KEYS[key], token, StoredResponse.ofText(200, null, "t" + thread), RETENTION).name();
    }

    /**
     * Releases a key with the token of this thread's last claim of it.
     *
     * @param thread the calling thread's id in the scenario
     * @param key 0 or 1
     * @return "APPLIED", "LEASE_LOST", or "no claim" when this thread never claimed the key
     */
    @Operation
    public String release(@Param(name = "thread") int thread, @Param(name = "key") int key) {
        OwnerToken token = tokens[thread][key];
        if (token == null) {
            return "no claim";
        }
        return store.release(KEYS[key], token).name();
    }

    /**
     * Reads a key's live record.
     *
     * @param key 0 or 1
     * @return "absent", or its state, attempt and response body
     */
    @Operation
    public String find(@Param(name = "key") int key) {
        Optional<IdempotencyRecord> found = store.find(KEYS[key]);
        if (found.isEmpty()) {
            return "absent";
        }
        IdempotencyRecord r = found.get();
        StoredResponse response = r.response();
        return r.state() + " " + r.attempt() + (response == null ? "" : " " + response.bodyAsText());
    }

    /**
     * Deletes the expired records.
     *
     * @return how many were deleted
     */
    @Operation
    public int purge() {
        return store.purgeExpired(Integer.MAX_VALUE);
    }

    /** Moves the clock one second: one lease. */
    @Operation
    public void tick() {
        clock.advance(LEASE);
    }

    /**
     * The scenario a non-atomic claim fails in: two threads claim the same absent key, then each
     * completes it.
     *
     * @param operations the operations class
     * @return the scenario
     */
    public static ExecutionScenario twoClaimsOneKey(Class<? extends IdempotencyStoreOperations> operations) {
        return parallel(
                List.of(call(operations, "claim", 0, 0, 0), call(operations, "complete", 0, 0)),
                List.of(call(operations, "claim", 1, 0, 0), call(operations, "complete", 1, 0)));
    }
}

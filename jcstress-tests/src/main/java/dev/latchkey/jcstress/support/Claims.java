package dev.latchkey.jcstress.support;

import java.time.Duration;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.IdempotencyRecord;
import dev.latchkey.idempotency.spi.IdempotencyState;
import dev.latchkey.idempotency.spi.IdempotencyStore;

/**
 * The fixed key, request and durations every idempotency stress test uses, and short names for
 * what a claim or a read saw, so that the jcstress report reads as a sentence.
 */
public final class Claims {
    /** The one key the actors fight over. */
    public static final IdempotencyKey KEY = IdempotencyKey.of("POST /charges", "key-1");
    /** The request fingerprint every actor sends (same request: replays are allowed). */
    public static final Fingerprint REQUEST = Fingerprint.sha256("amount=100");
    /** How long a claim holds the key. */
    public static final Duration LEASE = Duration.ofSeconds(60);
    /** How long a record lives. */
    public static final Duration RETENTION = Duration.ofHours(1);
    /** A clock step that lapses a lease but not the record. */
    public static final Duration PAST_LEASE = LEASE.plusSeconds(1);
    /** A clock step that expires the record. */
    public static final Duration PAST_RETENTION = RETENTION.plusSeconds(1);

    private Claims() {
    }

    /**
     * Claims {@link #KEY} with the standard request and durations.
     *
     * @param store the store
     * @return the claim result
     */
    public static ClaimResult claim(IdempotencyStore store) {
        return store.claim(KEY, REQUEST, LEASE, RETENTION);
    }

    /**
     * The response a worker stores: a status, a content type and a body that all name the
     * worker, so a reader can tell a whole response from a torn one.
     *
     * @param worker the worker's name
     * @return the response
     */
    public static StoredResponse response(String worker) {
        return StoredResponse.ofText(201, "application/x-" + worker, "charged-by-" + worker);
    }

    /**
     * The name of the worker whose whole response this is, or {@code "torn"} when its parts do
     * not belong to one worker's response.
     *
     * @param r a response read back
     * @return the worker's name, or {@code torn}
     */
    public static String worker(StoredResponse r) {
        String body = r.bodyAsText();
        if (!body.startsWith("charged-by-")) {
            return "torn";
        }
        String worker = body.substring("charged-by-".length());
        return response(worker).equals(r) ? worker : "torn";
    }

    /**
     * A claim result as a word: {@code claimed}, {@code took-over} (a lapsed lease taken over),
     * {@code replay-<worker>} or {@code in-progress}.
     *
     * @param r the result
     * @return its name
     */
    public static String name(ClaimResult r) {
        if (r instanceof ClaimResult.Claimed) {
            return ((ClaimResult.Claimed) r).isTakeover() ? "took-over" : "claimed";
        }
        if (r instanceof ClaimResult.Replay) {
            return "replay-" + worker(((ClaimResult.Replay) r).response());
        }
        return "in-progress";
    }

    /**
     * What {@link IdempotencyStore#find} shows for {@link #KEY}: {@code absent},
     * {@code in-progress} or {@code completed-<worker>}.
     *
     * @param store the store
     * @return its name
     */
    public static String state(IdempotencyStore store) {
        IdempotencyRecord r = store.find(KEY).orElse(null);
        if (r == null) {
            return "absent";
        }
        if (r.state() == IdempotencyState.IN_PROGRESS) {
            return "in-progress";
        }
        StoredResponse response = r.response();
        return "completed-" + (response == null ? "without-response" : worker(response));
    }
}

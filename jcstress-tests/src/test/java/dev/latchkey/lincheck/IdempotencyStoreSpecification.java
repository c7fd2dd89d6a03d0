package dev.latchkey.lincheck;

import java.util.HashMap;
import java.util.Map;
import org.jetbrains.annotations.Nullable;

/**
 * The sequential specification of an idempotency store, written from the SPI's contract with no
 * concurrency at all: what {@link IdempotencyStoreOperations} must return if its operations ran
 * one at a time. Time is a tick count; an owner is the claim's serial number.
 *
 * <ul>
 *   <li>claim: an absent or expired record is claimed afresh (attempt 1); a live one with another
 *       request's fingerprint is "reused"; a completed one replays; an in-progress one whose lease
 *       lapsed is taken over (attempt + 1); otherwise it is in progress.</li>
 *   <li>complete / release: applied only while the record is in progress and owned by the caller's
 *       last claim; complete keeps the response and renews the retention, release deletes.</li>
 *   <li>find sees only live records; purge deletes the expired ones.</li>
 * </ul>
 */
public final class IdempotencyStoreSpecification {
    private static final long LEASE = IdempotencyStoreOperations.LEASE.toSeconds();
    private static final long RETENTION = IdempotencyStoreOperations.RETENTION.toSeconds();

    /** One record; times in ticks. */
    private static final class Rec {
        int request;
        boolean completed;
        long owner;
        int attempt;
        long leaseExpiresAt;
        long expiresAt;
        @Nullable String body;
    }

    private final Map<Integer, Rec> records = new HashMap<>();
    /** [thread][key]: the serial number of the thread's last claim, 0 when none. */
    private final long[][] tokens = new long[IdempotencyStoreOperations.MAX_THREADS][2];
    private long now;
    private long claims;

    /**
     * Specified claim.
     *
     * @param thread the thread id
     * @param key the key
     * @param request the request
     * @return as {@link IdempotencyStoreOperations#claim}
     */
    public String claim(int thread, int key, int request) {
        Rec r = records.get(key);
        if (r != null && now < r.expiresAt) {
            if (r.request != request) {
                return "reused";
            }
            if (r.completed) {
                return "replay " + r.body;
            }
            if (now < r.leaseExpiresAt) {
                return "in-progress " + r.attempt;
            }
            return grant(thread, key, request, r.attempt + 1);
        }
        return grant(thread, key, request, 1);
    }

    private String grant(int thread, int key, int request, int attempt) {
        Rec r = new Rec();
        r.request = request;
        r.owner = ++claims;
        r.attempt = attempt;
        r.leaseExpiresAt = now + LEASE;
        r.expiresAt = now + RETENTION;
        records.put(key, r);
        tokens[thread][key] = r.owner;
        return "claimed " + attempt;
    }

    /**
     * Specified completion.
     *
     * @param thread the thread id
     * @param key the key
     * @return as {@link IdempotencyStoreOperations#complete}
     */
    public String complete(int thread, int key) {
        if (tokens[thread][key] == 0) {
            return "no claim";
        }
        Rec r = owned(thread, key);
        if (r == null) {
            return "LEASE_LOST";
        }
        r.completed = true;
        r.body = "t" + thread;
        r.expiresAt = now + RETENTION;
        return "APPLIED";
    }

    /**
     * Specified release.
     *
     * @param thread the thread id
     * @param key the key
     * @return as {@link IdempotencyStoreOperations#release}
     */
    public String release(int thread, int key) {
        if (tokens[thread][key] == 0) {
            return "no claim";
        }
        if (owned(thread, key) == null) {
            return "LEASE_LOST";
        }
        records.remove(key);
        return "APPLIED";
    }

    /** The record while it is in progress under the thread's last claim (expired or not, until purged). */
    private @Nullable Rec owned(int thread, int key) {
        Rec r = records.get(key);
        return r != null && !r.completed && r.owner == tokens[thread][key] ? r : null;
    }

    /**
     * Specified read.
     *
     * @param key the key
     * @return as {@link IdempotencyStoreOperations#find}
     */
    public String find(int key) {
        Rec r = records.get(key);
        if (r == null || now >= r.expiresAt) {
            return "absent";
        }
        return (r.completed ? "COMPLETED " : "IN_PROGRESS ") + r.attempt + (r.completed ? " " + r.body : "");
    }

    /**
     * Specified purge.
     *
     * @return as {@link IdempotencyStoreOperations#purge}
     */
    public int purge() {
        int before = records.size();
        records.values().removeIf(r -> now >= r.expiresAt);
        return before - records.size();
    }

    /** Specified tick. */
    public void tick() {
        now += LEASE;
    }
}

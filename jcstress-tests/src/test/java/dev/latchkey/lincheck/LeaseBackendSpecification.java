package dev.latchkey.lincheck;

import org.jetbrains.annotations.Nullable;

/**
 * The sequential specification of a lease backend, written from the {@code LeaseBackend} SPI's
 * contract with no concurrency at all: what {@link LeaseBackendOperations} must return if its
 * operations ran one at a time. Time is a tick count.
 *
 * <ul>
 *   <li>acquire: a name never held, or whose expiry is not after now, is granted to the caller with
 *       the name's previous token plus one (1 the first time), expiring at now + atMostFor and held
 *       at least until now + atLeastFor; otherwise it is "held". So one holder per name at a time
 *       and tokens strictly increase per name; an expired lease can be taken over.</li>
 *   <li>extend / release: applied only by the current acquisition (same token and owner) while it
 *       is unexpired, so never by a holder whose lease expired or was taken over; extend sets the
 *       expiry to the later of now + by and the hold-until time, release to the later of now and
 *       the hold-until time.</li>
 * </ul>
 */
public final class LeaseBackendSpecification {
    private static final long AT_MOST_FOR = LeaseBackendOperations.AT_MOST_FOR.dividedBy(LeaseBackendOperations.TICK);
    private static final long AT_LEAST_FOR = LeaseBackendOperations.AT_LEAST_FOR.dividedBy(LeaseBackendOperations.TICK);
    private static final long EXTEND_BY = LeaseBackendOperations.EXTEND_BY.dividedBy(LeaseBackendOperations.TICK);
    private static final int NAMES = 2;

    /** [name]: the current token, 0 for a name never acquired. */
    private final long[] token = new long[NAMES];
    /** [name]: the owner of the current token. */
    private final int[] owner = new int[NAMES];
    /** [name]: the expiry, in ticks. */
    private final long[] expiresAt = new long[NAMES];
    /** [name]: the hold-until time, in ticks. */
    private final long[] holdUntil = new long[NAMES];
    /** [thread][name]: the token of the thread's last acquisition, 0 when none. */
    private final long[][] tokens = new long[LeaseBackendOperations.MAX_THREADS][NAMES];
    private long now;

    static String grant(long token, long at, long until) {
        return "T" + token + " at " + at + " until " + until;
    }

    /**
     * Specified acquisition.
     *
     * @param thread the thread id
     * @param name the name
     * @param owner the owner
     * @return as {@link LeaseBackendOperations#acquire}
     */
    public String acquire(int thread, int name, int owner) {
        if (token[name] != 0 && expiresAt[name] > now) {
            return "held";
        }
        token[name]++;
        this.owner[name] = owner;
        expiresAt[name] = now + AT_MOST_FOR;
        holdUntil[name] = now + AT_LEAST_FOR;
        tokens[thread][name] = token[name];
        return grant(token[name], now, expiresAt[name]);
    }

    /**
     * Specified extension.
     *
     * @param thread the thread id
     * @param name the name
     * @param owner the owner claimed
     * @return as {@link LeaseBackendOperations#extend}
     */
    public String extend(int thread, int name, int owner) {
        String refused = refusal(thread, name, owner);
        if (refused != null) {
            return refused;
        }
        expiresAt[name] = Math.max(now + EXTEND_BY, holdUntil[name]);
        return grant(token[name], now, expiresAt[name]);
    }

    /**
     * Specified release.
     *
     * @param thread the thread id
     * @param name the name
     * @param owner the owner claimed
     * @return as {@link LeaseBackendOperations#release}
     */
    public String release(int thread, int name, int owner) {
        String refused = refusal(thread, name, owner);
        if (refused != null) {
            return refused;
        }
        expiresAt[name] = Math.max(now, holdUntil[name]);
        return "released";
    }

    /** Why extend or release is refused: "no lease", "lost" (expired, taken over, wrong owner), or null when not. */
    private @Nullable String refusal(int thread, int name, int owner) {
        long mine = tokens[thread][name];
        if (mine == 0) {
            return "no lease";
        }
        return token[name] == mine && this.owner[name] == owner && expiresAt[name] > now ? null : "lost";
    }

    /** Specified tick. */
    public void tick() {
        now++;
    }
}

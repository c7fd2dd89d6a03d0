package dev.latchkey.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * What the Redis server's configuration means for exactly-once, as read when a
 * {@link LatchkeyRedis} was built (or by {@link LatchkeyRedis#checkDurability()}): the eviction
 * policy and the persistence settings, read with {@code INFO} and, where the server allows it,
 * {@code CONFIG GET}; a setting the server would not tell is {@code null} (managed Redis often
 * disables {@code CONFIG}).
 *
 * <p>{@link #problems()} lists each setting that weakens the store's guarantee, in words:
 * <ul>
 *   <li>{@code maxmemory-policy} other than {@code noeviction}: under memory pressure Redis may
 *       delete a live record (every record has an expiry, so the {@code volatile-*} policies pick
 *       them as well as the {@code allkeys-*} ones). The key then counts as absent and its work
 *       runs again: exactly-once is lost for that key, silently.</li>
 *   <li>No persistence (no AOF and no RDB snapshots): a restart or crash of Redis forgets every
 *       record, so every request retried afterwards runs its work again.</li>
 *   <li>RDB snapshots only: a crash forgets the records written since the last snapshot.</li>
 *   <li>A setting that could not be read: nothing is known.</li>
 * </ul>
 * Not listed, because no configuration fixes it: replication is asynchronous, so a failover can
 * lose writes the old primary acknowledged (see {@link LatchkeyRedis.Builder#waitForReplicas}), and
 * AOF with {@code appendfsync everysec} (the default) can lose about a second of writes on a
 * crash of the machine.
 *
 * @param redisVersion the server's {@code redis_version}, or {@code null} if unknown
 * @param maxmemoryPolicy the eviction policy, or {@code null} if unknown
 * @param appendOnly whether AOF is enabled, or {@code null} if unknown
 * @param rdbSave the {@code save} setting ({@code ""}: no snapshots), or {@code null} if unknown
 * @param problems what weakens exactly-once, in words; empty when nothing does
 */
public record DurabilityReport(@Nullable String redisVersion, @Nullable String maxmemoryPolicy,
                               @Nullable Boolean appendOnly, @Nullable String rdbSave,
                               @NotNull List<String> problems) {
    /**
     * Copies the problem list.
     *
     * @param redisVersion the server's {@code redis_version}, or {@code null} if unknown
     * @param maxmemoryPolicy the eviction policy, or {@code null} if unknown
     * @param appendOnly whether AOF is enabled, or {@code null} if unknown
     * @param rdbSave the {@code save} setting, or {@code null} if unknown
     * @param problems what weakens exactly-once
     */
    public DurabilityReport {
        problems = List.copyOf(Objects.requireNonNull(problems, "problems"));
    }

    /**
     * The report of the given settings, its problems derived from them.
     *
     * @param redisVersion the server's version, or {@code null}
     * @param maxmemoryPolicy the eviction policy, or {@code null}
     * @param appendOnly whether AOF is on, or {@code null}
     * @param rdbSave the {@code save} setting, or {@code null}
     * @return the report
     */
    public static @NotNull DurabilityReport of(@Nullable String redisVersion, @Nullable String maxmemoryPolicy,
                                               @Nullable Boolean appendOnly, @Nullable String rdbSave) {
        List<String> problems = new ArrayList<>();
        if (maxmemoryPolicy == null) {
            problems.add("maxmemory-policy could not be read: whether Redis may evict live idempotency records is "
                    + "unknown");
        } else if (!maxmemoryPolicy.equals("noeviction")) {
            problems.add("maxmemory-policy is " + maxmemoryPolicy + ", not noeviction: under memory pressure Redis "
                    + "may evict a live idempotency record (each has an expiry), and the work of its key then runs "
                    + "again");
        }
        if (appendOnly == null && rdbSave == null) {
            problems.add("persistence could not be read: whether a restart of Redis forgets the records is unknown");
        } else if (!Boolean.TRUE.equals(appendOnly)) {
            if (rdbSave == null) {
                problems.add("AOF is off and the RDB save setting could not be read: a restart may forget the "
                        + "records");
            } else if (rdbSave.isBlank()) {
                problems.add("no persistence (appendonly no, save \"\"): a restart or crash of Redis forgets every "
                        + "idempotency record, and retried requests run their work again");
            } else {
                problems.add("RDB snapshots only (save \"" + rdbSave + "\", appendonly no): a crash forgets the "
                        + "records written since the last snapshot");
            }
        }
        return new DurabilityReport(redisVersion, maxmemoryPolicy, appendOnly, rdbSave, problems);
    }

    /**
     * Returns whether nothing in the configuration weakens exactly-once.
     *
     * @return whether {@link #problems()} is empty
     */
    public boolean isDurable() {
        return problems.isEmpty();
    }
}

package dev.latchkey.redis;

/**
 * What {@link LatchkeyRedis.Builder#build()} does when the server's configuration weakens
 * exactly-once (see {@link DurabilityReport#problems()}): an eviction policy other than
 * {@code noeviction} (Redis may delete a live record under memory pressure, and the work runs
 * again for its key), or no persistence (a restart forgets every record).
 */
public enum DurabilityCheck {
    /** Refuse to build: {@link IllegalStateException} listing the problems. */
    FAIL,
    /** Log each problem as a {@link System.Logger.Level#WARNING} once, when built (the default). */
    WARN,
    /** Neither log nor fail; the report is still available from {@link LatchkeyRedis#durability()}. */
    IGNORE
}

package dev.latchkey.jdbc.lock;

/**
 * What a locking read does when a row it wants is locked by another transaction.
 */
public enum WaitPolicy {
    /** Wait until the row is released (or a lock timeout, when one is set, expires). The default. */
    WAIT,
    /**
     * {@code NOWAIT}: fail at once with {@link dev.latchkey.LockNotAvailableException}.
     */
    NOWAIT,
    /**
     * {@code SKIP LOCKED}: leave locked rows out of the result; never waits for a row. The
     * work-queue pattern.
     */
    SKIP_LOCKED
}

package dev.latchkey.idempotency.spi;

/**
 * The outcome of completing or releasing a key, both fenced on the {@link OwnerToken} of the
 * claim.
 */
public enum FenceOutcome {
    /** The key was still held by this owner and the change was made. */
    APPLIED,
    /**
     * The key is no longer held by this owner: its lease was taken over by another worker (or
     * the record was released, completed or purged). Nothing was changed.
     */
    LEASE_LOST
}

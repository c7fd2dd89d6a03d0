package dev.latchkey.idempotency.spi;

/**
 * The state of a stored idempotency key. An absent key (never claimed, released, or expired)
 * has no record at all.
 */
public enum IdempotencyState {
    /** Claimed by an owner whose lease has not been completed or released. */
    IN_PROGRESS,
    /** Completed: the stored response is replayed until the record expires. */
    COMPLETED
}

/**
 * Idempotency keys: the model (scope and key, request fingerprint, IN_PROGRESS with a fenced
 * lease, COMPLETED with a stored response), the {@code IdempotencyStore} SPI, the
 * {@code Idempotency} executor on top of it, and an in-memory store.
 */
package dev.latchkey.idempotency;

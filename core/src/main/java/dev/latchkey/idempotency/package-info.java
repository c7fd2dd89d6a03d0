/**
 * Idempotency keys, the user API: the model (scope and key, request fingerprint, stored
 * response), the {@code Idempotency} executor interface and its policy, codecs, results, and
 * every idempotency exception. Stores and the engine behind the executor are in
 * {@code dev.latchkey.idempotency.spi}; this package does not depend on them.
 */
package dev.latchkey.idempotency;

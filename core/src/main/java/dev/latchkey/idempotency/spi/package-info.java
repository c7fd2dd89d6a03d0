/**
 * The idempotency-store service-provider interface, all a store author reads: the
 * {@link dev.latchkey.idempotency.spi.IdempotencyStore} contract, its claim, record and fence
 * types, owner tokens, and the {@link dev.latchkey.idempotency.spi.IdempotencyEngine} that every
 * executor runs on a store.
 */
package dev.latchkey.idempotency.spi;

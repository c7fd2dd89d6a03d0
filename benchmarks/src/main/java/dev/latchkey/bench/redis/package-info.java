/**
 * Redis benchmarks: latchkey-redis's idempotency store against hand-written Lettuce commands
 * ({@code SET NX PX}) on a connection of the same client.
 */
package dev.latchkey.bench.redis;

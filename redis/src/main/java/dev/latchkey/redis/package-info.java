/**
 * Latchkey on Redis (7.0 or later), through the Lettuce client:
 * {@link dev.latchkey.redis.LatchkeyRedis} is the entry point (one connection, its durability
 * check, optional replica acknowledgement) and hands out
 * {@link dev.latchkey.redis.RedisIdempotencyStore}, the idempotency-key store that keeps the same
 * contract as the in-memory and JDBC stores: one Lua script per operation, leases and retention
 * on the Redis server's clock, owner-token fencing, fingerprints checked on every path; and
 * {@link dev.latchkey.redis.RedisLeaseBackend}, leases of the core lease API with fencing tokens
 * from a per-name counter ({@link dev.latchkey.redis.LatchkeyRedis#lease(String)}).
 *
 * <p>Failures are Latchkey's exceptions: {@link dev.latchkey.ConnectionFailureException} when
 * nothing reached Redis (safe to retry), {@link dev.latchkey.redis.WriteOutcomeUnknownException}
 * when the connection failed while a write was in flight (never retried automatically),
 * {@link dev.latchkey.redis.ReplicationNotAcknowledgedException} when replicas did not confirm a
 * write in time, and {@link dev.latchkey.redis.RedisServerException} for any other error reply.
 */
package dev.latchkey.redis;

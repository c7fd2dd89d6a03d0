/**
 * Lease backends and the lease engine: {@link dev.latchkey.lease.spi.LeaseBackend} is what a store
 * (JDBC table, Redis, memory) implements; {@link dev.latchkey.lease.spi.LeaseEngine} holds the one
 * lease state machine (local expiry on the monotonic clock, heartbeat, loss callback) that every
 * backend shares, and {@link dev.latchkey.lease.spi.ManagedLease} is the lease it hands out, which a
 * backend's fenced operations can mark lost.
 */
package dev.latchkey.lease.spi;

/**
 * Leases with fencing tokens, the user API: a {@link dev.latchkey.lease.Lease} is a named,
 * time-limited ownership whose expiry is computed by the backend's clock (the database's or the
 * Redis server's, never the JVM's), carrying a {@linkplain dev.latchkey.lease.Lease#fencingToken()
 * fencing token} that strictly increases with each acquisition of the same name.
 * {@link dev.latchkey.lease.LeaseRequest} acquires one; {@link dev.latchkey.lease.LeaseLostException}
 * reports a lease that is no longer held. Backends and the one lease state machine they share are
 * in {@code dev.latchkey.lease.spi}; this package does not depend on them.
 */
package dev.latchkey.lease;

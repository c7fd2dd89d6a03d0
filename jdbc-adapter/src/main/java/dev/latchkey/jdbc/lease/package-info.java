/**
 * Leases with fencing tokens in a database table: {@link dev.latchkey.jdbc.lease.JdbcLeases} (the
 * table and its schema), {@link dev.latchkey.jdbc.lease.JdbcLeaseRequest} and
 * {@link dev.latchkey.jdbc.lease.JdbcLease}, whose fenced transactions a holder that lost its lease
 * cannot commit. Built on the core lease engine ({@code dev.latchkey.lease.spi}); every time is the
 * database's.
 */
package dev.latchkey.jdbc.lease;

/**
 * Row-lock helpers ({@code FOR UPDATE} / {@code FOR SHARE}, {@code NOWAIT}, {@code SKIP LOCKED},
 * lock timeouts, ordered multi-key locking, work-queue claiming) and transaction-scoped advisory
 * locks.
 */
package dev.latchkey.jdbc.lock;

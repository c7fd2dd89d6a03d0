/** Benchmarks of the JDBC idempotency store (claim + complete, replay) against hand-written JDBC. */
package dev.latchkey.bench.idempotency;

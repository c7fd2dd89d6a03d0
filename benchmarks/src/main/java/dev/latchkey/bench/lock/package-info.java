/** Benchmarks of row locks (by key, NOWAIT, SKIP LOCKED claim) against hand-written JDBC. */
package dev.latchkey.bench.lock;

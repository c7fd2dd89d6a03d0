/** Benchmarks of the transaction runner against hand-written JDBC transactions. */
package dev.latchkey.bench.tx;

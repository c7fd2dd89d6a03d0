/** Benchmarks of atomic updates and optimistic version checks against hand-written JDBC. */
package dev.latchkey.bench.update;

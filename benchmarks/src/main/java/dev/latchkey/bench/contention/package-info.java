/** Contention benchmarks: 1 to 16 threads on one hot row, throughput and retries. */
package dev.latchkey.bench.contention;

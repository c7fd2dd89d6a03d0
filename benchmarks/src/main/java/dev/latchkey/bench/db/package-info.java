/** The databases the benchmarks and the contention lab run on: embedded PostgreSQL by default. */
package dev.latchkey.bench.db;

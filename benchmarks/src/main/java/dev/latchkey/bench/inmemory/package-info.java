/**
 * In-memory benchmarks: the in-memory idempotency store and keyed locks against
 * {@code ConcurrentHashMap} and {@code ReentrantLock} baselines.
 */
package dev.latchkey.bench.inmemory;

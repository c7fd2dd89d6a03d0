/**
 * In-process keyed locks: per-key mutual exclusion within one JVM, with try, timeout and
 * ordered multi-key acquire, bounded in memory by the number of keys currently held.
 */
package dev.latchkey.lock;

/**
 * An in-memory idempotency store, for tests and single-process applications.
 */
package dev.latchkey.idempotency.memory;

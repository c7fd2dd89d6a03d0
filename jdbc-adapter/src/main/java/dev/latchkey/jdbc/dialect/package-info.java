/**
 * Database dialects: how each supported database renders identifiers, locking clauses, lock
 * timeouts, {@code RETURNING}, upserts and advisory locks, and which features it lacks.
 */
package dev.latchkey.jdbc.dialect;

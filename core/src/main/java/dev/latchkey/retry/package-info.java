/**
 * Retry policies: immutable, fluent descriptions of how often and how long to re-run a unit of
 * work that failed transiently, with exponential backoff and full jitter. Time and randomness are
 * injected so schedules are deterministic under test.
 */
package dev.latchkey.retry;

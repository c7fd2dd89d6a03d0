/**
 * The JDBC idempotency store: one statement to claim, one to complete, one to replay, with
 * database time deciding expiry, and a transactional mode that commits the claim, the business
 * writes and the stored response together.
 */
package dev.latchkey.jdbc.idempotency;

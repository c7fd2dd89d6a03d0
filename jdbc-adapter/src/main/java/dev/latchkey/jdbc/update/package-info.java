/**
 * Atomic-update builders and optimistic version checks: conditional {@code UPDATE}s with column
 * arithmetic and guards, rendered by the dialect and run in one round trip.
 */
package dev.latchkey.jdbc.update;

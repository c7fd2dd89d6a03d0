/**
 * Entry-point types shared by every Latchkey module: the unchecked exception hierarchy rooted
 * at {@link dev.latchkey.ConcurrencyException} and the {@link dev.latchkey.ConcurrencyListener}
 * observability SPI.
 */
package dev.latchkey;

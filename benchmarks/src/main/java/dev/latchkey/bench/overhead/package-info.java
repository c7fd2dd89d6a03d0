/**
 * Latchkey's own cost per operation, measured on the stub driver ({@code dev.latchkey.bench.stub}):
 * every operation as a typical caller writes it against the same statements hand-written on the
 * same stub connection, in ns/op and (with {@code -prof gc}) B/op. Nothing here talks to a
 * database, so the difference between the two sides of a pair is exactly what Latchkey adds.
 */
package dev.latchkey.bench.overhead;

/**
 * Micrometer metrics for Latchkey: {@link dev.latchkey.spring.boot.metrics.LatchkeyMetrics}, a
 * {@code ConcurrencyListener} that publishes the {@code latchkey.*} meters. Usable without Boot.
 */
package dev.latchkey.spring.boot.metrics;

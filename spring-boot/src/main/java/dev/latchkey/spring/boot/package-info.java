/**
 * Spring Boot auto-configuration for Latchkey: {@link dev.latchkey.spring.boot.LatchkeyAutoConfiguration}
 * (registered in {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}),
 * its {@code latchkey.*} properties ({@link dev.latchkey.spring.boot.LatchkeyProperties}), the
 * idempotency table's start-up check and its failure report, and the scheduled purge.
 */
package dev.latchkey.spring.boot;

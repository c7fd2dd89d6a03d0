/**
 * JUnit 5 helpers: run user code from many threads over a fault-injecting data source and assert
 * what must hold afterwards. Needs {@code junit-jupiter-api} (opentest4j) on the test class path.
 */
package dev.latchkey.test.junit;

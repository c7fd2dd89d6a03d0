/**
 * A JDBC driver that does no I/O ({@link dev.latchkey.bench.stub.StubDriver}): connections whose
 * statements are answered with canned results, claiming to be PostgreSQL or MariaDB in their
 * {@code DatabaseMetaData}. The overhead benchmarks ({@code dev.latchkey.bench.overhead}) run
 * Latchkey and the same SQL hand-written on it, so what they measure is Latchkey's own work.
 */
package dev.latchkey.bench.stub;

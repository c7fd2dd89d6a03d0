/**
 * latchkey-test: test the code that uses Latchkey (or plain JDBC) against the failures of a
 * contended database. {@link dev.latchkey.test.FaultInjectingDataSource} wraps a data source and
 * injects deadlocks, serialization failures, lock and cancel errors, lost connections and lost
 * COMMIT replies with each database's real codes, as a {@link dev.latchkey.test.FaultPlan} says;
 * {@link dev.latchkey.test.junit.Contention} runs code from many threads and asserts invariants.
 */
package dev.latchkey.test;

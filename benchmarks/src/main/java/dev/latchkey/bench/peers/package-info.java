/**
 * Latchkey side by side with what a team would use instead (issue 18): Hibernate ORM 7, jOOQ,
 * Spring's {@code JdbcTemplate} / {@code TransactionTemplate} with spring-retry, and ShedLock's
 * JDBC provider, each doing the same business step the way its documentation recommends, on the
 * same database and pool. {@code PeerOperationsBenchmark} times one operation,
 * {@code PeerContentionBenchmark} runs 1, 4 and 16 threads on one hot row, and
 * {@code PeerStatements} counts and logs what each side sends. {@code benchmarks/PEERS.md} holds
 * the figures.
 */
package dev.latchkey.bench.peers;

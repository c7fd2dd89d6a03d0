/**
 * Latchkey in Spring applications: {@link dev.latchkey.spring.SpringTransactions} makes Latchkey
 * join {@code @Transactional} / {@code TransactionTemplate} transactions,
 * {@link dev.latchkey.spring.LatchkeySqlExceptionTranslator} classifies database errors for
 * {@code JdbcTemplate} as Latchkey does, and {@link dev.latchkey.spring.RetryingTransactionTemplate}
 * retries whole Spring transactions at the outermost boundary.
 * {@link dev.latchkey.spring.LatchkeySpring} wires them.
 */
package dev.latchkey.spring;

package dev.latchkey.bench.peers;

import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring Framework 6.2 with spring-retry 2.0 as their reference documentation recommends: a
 * {@code JdbcTemplate} and a {@code TransactionTemplate} over a {@code DataSourceTransactionManager},
 * and a {@code RetryTemplate} around the whole transaction, retrying Spring's
 * {@code ConcurrencyFailureException} family (deadlock losers, lock acquisition and serialization
 * failures), as Spring's translator classifies them. The backoff is the one Latchkey's side uses
 * (1 ms, doubling, at most 50 ms, randomized; 20 attempts).
 */
final class SpringPeer {
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final RetryTemplate retry;
    private final String decrementSql;
    private final String takeSql;
    private final String putSql;

    SpringPeer(DataSource dataSource, String table) {
        jdbc = new JdbcTemplate(dataSource);
        transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        retry = RetryTemplate.builder()
                .maxAttempts(Peers.TRANSFER_ATTEMPTS)
                .exponentialBackoff(Duration.ofMillis(1), 2.0, Duration.ofMillis(50), true)
                .retryOn(ConcurrencyFailureException.class)
                .traversingCauses()
                .build();
        decrementSql = "UPDATE " + table + " SET stock = stock - ? WHERE id = ? AND stock >= ?";
        takeSql = "UPDATE " + table + " SET stock = stock - ? WHERE id = ?";
        putSql = "UPDATE " + table + " SET stock = stock + ? WHERE id = ?";
    }

    /**
     * Guarded decrement: {@code jdbcTemplate.update(sql, args)}, auto-commit.
     *
     * @param id the row
     * @return the rows updated
     */
    int decrement(long id) {
        return jdbc.update(decrementSql, 1L, id, 1L);
    }

    /**
     * Moves one unit from one row to another in one transaction, the whole transaction retried on
     * a deadlock: {@code retryTemplate.execute(ctx -> transactionTemplate.execute(..))}.
     *
     * @param from the row that gives
     * @param to the row that receives
     * @return the retries it took, or {@link Peers#GAVE_UP} when every attempt failed
     */
    int transfer(long from, long to) {
        try {
            return retry.execute(context -> {
                transaction.executeWithoutResult(status -> {
                    jdbc.update(takeSql, 1L, from);
                    jdbc.update(putSql, 1L, to);
                });
                return context.getRetryCount();
            });
        } catch (ConcurrencyFailureException e) {
            return Peers.GAVE_UP;
        }
    }
}

package dev.latchkey.spring;

import java.util.Objects;

import javax.sql.DataSource;

import dev.latchkey.jdbc.Latchkey;
import org.jetbrains.annotations.NotNull;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wiring Latchkey into a Spring application in one line each.
 *
 * <pre>{@code
 * @Bean Latchkey latchkey(DataSource dataSource) { return LatchkeySpring.latchkey(dataSource); }
 * @Bean JdbcTemplate jdbcTemplate(Latchkey latchkey) { return LatchkeySpring.jdbcTemplate(latchkey); }
 * }</pre>
 *
 * Stateless.
 */
public final class LatchkeySpring {
    private static final SpringTransactions SPRING_TRANSACTIONS = new SpringTransactions();

    private LatchkeySpring() {
    }

    /**
     * A Latchkey whose operations join the Spring transaction the calling thread runs on the data
     * source: {@code Latchkey.builder(dataSource).externalTransactions(new SpringTransactions()).build()}.
     *
     * @param dataSource the data source the transaction manager manages (or a Spring proxy of it)
     * @return the Latchkey; detects the dialect with one connection
     * @throws dev.latchkey.jdbc.error.JdbcException if no connection can be had to read the metadata
     */
    public static @NotNull Latchkey latchkey(@NotNull DataSource dataSource) {
        return builder(dataSource).build();
    }

    /**
     * A Latchkey builder that already joins Spring's transactions, to set the listener, the retry
     * policy or the dialect too.
     *
     * @param dataSource the data source
     * @return the builder
     */
    public static @NotNull Latchkey.Builder builder(@NotNull DataSource dataSource) {
        return Latchkey.builder(Objects.requireNonNull(dataSource, "dataSource"))
                .externalTransactions(SPRING_TRANSACTIONS);
    }

    /**
     * A {@link JdbcTemplate} that classifies errors as Latchkey does
     * ({@link LatchkeySqlExceptionTranslator}) and writes in whichever transaction the thread runs:
     * a Spring transaction on the data source, or a Latchkey {@code transactions().run(..)} (its
     * data source is {@code latchkey.transactionAwareDataSource()}).
     *
     * @param latchkey the Latchkey
     * @return a new template
     */
    public static @NotNull JdbcTemplate jdbcTemplate(@NotNull Latchkey latchkey) {
        JdbcTemplate template = new JdbcTemplate(latchkey.transactionAwareDataSource());
        template.setExceptionTranslator(new LatchkeySqlExceptionTranslator(latchkey));
        return template;
    }

    /**
     * A {@link RetryingTransactionTemplate} with the Latchkey's retry policy.
     *
     * @param template the Spring template
     * @param latchkey the Latchkey of the template's data source
     * @return the retrying template
     */
    public static @NotNull RetryingTransactionTemplate retrying(@NotNull TransactionTemplate template,
                                                                @NotNull Latchkey latchkey) {
        return new RetryingTransactionTemplate(template, latchkey);
    }
}

package dev.latchkey.jdbc.sql;

import java.sql.Connection;

import javax.sql.DataSource;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A framework's transactions that Latchkey joins (SPI): how Latchkey finds the transaction the
 * calling thread already runs on a data source when that transaction is not Latchkey's own, e.g.
 * Spring's {@code @Transactional} ({@code latchkey-spring} implements this). Give one to
 * {@code Latchkey.builder(dataSource).externalTransactions(..)}.
 *
 * <p>Latchkey asks {@link #currentConnection} before every operation that would otherwise take a
 * connection of its own; when it answers, the operation runs on that connection, inside that
 * transaction, and never takes a second connection from the data source. Implementations must be
 * thread-safe; each method concerns the calling thread only.
 */
public interface ExternalTransactions {
    /**
     * The connection of the transaction the calling thread runs on the data source.
     *
     * @param dataSource the data source, as {@link #unwrap} returned it
     * @return the transaction's connection, or {@code null} when the thread runs none
     */
    @Nullable Connection currentConnection(@NotNull DataSource dataSource);

    /**
     * Registers an action to run when that transaction ends (after its commit or rollback,
     * before its connection is released), e.g. releasing a MariaDB {@code GET_LOCK}.
     *
     * @param dataSource the data source
     * @param action the action; its failure is logged, never hides the transaction's outcome
     * @throws IllegalStateException when the thread runs no transaction on the data source
     */
    void onCompletion(@NotNull DataSource dataSource, @NotNull Runnable action);

    /**
     * Marks that transaction rollback-only, because an operation inside it failed in a way that
     * the database may already have undone (the failure itself propagates to the caller too).
     *
     * @param dataSource the data source
     */
    void setRollbackOnly(@NotNull DataSource dataSource);

    /**
     * The data source a wrapper stands for, so that Latchkey recognises a proxy of a data source
     * (Spring's {@code TransactionAwareDataSourceProxy}, {@code DelegatingDataSource}) as the
     * data source itself. The identity by default.
     *
     * @param dataSource a data source, possibly a wrapper
     * @return the data source transactions are bound to
     */
    default @NotNull DataSource unwrap(@NotNull DataSource dataSource) {
        return dataSource;
    }

    /** Joins nothing: Latchkey's own transactions and bound connections only. */
    ExternalTransactions NONE = new ExternalTransactions() {
        @Override
        public @Nullable Connection currentConnection(@NotNull DataSource dataSource) {
            return null;
        }

        @Override
        public void onCompletion(@NotNull DataSource dataSource, @NotNull Runnable action) {
            throw new IllegalStateException("no external transaction on " + dataSource);
        }

        @Override
        public void setRollbackOnly(@NotNull DataSource dataSource) {
        }
    };
}

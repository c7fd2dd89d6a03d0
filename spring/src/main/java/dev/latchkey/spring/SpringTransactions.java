package dev.latchkey.spring;

import java.sql.Connection;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import dev.latchkey.jdbc.sql.ExternalTransactions;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.ResourceHolderSupport;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Spring's transactions, as Latchkey joins them: give one to
 * {@code Latchkey.builder(dataSource).externalTransactions(new SpringTransactions())} (or use
 * {@link LatchkeySpring#latchkey(DataSource)}), and every Latchkey operation that would take a
 * connection of its own runs on the connection of the Spring transaction the calling thread runs
 * on that data source ({@code @Transactional}, {@code TransactionTemplate}).
 *
 * <p>Which transactions are joined: any whose transaction manager binds a {@link ConnectionHolder}
 * for the data source in {@link TransactionSynchronizationManager} while an actual transaction is
 * active: {@code DataSourceTransactionManager}, {@code JdbcTransactionManager}, and
 * {@code JpaTransactionManager} with a JPA dialect that exposes the JDBC connection (Hibernate's
 * does) and the same data source set on the manager. Wrappers are recognised: Spring's
 * {@code TransactionAwareDataSourceProxy}, {@code LazyConnectionDataSourceProxy} and every other
 * {@link DelegatingDataSource} stand for the data source they wrap, on both sides (the one the
 * Latchkey was built over and the one the transaction manager was given).
 *
 * <ul>
 *   <li>{@link #onCompletion}: a {@link TransactionSynchronization#afterCompletion} callback, run
 *       after the commit or rollback and before the transaction manager restores and releases the
 *       connection (so a MariaDB {@code GET_LOCK} taken inside is released on the very
 *       connection, and never leaks into the pool).</li>
 *   <li>{@link #setRollbackOnly}: marks the transaction's {@link ConnectionHolder} rollback-only
 *       (and the other resources bound to the transaction, e.g. JPA's entity manager holder), so
 *       the transaction manager rolls back at the outermost boundary and reports
 *       {@code UnexpectedRollbackException} instead of a commit that did not happen.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe: share one instance. Needs spring-jdbc and spring-tx 6.2 or later.
 */
public final class SpringTransactions implements ExternalTransactions {
    private static final System.Logger LOG = System.getLogger(SpringTransactions.class.getName());
    /** How many {@link DelegatingDataSource} layers {@link #unwrap} follows before it stops (a cycle). */
    private static final int MAX_WRAPPERS = 32;

    /** Creates the (stateless) bridge. */
    public SpringTransactions() {
        // nothing to configure
    }

    @Override
    public @Nullable Connection currentConnection(@NotNull DataSource dataSource) {
        ConnectionHolder holder = holder(dataSource);
        return holder == null ? null : holder.getConnection();
    }

    @Override
    public void onCompletion(@NotNull DataSource dataSource, @NotNull Runnable action) {
        Objects.requireNonNull(action, "action");
        if (holder(dataSource) == null || !TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("no Spring transaction with synchronization on " + dataSource);
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                try {
                    action.run();
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.WARNING, "an action Latchkey registered on the end of a Spring "
                            + "transaction failed; the transaction's outcome stands", e);
                }
            }
        });
    }

    @Override
    public void setRollbackOnly(@NotNull DataSource dataSource) {
        ConnectionHolder holder = holder(dataSource);
        if (holder == null) {
            return;
        }
        holder.setRollbackOnly();
        // other resources of the same transaction (JPA's EntityManagerHolder) decide for their managers
        for (Object resource : TransactionSynchronizationManager.getResourceMap().values()) {
            if (resource instanceof ResourceHolderSupport && resource != holder
                    && ((ResourceHolderSupport) resource).isSynchronizedWithTransaction()) {
                ((ResourceHolderSupport) resource).setRollbackOnly();
            }
        }
    }

    /**
     * The data source at the end of a chain of {@link DelegatingDataSource}s (Spring's
     * {@code TransactionAwareDataSourceProxy}, {@code LazyConnectionDataSourceProxy}, ...).
     *
     * @param dataSource a data source, possibly a wrapper
     * @return the innermost data source
     */
    @Override
    public @NotNull DataSource unwrap(@NotNull DataSource dataSource) {
        DataSource ds = Objects.requireNonNull(dataSource, "dataSource");
        for (int i = 0; i < MAX_WRAPPERS && ds instanceof DelegatingDataSource; i++) {
            DataSource target = ((DelegatingDataSource) ds).getTargetDataSource();
            if (target == null) {
                break;
            }
            ds = target;
        }
        return ds;
    }

    /**
     * The holder of the Spring transaction this thread runs on the data source: bound under the
     * data source itself, or under a wrapper of it (a manager given a
     * {@code LazyConnectionDataSourceProxy}). Only while an actual transaction is active: a
     * connection Spring merely synchronises outside one (propagation {@code SUPPORTS}) is in
     * auto-commit mode and not a transaction to join.
     */
    private @Nullable ConnectionHolder holder(DataSource key) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            return null;
        }
        Object direct = TransactionSynchronizationManager.getResource(key);
        if (direct instanceof ConnectionHolder) {
            return usable((ConnectionHolder) direct);
        }
        for (Map.Entry<Object, Object> e : TransactionSynchronizationManager.getResourceMap().entrySet()) {
            if (e.getKey() instanceof DataSource && e.getValue() instanceof ConnectionHolder
                    && unwrap((DataSource) e.getKey()) == key) {
                return usable((ConnectionHolder) e.getValue());
            }
        }
        return null;
    }

    private static @Nullable ConnectionHolder usable(ConnectionHolder holder) {
        return holder.getConnectionHandle() != null ? holder : null;
    }

    @Override
    public String toString() {
        return "SpringTransactions";
    }
}

package dev.latchkey.bench.peers;

import java.util.Optional;

import javax.sql.DataSource;

import jakarta.persistence.LockModeType;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.Timeout;
import org.hibernate.SessionFactory;
import org.hibernate.StaleStateException;
import org.hibernate.Timeouts;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.naming.PhysicalNamingStrategyStandardImpl;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;
import org.hibernate.engine.jdbc.env.spi.JdbcEnvironment;

/**
 * Hibernate ORM 7 as its user guide recommends: a {@code SessionFactory} over the pool, each step
 * one {@code inTransaction}/{@code fromTransaction} (a session and a JDBC transaction), the entity
 * {@link HibernateItem} with {@code @Version}, a mutation query for the guarded decrement, and
 * {@code find(.., LockModeType.PESSIMISTIC_WRITE, timeout)} for locking reads. No second-level
 * cache, no batching: the defaults.
 */
final class HibernatePeer implements AutoCloseable {
    private static final String DECREMENT = "update HibernateItem set stock = stock - :units where id = :id and stock >= :units";

    private final SessionFactory sessions;

    HibernatePeer(DataSource dataSource, String table) {
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j"); // slf4j-nop: no bootstrap chatter in JMH output
        }
        Configuration cfg = new Configuration().addAnnotatedClass(HibernateItem.class);
        cfg.getProperties().put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource);
        cfg.setPhysicalNamingStrategy(new PhysicalNamingStrategyStandardImpl() {
            private static final long serialVersionUID = 1L;

            @Override
            public Identifier toPhysicalTableName(Identifier logical, JdbcEnvironment environment) {
                return logical.getText().equals(HibernateItem.LOGICAL_TABLE) ? Identifier.toIdentifier(table) : logical;
            }
        });
        sessions = cfg.buildSessionFactory();
    }

    /**
     * Optimistic update: load the entity, change it, flush at commit ({@code UPDATE .. WHERE id = ?
     * AND version = ?}); a stale version ({@code OptimisticLockException}) re-runs the whole
     * transaction at once.
     *
     * @param id the row
     * @return the retries it took
     */
    int optimisticTake(long id) {
        for (int retries = 0; ; retries++) {
            try {
                sessions.inTransaction(s -> s.find(HibernateItem.class, id).take(1));
                return retries;
            } catch (RuntimeException e) {
                if (!stale(e) || retries == Peers.MAX_RETRIES) {
                    throw e;
                }
            }
        }
    }

    private static boolean stale(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Guarded decrement: an HQL {@code update} (a mutation query needs a transaction).
     *
     * @param id the row
     * @return the rows updated
     */
    int decrement(long id) {
        return sessions.fromTransaction(s -> s.createMutationQuery(DECREMENT)
                .setParameter("units", 1L).setParameter("id", id).executeUpdate());
    }

    /**
     * Locking read in a transaction: {@code find} with {@code PESSIMISTIC_WRITE} and the wait
     * given as a JPA 3.2 {@code Timeout} ({@code Timeouts.NO_WAIT}, {@code Timeouts.SKIP_LOCKED},
     * {@code Timeout.milliseconds(300)}), then commit.
     *
     * @param id the row
     * @param wait how to wait for a held row
     * @return the row, or empty when it was skipped
     */
    Optional<Long> lockedRead(long id, Peers.Wait wait) {
        Timeout timeout = switch (wait) {
            case NOWAIT -> Timeouts.NO_WAIT;
            case SKIP_LOCKED -> Timeouts.SKIP_LOCKED;
            case TIMEOUT_300_MS -> Timeout.milliseconds(Peers.LOCK_TIMEOUT_MS);
        };
        return sessions.fromTransaction(s -> Optional.ofNullable(
                s.find(HibernateItem.class, id, LockModeType.PESSIMISTIC_WRITE, timeout)).map(HibernateItem::stock));
    }

    @Override
    public void close() {
        sessions.close();
    }
}

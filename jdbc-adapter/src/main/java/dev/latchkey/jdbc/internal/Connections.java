package dev.latchkey.jdbc.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.ConnectionFailureException;
import org.jetbrains.annotations.NotNull;

/**
 * What Latchkey does with a connection it owns when the connection itself broke, and the
 * driver-specific probes it needs without a compile dependency on any driver or pool. Stateless.
 */
public final class Connections {
    private static final System.Logger LOG = System.getLogger(Connections.class.getName());
    /** Pool methods that evict one connection: HikariCP, Apache DBCP2. */
    private static final String[] EVICT_METHODS = {"evictConnection", "invalidateConnection"};

    private Connections() {
    }

    /**
     * Whether a translated failure means the connection is lost, so it must not go back to the
     * pool as if healthy.
     *
     * @param failure the failure
     * @return {@code true} for lost connections and unknown commit outcomes
     */
    public static boolean isBroken(@NotNull Throwable failure) {
        return failure instanceof ConnectionFailureException || failure instanceof CommitOutcomeUnknownException;
    }

    /**
     * Makes the pool drop a broken connection instead of handing it out again: the pool's own
     * eviction method when it has one (HikariCP's {@code evictConnection}, DBCP2's
     * {@code invalidateConnection}), otherwise {@link Connection#abort}. Never throws; the caller
     * still closes the connection.
     *
     * @param dataSource the pool the connection came from
     * @param connection the broken connection
     */
    public static void evict(@NotNull DataSource dataSource, @NotNull Connection connection) {
        for (String name : EVICT_METHODS) {
            try {
                MethodHandle evict = MethodHandles.publicLookup().findVirtual(dataSource.getClass(), name,
                        MethodType.methodType(void.class, Connection.class));
                evict.invoke(dataSource, connection);
                return;
            } catch (NoSuchMethodException | IllegalAccessException notThisPool) {
                // try the next method, then abort
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.DEBUG, "evicting a broken connection failed; aborting it instead", t);
                break;
            }
        }
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "aborting a broken connection failed", e);
        }
    }

    /**
     * Whether PostgreSQL has aborted the connection's transaction (a statement failed inside it,
     * and the failure was caught): pgjdbc's {@code BaseConnection.getTransactionState()} is
     * {@code FAILED}. Asked without a round trip. {@code false} for other drivers or when the
     * driver cannot tell.
     *
     * @param connection the connection, inside a transaction
     * @return whether a {@code COMMIT} would in fact roll back
     */
    public static boolean postgresTransactionFailed(@NotNull Connection connection) {
        PgProbe probe = PG_PROBES.get(connection.getClass()).orElse(null);
        if (probe == null) {
            return false;
        }
        try {
            if (!connection.isWrapperFor(probe.base())) {
                return false;
            }
            Object state = probe.transactionState().invoke(connection.unwrap(probe.base()));
            return state != null && "FAILED".equals(state.toString());
        } catch (Throwable cannotTell) {
            return false;
        }
    }

    /** pgjdbc's {@code BaseConnection} and its {@code getTransactionState()}, as a connection class's loader sees them. */
    private record PgProbe(Class<?> base, MethodHandle transactionState) {
    }

    /**
     * The probe per connection class, looked up once (not on every commit); empty where pgjdbc is
     * not visible.
     */
    private static final ClassValue<Optional<PgProbe>> PG_PROBES = new ClassValue<>() {
        @Override
        protected Optional<PgProbe> computeValue(Class<?> connectionClass) {
            try {
                ClassLoader loader = connectionClass.getClassLoader();
                Class<?> base = Class.forName("org.postgresql.core.BaseConnection", false, loader);
                Class<?> state = Class.forName("org.postgresql.core.TransactionState", false, base.getClassLoader());
                return Optional.of(new PgProbe(base, MethodHandles.publicLookup().findVirtual(base,
                        "getTransactionState", MethodType.methodType(state))));
            } catch (ReflectiveOperationException | LinkageError notPgjdbc) {
                return Optional.empty();
            }
        }
    };

    /**
     * Rethrows any throwable unchanged, checked or not, so that a checked exception that escaped a
     * user's lambda (Kotlin, Lombok's {@code @SneakyThrows}) reaches the caller as itself after
     * Latchkey has cleaned up.
     *
     * @param t the throwable
     * @param <E> inferred as an unchecked type
     * @return never returns
     * @throws E always: {@code t}
     */
    @SuppressWarnings("unchecked")
    public static <E extends Throwable> RuntimeException sneakyThrow(@NotNull Throwable t) throws E {
        throw (E) t;
    }
}

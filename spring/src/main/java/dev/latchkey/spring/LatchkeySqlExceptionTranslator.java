package dev.latchkey.spring;

import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;

import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.ConcurrencyException;
import dev.latchkey.ConnectionFailureException;
import dev.latchkey.DeadlockException;
import dev.latchkey.LockNotAvailableException;
import dev.latchkey.QueryCancelledException;
import dev.latchkey.SerializationFailureException;
import dev.latchkey.StaleVersionException;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.error.SqlErrorTranslator;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * A Spring {@link SQLExceptionTranslator} that classifies database errors the way Latchkey does
 * (SQLSTATE first, vendor code second, the whole cause chain), so a {@code JdbcTemplate} and a
 * {@code JdbcTransactionManager} report a deadlock, a serialization failure, a lock that was not
 * available, a duplicate key or a commit whose outcome is unknown as the matching
 * {@link DataAccessException}, on every database Latchkey supports. Plain Spring 6, for example,
 * turns PostgreSQL's {@code 55P03} ({@code NOWAIT}, {@code lock_timeout}) into an
 * {@code UncategorizedSQLException}.
 *
 * <p>Both worlds stay reachable: the Spring exception's {@linkplain Throwable#getCause() cause} is
 * Latchkey's exception (with its SQLSTATE, vendor code, constraint name and transient flag),
 * whose cause is the driver's {@link SQLException}. {@link #concurrencyFailure(Throwable)} finds
 * Latchkey's exception behind any Spring exception.
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>database error (examples)</th><th>Latchkey (the cause)</th><th>Spring (thrown)</th></tr>
 *   <tr><td>deadlock: {@code 40P01}, MariaDB/MySQL {@code 1213}, H2 {@code 40001}</td>
 *       <td>{@code DeadlockException}</td><td>{@link PessimisticLockingFailureException}</td></tr>
 *   <tr><td>serialization failure: {@code 40001}</td>
 *       <td>{@code SerializationFailureException}</td><td>{@link PessimisticLockingFailureException}</td></tr>
 *   <tr><td>lock not available / lock wait timeout: {@code 55P03}, MariaDB/MySQL {@code 1205},
 *       {@code 3572}, H2 {@code 50200}</td>
 *       <td>{@code LockNotAvailableException}, {@code LockWaitTimeoutException}</td>
 *       <td>{@link CannotAcquireLockException}</td></tr>
 *   <tr><td>unique violation: {@code 23505}, MariaDB/MySQL {@code 1062}</td>
 *       <td>{@code DuplicateKeyException}</td><td>{@link DuplicateKeyException}</td></tr>
 *   <tr><td>statement cancelled or timed out: {@code 57014}, {@code 70100}</td>
 *       <td>{@code QueryCancelledException}</td><td>{@link QueryTimeoutException}</td></tr>
 *   <tr><td>connection lost: class {@code 08}, {@code 57P01}</td>
 *       <td>{@code ConnectionFailureException}</td><td>{@link TransientDataAccessResourceException}</td></tr>
 *   <tr><td>connection lost during {@code COMMIT} (task {@code "JDBC commit"} of a
 *       {@code JdbcTransactionManager})</td>
 *       <td>{@code CommitOutcomeUnknownException}</td><td>{@link DataAccessResourceFailureException}
 *       (not transient: never retry)</td></tr>
 *   <tr><td>a stale version ({@link #translate(ConcurrencyException)} only)</td>
 *       <td>{@code StaleVersionException}</td><td>{@link OptimisticLockingFailureException}</td></tr>
 *   <tr><td>anything else</td><td>—</td><td>the fallback translator's answer (Spring's
 *       {@link SQLExceptionSubclassTranslator} by default)</td></tr>
 * </table>
 *
 * <p>Deadlocks and serialization failures map to {@link PessimisticLockingFailureException} as
 * Spring itself does since 6.0.3 ({@code DeadlockLoserDataAccessException} and
 * {@code CannotSerializeTransactionException} are deprecated); tell them apart by the cause.
 *
 * <p>Wire it with {@code jdbcTemplate.setExceptionTranslator(..)} and
 * {@code jdbcTransactionManager.setExceptionTranslator(..)}, or use
 * {@link LatchkeySpring#jdbcTemplate(Latchkey)}. Immutable and thread-safe.
 */
public final class LatchkeySqlExceptionTranslator implements SQLExceptionTranslator {
    /** The task {@code JdbcTransactionManager} names a failed commit with. */
    private static final String COMMIT_TASK = "JDBC commit";
    private static final int MAX_CHAIN = 64;

    private final SqlErrorTranslator errors;
    private final SQLExceptionTranslator fallback;

    /**
     * A translator with Latchkey's classification for a database and a fallback for the rest.
     *
     * @param errors Latchkey's translator of the database's errors ({@code latchkey.errors()})
     * @param fallback asked about what Latchkey does not classify
     */
    public LatchkeySqlExceptionTranslator(@NotNull SqlErrorTranslator errors, @NotNull SQLExceptionTranslator fallback) {
        this.errors = Objects.requireNonNull(errors, "errors");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    /**
     * A translator for a Latchkey's database, with Spring's {@link SQLExceptionSubclassTranslator}
     * (SQLSTATE classes and JDBC 4 exception subclasses) for the rest.
     *
     * @param latchkey the Latchkey of the data source
     */
    public LatchkeySqlExceptionTranslator(@NotNull Latchkey latchkey) {
        this(Objects.requireNonNull(latchkey, "latchkey").errors(), new SQLExceptionSubclassTranslator());
    }

    /**
     * Translates a database error; see the mapping table in the class description.
     *
     * @param task what was being done, e.g. {@code "PreparedStatementCallback"}; {@code "JDBC commit"}
     *        makes a connection failure a commit whose outcome is unknown
     * @param sql the statement, or {@code null}
     * @param ex the driver's exception
     * @return the Spring exception, with Latchkey's as its cause when Latchkey classified it; the
     *         fallback's answer otherwise (which may be {@code null}: Spring then reports an
     *         {@code UncategorizedSQLException})
     */
    @Override
    public @Nullable DataAccessException translate(@NotNull String task, @Nullable String sql, @NotNull SQLException ex) {
        RuntimeException translated = errors.translate(ex, COMMIT_TASK.equals(task));
        if (translated instanceof ConcurrencyException) {
            DataAccessException mapped = map(message(task, sql, translated), (ConcurrencyException) translated);
            if (mapped != null) {
                return mapped;
            }
        }
        return fallback.translate(task, sql, ex);
    }

    /**
     * Latchkey's exception as a Spring one, for code that catches {@link DataAccessException}
     * around Latchkey's own operations.
     *
     * @param failure what Latchkey threw
     * @return the Spring exception (the failure is its cause), or {@code null} when the table in
     *         the class description has no row for it
     */
    public @Nullable DataAccessException translate(@NotNull ConcurrencyException failure) {
        return map(Objects.requireNonNull(failure, "failure").getMessage(), failure);
    }

    private static @Nullable DataAccessException map(String message, ConcurrencyException e) {
        if (e instanceof DeadlockException || e instanceof SerializationFailureException) {
            return new PessimisticLockingFailureException(message, e);
        }
        if (e instanceof LockNotAvailableException) {
            return new CannotAcquireLockException(message, e);
        }
        if (e instanceof dev.latchkey.DuplicateKeyException) {
            return new DuplicateKeyException(message, e);
        }
        if (e instanceof QueryCancelledException) {
            return new QueryTimeoutException(message, e);
        }
        if (e instanceof ConnectionFailureException) {
            return new TransientDataAccessResourceException(message, e);
        }
        if (e instanceof CommitOutcomeUnknownException) {
            return new DataAccessResourceFailureException(message, e);
        }
        if (e instanceof StaleVersionException) {
            return new OptimisticLockingFailureException(message, e);
        }
        return null;
    }

    private static String message(String task, @Nullable String sql, RuntimeException e) {
        return task + "; " + (sql == null ? "" : "SQL [" + sql + "]; ") + e.getMessage();
    }

    /**
     * Latchkey's view of a failure, whatever wraps it: the first {@link ConcurrencyException} in
     * the cause chain, or the first {@link SQLException} that Latchkey classifies (e.g. behind a
     * {@code DataAccessException} of Spring's own translator), translated.
     *
     * @param failure any failure, e.g. a {@link DataAccessException}
     * @return Latchkey's exception, or {@code null} when the chain holds none Latchkey classifies
     */
    public @Nullable ConcurrencyException concurrencyFailure(@NotNull Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.size() < MAX_CHAIN && seen.add(t); t = t.getCause()) {
            if (t instanceof ConcurrencyException) {
                return (ConcurrencyException) t;
            }
            if (t instanceof SQLException) {
                RuntimeException translated = errors.translate((SQLException) t);
                if (translated instanceof ConcurrencyException) {
                    return (ConcurrencyException) translated;
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "LatchkeySqlExceptionTranslator[" + errors.product() + "]";
    }
}

package dev.latchkey.jdbc.error;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.ConnectionFailureException;
import dev.latchkey.DeadlockException;
import dev.latchkey.DuplicateKeyException;
import dev.latchkey.LockNotAvailableException;
import dev.latchkey.LockWaitTimeoutException;
import dev.latchkey.QueryCancelledException;
import dev.latchkey.SerializationFailureException;
import dev.latchkey.jdbc.dialect.DatabaseProduct;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Turns {@link SQLException}s into Latchkey's unchecked exceptions.
 *
 * <p>Classification is by SQLSTATE first and vendor code second: the SQLSTATE decides the
 * category, and the product's vendor code decides it when the SQLSTATE is absent or generic
 * ({@code HY000}, {@code 23000}, {@code 61000}) or refines it where one SQLSTATE covers several
 * categories (MySQL, H2 and SQL Server report deadlocks as {@code 40001}; MariaDB reports a
 * killed connection as {@code 70100}; a PostgreSQL {@code 55P03} is a lock timeout rather than
 * {@code NOWAIT} when the server's message says so). MySQL/MariaDB 1153 (a statement larger than
 * {@code max_allowed_packet}) is {@link ErrorCategory#OTHER} although it comes with the
 * connection-failure SQLSTATE {@code 08S01}: sending it again would fail again. The cause chain,
 * {@link SQLException#getNextException()} and {@link java.sql.BatchUpdateException} chains are
 * walked breadth-first; the first exception that classifies wins.
 *
 * <p>Where a database reports {@code NOWAIT} and a lock wait timeout with the same code (MariaDB
 * 1205, H2 50200), both become {@link LockWaitTimeoutException}, which is a
 * {@link LockNotAvailableException}: catch the latter to handle both. A connection failure
 * raised by {@code COMMIT} becomes {@link CommitOutcomeUnknownException}
 * ({@link #translate(SQLException, boolean)}).
 *
 * <p>Immutable and thread-safe; one instance per product is shared.
 */
public final class SqlErrorTranslator {
    private static final int MAX_CHAIN = 64;
    /** MySQL/MariaDB: a packet larger than {@code max_allowed_packet}. */
    private static final int ER_NET_PACKET_TOO_LARGE = 1153;

    private static final Map<String, ErrorCategory> BY_SQLSTATE = Map.ofEntries(
            Map.entry("40P01", ErrorCategory.DEADLOCK),
            Map.entry("40001", ErrorCategory.SERIALIZATION_FAILURE),
            Map.entry("55P03", ErrorCategory.LOCK_NOT_AVAILABLE),
            Map.entry("23505", ErrorCategory.UNIQUE_VIOLATION),
            Map.entry("57014", ErrorCategory.QUERY_CANCELLED),
            Map.entry("HY008", ErrorCategory.QUERY_CANCELLED),
            // ODBC 2 spelling of HY008, used by MySQL Connector/J for a cancelled statement
            Map.entry("S1008", ErrorCategory.QUERY_CANCELLED),
            // MySQL/MariaDB "query execution was interrupted" (KILL QUERY, max_statement_time)
            Map.entry("70100", ErrorCategory.QUERY_CANCELLED),
            // PostgreSQL: terminated backend, crash shutdown, cannot connect now
            Map.entry("57P01", ErrorCategory.CONNECTION_FAILURE),
            Map.entry("57P02", ErrorCategory.CONNECTION_FAILURE),
            Map.entry("57P03", ErrorCategory.CONNECTION_FAILURE));

    private static final Map<Integer, ErrorCategory> MYSQL_CODES = Map.ofEntries(
            Map.entry(1213, ErrorCategory.DEADLOCK),
            Map.entry(1205, ErrorCategory.LOCK_WAIT_TIMEOUT),
            Map.entry(3572, ErrorCategory.LOCK_NOT_AVAILABLE),
            Map.entry(1062, ErrorCategory.UNIQUE_VIOLATION),
            Map.entry(1586, ErrorCategory.UNIQUE_VIOLATION),
            Map.entry(3024, ErrorCategory.QUERY_CANCELLED),
            Map.entry(1317, ErrorCategory.QUERY_CANCELLED),
            Map.entry(1969, ErrorCategory.QUERY_CANCELLED),
            Map.entry(1020, ErrorCategory.SERIALIZATION_FAILURE),
            // ER_CONNECTION_KILLED arrives with SQLSTATE 70100; the vendor code decides
            Map.entry(1927, ErrorCategory.CONNECTION_FAILURE),
            Map.entry(1053, ErrorCategory.CONNECTION_FAILURE),
            Map.entry(2006, ErrorCategory.CONNECTION_FAILURE),
            Map.entry(2013, ErrorCategory.CONNECTION_FAILURE));

    private static final Map<Integer, ErrorCategory> H2_CODES = Map.ofEntries(
            Map.entry(40001, ErrorCategory.DEADLOCK),
            Map.entry(90131, ErrorCategory.SERIALIZATION_FAILURE),
            Map.entry(50200, ErrorCategory.LOCK_WAIT_TIMEOUT),
            Map.entry(23505, ErrorCategory.UNIQUE_VIOLATION),
            Map.entry(57014, ErrorCategory.QUERY_CANCELLED),
            // connection broken, database closed (e.g. ABORT_SESSION during a statement), session closed
            Map.entry(90067, ErrorCategory.CONNECTION_FAILURE),
            Map.entry(90098, ErrorCategory.CONNECTION_FAILURE),
            Map.entry(90121, ErrorCategory.CONNECTION_FAILURE));

    private static final Map<Integer, ErrorCategory> ORACLE_CODES = Map.ofEntries(
            Map.entry(60, ErrorCategory.DEADLOCK),
            Map.entry(8177, ErrorCategory.SERIALIZATION_FAILURE),
            Map.entry(54, ErrorCategory.LOCK_NOT_AVAILABLE),
            Map.entry(30006, ErrorCategory.LOCK_WAIT_TIMEOUT),
            Map.entry(1, ErrorCategory.UNIQUE_VIOLATION),
            Map.entry(1013, ErrorCategory.QUERY_CANCELLED),
            Map.entry(17002, ErrorCategory.CONNECTION_FAILURE),
            Map.entry(17008, ErrorCategory.CONNECTION_FAILURE),
            Map.entry(17410, ErrorCategory.CONNECTION_FAILURE),
            Map.entry(17447, ErrorCategory.CONNECTION_FAILURE));

    private static final Map<Integer, ErrorCategory> SQL_SERVER_CODES = Map.ofEntries(
            Map.entry(1205, ErrorCategory.DEADLOCK),
            Map.entry(3960, ErrorCategory.SERIALIZATION_FAILURE),
            Map.entry(1222, ErrorCategory.LOCK_WAIT_TIMEOUT),
            Map.entry(2627, ErrorCategory.UNIQUE_VIOLATION),
            Map.entry(2601, ErrorCategory.UNIQUE_VIOLATION));

    // Last of the statics: the constructor reads the code maps above, so they must exist first.
    private static final Map<DatabaseProduct, SqlErrorTranslator> INSTANCES;

    static {
        Map<DatabaseProduct, SqlErrorTranslator> m = new java.util.EnumMap<>(DatabaseProduct.class);
        for (DatabaseProduct p : DatabaseProduct.values()) {
            m.put(p, new SqlErrorTranslator(p));
        }
        INSTANCES = Collections.unmodifiableMap(m);
    }

    private final DatabaseProduct product;
    private final Map<Integer, ErrorCategory> vendorCodes;

    private SqlErrorTranslator(DatabaseProduct product) {
        this.product = product;
        switch (product) {
            case MARIADB:
            case MYSQL:
                vendorCodes = MYSQL_CODES;
                break;
            case H2:
                vendorCodes = H2_CODES;
                break;
            case ORACLE:
                vendorCodes = ORACLE_CODES;
                break;
            case SQL_SERVER:
                vendorCodes = SQL_SERVER_CODES;
                break;
            default:
                vendorCodes = Map.of();
                break;
        }
    }

    /**
     * The translator for a product.
     *
     * @param product the database product; {@link DatabaseProduct#OTHER} classifies by SQLSTATE only
     * @return the shared translator
     */
    public static @NotNull SqlErrorTranslator forProduct(@NotNull DatabaseProduct product) {
        return INSTANCES.get(Objects.requireNonNull(product, "product"));
    }

    /**
     * Returns the product whose vendor codes this translator reads.
     *
     * @return the product whose vendor codes this translator reads
     */
    public @NotNull DatabaseProduct product() {
        return product;
    }

    /**
     * Classifies an exception, walking its cause and next-exception chains.
     *
     * @param e the exception
     * @return the category of the first exception in the chains that classifies, else {@link ErrorCategory#OTHER}
     */
    public @NotNull ErrorCategory classify(@NotNull SQLException e) {
        return find(e).category;
    }

    /**
     * Classifies an exception, knowing whether {@code Connection.commit()} raised it.
     *
     * @param e the exception
     * @param duringCommit whether it was raised by {@code COMMIT}
     * @return as {@link #classify(SQLException)}, except that a connection failure during
     *         {@code COMMIT} is {@link ErrorCategory#COMMIT_OUTCOME_UNKNOWN}
     */
    public @NotNull ErrorCategory classify(@NotNull SQLException e, boolean duringCommit) {
        return category(find(e), duringCommit);
    }

    private static ErrorCategory category(Match m, boolean duringCommit) {
        return duringCommit && m.category == ErrorCategory.CONNECTION_FAILURE
                ? ErrorCategory.COMMIT_OUTCOME_UNKNOWN : m.category;
    }

    /**
     * Translates an exception raised outside {@code COMMIT}.
     *
     * @param e the exception
     * @return a {@link dev.latchkey.ConcurrencyException} subtype for a classified failure,
     *         otherwise a {@link JdbcException}; never {@code null}
     */
    public @NotNull RuntimeException translate(@NotNull SQLException e) {
        return translate(e, false);
    }

    /**
     * Translates an exception.
     *
     * @param e the exception
     * @param duringCommit whether it was raised by {@code Connection.commit()}: a connection
     *        failure there becomes {@link CommitOutcomeUnknownException}
     * @return a {@link dev.latchkey.ConcurrencyException} subtype for a classified failure,
     *         otherwise a {@link JdbcException}; never {@code null}
     */
    public @NotNull RuntimeException translate(@NotNull SQLException e, boolean duringCommit) {
        Match m = find(e);
        SQLException src = m.source;
        String state = src.getSQLState();
        int code = src.getErrorCode();
        String detail = describe(src);
        switch (category(m, duringCommit)) {
            case DEADLOCK:
                return new DeadlockException("deadlock: the transaction was rolled back (" + detail + ")", e, state, code);
            case SERIALIZATION_FAILURE:
                return new SerializationFailureException(
                        "serialization failure: the transaction was rolled back (" + detail + ")", e, state, code);
            case LOCK_NOT_AVAILABLE:
                return new LockNotAvailableException("lock not available (" + detail + ")", e, state, code);
            case LOCK_WAIT_TIMEOUT:
                return new LockWaitTimeoutException("lock wait timed out (" + detail + ")", e, state, code);
            case UNIQUE_VIOLATION:
                String constraint = constraintName(src);
                return new DuplicateKeyException("duplicate key"
                        + (constraint == null ? "" : " violates " + constraint) + " (" + detail + ")",
                        e, state, code, constraint);
            case QUERY_CANCELLED:
                return new QueryCancelledException("statement cancelled (" + detail + ")", e, state, code);
            case CONNECTION_FAILURE:
                return new ConnectionFailureException("connection failure (" + detail + ")", e, state, code);
            case COMMIT_OUTCOME_UNKNOWN:
                return new CommitOutcomeUnknownException("connection failed during COMMIT; whether the "
                        + "transaction committed is unknown (" + detail + ")", e, state, code);
            default:
                return new JdbcException(detail, e);
        }
    }

    /**
     * The name of the violated unique constraint or index, read from the exception message the
     * way each driver formats it, without schema or table qualification:
     * <ul>
     *   <li>PostgreSQL: the constraint ({@code ... unique constraint "uq_email"});</li>
     *   <li>MariaDB and MySQL: the key ({@code ... for key 'uq_email'}, {@code PRIMARY} for the
     *       primary key; MySQL 8's {@code 'table.key'} loses its table prefix);</li>
     *   <li>H2: the unique index, with the {@code _INDEX_n} suffix H2 gives the index of a named
     *       constraint removed, so a constraint reads as declared; {@code null} for a primary key,
     *       which H2 does not name;</li>
     *   <li>Oracle: the constraint without its owner; SQL Server: the constraint or unique index.</li>
     * </ul>
     *
     * @param e a unique-violation exception
     * @return the constraint or index name, or {@code null} when the message does not give one
     */
    public @Nullable String constraintName(@NotNull SQLException e) {
        return ConstraintNames.of(product, e.getMessage());
    }

    private static String describe(SQLException e) {
        return "SQLSTATE " + e.getSQLState() + ", vendor code " + e.getErrorCode() + ": " + e.getMessage();
    }

    private Match find(SQLException root) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Throwable> queue = new ArrayDeque<>();
        queue.add(root);
        while (!queue.isEmpty() && seen.size() < MAX_CHAIN) {
            Throwable t = queue.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException) {
                SQLException s = (SQLException) t;
                ErrorCategory c = classifyOne(s);
                if (c != ErrorCategory.OTHER || neverClassified(s)) {
                    return new Match(c, s);
                }
                SQLException next = s.getNextException();
                if (next != null) {
                    queue.add(next);
                }
            }
            Throwable cause = t.getCause();
            if (cause != null) {
                queue.add(cause);
            }
        }
        return new Match(ErrorCategory.OTHER, root);
    }

    /**
     * Errors that look like a category by their SQLSTATE but are not: MySQL/MariaDB 1153
     * ({@code ER_NET_PACKET_TOO_LARGE}, a statement larger than {@code max_allowed_packet}) comes
     * with {@code 08S01}, yet re-sending the same statement fails the same way, so it is not a
     * connection failure to retry. It ends the walk of the chain as {@link ErrorCategory#OTHER}.
     */
    private boolean neverClassified(SQLException e) {
        return vendorCodes == MYSQL_CODES && e.getErrorCode() == ER_NET_PACKET_TOO_LARGE;
    }

    private ErrorCategory classifyOne(SQLException e) {
        if (neverClassified(e)) {
            return ErrorCategory.OTHER;
        }
        String state = e.getSQLState();
        ErrorCategory byState = null;
        if (state != null) {
            byState = BY_SQLSTATE.get(state);
            if (byState == null && state.startsWith("08")) {
                byState = ErrorCategory.CONNECTION_FAILURE;
            }
        }
        ErrorCategory byVendor = vendorCodes.get(e.getErrorCode());
        if (byState == ErrorCategory.LOCK_NOT_AVAILABLE && product == DatabaseProduct.POSTGRESQL
                && isPostgresLockTimeout(e)) {
            return ErrorCategory.LOCK_WAIT_TIMEOUT;
        }
        if (byState == null) {
            return byVendor == null ? ErrorCategory.OTHER : byVendor;
        }
        if (byVendor != null && refines(byVendor, byState)) {
            return byVendor;
        }
        return byState;
    }

    /**
     * Where one SQLSTATE covers several categories, the vendor code picks: {@code 40001} is the
     * generic "transaction rolled back" state that MySQL, H2 and SQL Server also use for deadlocks
     * (and some MySQL drivers for lock wait timeouts), and MySQL's {@code 70100} also reports a
     * killed connection (1927).
     */
    private static boolean refines(ErrorCategory vendor, ErrorCategory state) {
        switch (state) {
            case SERIALIZATION_FAILURE:
                return vendor == ErrorCategory.DEADLOCK || vendor == ErrorCategory.LOCK_WAIT_TIMEOUT
                        || vendor == ErrorCategory.LOCK_NOT_AVAILABLE;
            case LOCK_NOT_AVAILABLE:
                return vendor == ErrorCategory.LOCK_WAIT_TIMEOUT;
            case QUERY_CANCELLED:
                return vendor == ErrorCategory.CONNECTION_FAILURE;
            default:
                return false;
        }
    }

    private static boolean isPostgresLockTimeout(SQLException e) {
        String msg = e.getMessage();
        return msg != null && msg.toLowerCase(Locale.ROOT).contains("lock timeout");
    }

    private static final class Match {
        final ErrorCategory category;
        final SQLException source;

        Match(ErrorCategory category, SQLException source) {
            this.category = category;
            this.source = source;
        }
    }
}

package dev.latchkey.test;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.util.Locale;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * The databases whose errors {@link FaultInjectingDataSource} imitates, with the SQLSTATE, vendor
 * code and message each really reports for each {@link Fault}. The codes are those Latchkey's
 * own tests provoke from the real servers (PostgreSQL 14+, MariaDB 10.11+, H2 2.x), so an
 * application's error handling sees exactly what production would show it.
 */
public enum Database {
    /** PostgreSQL (pgjdbc): vendor code always 0. */
    POSTGRESQL,
    /** MariaDB (MariaDB Connector/J). */
    MARIADB,
    /** MySQL (Connector/J): as MariaDB, except NOWAIT (3572) and the lost connection (08S01). */
    MYSQL,
    /** H2 2.x: the vendor code is H2's error code. */
    H2;

    /**
     * Recognizes a database from the product name its driver reports
     * ({@link java.sql.DatabaseMetaData#getDatabaseProductName()}).
     *
     * @param productName the product name
     * @return the database
     * @throws IllegalArgumentException if the product is none of these
     */
    public static @NotNull Database fromProductName(@NotNull String productName) {
        String name = Objects.requireNonNull(productName, "productName").toLowerCase(Locale.ROOT);
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb")) {
            return MARIADB;
        }
        if (name.contains("mysql")) {
            return MYSQL;
        }
        if (name.equals("h2")) {
            return H2;
        }
        throw new IllegalArgumentException("no fault codes for database product: productName=" + productName
                + " (supported: PostgreSQL, MariaDB, MySQL, H2)");
    }

    /**
     * Returns a new exception as this database reports the fault; its message ends with
     * "(injected by latchkey-test)".
     *
     * @param fault the fault
     * @return the exception, never thrown by this method
     * @throws UnsupportedOperationException if this database has no such error
     *         ({@link Fault#SERIALIZATION_FAILURE} on MySQL, whose SERIALIZABLE conflicts are
     *         deadlocks or lock-wait timeouts)
     */
    public @NotNull SQLException error(@NotNull Fault fault) {
        switch (Objects.requireNonNull(fault, "fault")) {
            case DEADLOCK:
                return this == POSTGRESQL ? rollback("deadlock detected", "40P01", 0)
                        : this == H2 ? rollback("Deadlock detected. The current transaction was rolled back.", "40001", 40001)
                        : rollback("Deadlock found when trying to get lock; try restarting transaction", "40001", 1213);
            case SERIALIZATION_FAILURE:
                switch (this) {
                    case POSTGRESQL:
                        return rollback("could not serialize access due to concurrent update", "40001", 0);
                    case MARIADB:
                        return rollback("Record has changed since last read in table", "HY000", 1020);
                    case H2:
                        return rollback("Concurrent update in table: another transaction has updated or deleted "
                                + "the same row", "90131", 90131);
                    default:
                        throw new UnsupportedOperationException("MySQL reports no serialization failure of its "
                                + "own: its SERIALIZABLE conflicts are deadlocks (1213) or lock-wait timeouts (1205); "
                                + "inject DEADLOCK or LOCK_WAIT_TIMEOUT");
                }
            case LOCK_NOT_AVAILABLE:
                switch (this) {
                    case POSTGRESQL:
                        return plain("could not obtain lock on row in relation", "55P03", 0);
                    case MYSQL:
                        return plain("Statement aborted because lock(s) could not be acquired immediately and "
                                + "NOWAIT is set.", "HY000", 3572);
                    default:
                        // MariaDB and H2 report a refused NOWAIT with their lock-timeout error
                        return error(Fault.LOCK_WAIT_TIMEOUT);
                }
            case LOCK_WAIT_TIMEOUT:
                return this == POSTGRESQL ? plain("canceling statement due to lock timeout", "55P03", 0)
                        : this == H2 ? timeout("Timeout trying to lock table", "HYT00", 50200)
                        : plain("Lock wait timeout exceeded; try restarting transaction", "HY000", 1205);
            case QUERY_CANCELLED:
                return this == POSTGRESQL ? plain("canceling statement due to user request", "57014", 0)
                        : this == H2 ? timeout("Statement was canceled or the session timed out", "57014", 57014)
                        : timeout("Query execution was interrupted", "70100", 1317);
            case CONNECTION_LOST:
            case COMMIT_REPLY_LOST:
                return this == POSTGRESQL ? connection("An I/O error occurred while sending to the backend.", "08006", 0)
                        : this == H2 ? connection("Database is already closed", "90121", 90121)
                        : this == MYSQL ? connection("Communications link failure", "08S01", 0)
                        : connection("Socket error: Connection reset", "08000", -1);
            case DATABASE_UNREACHABLE:
                // as each driver reports a refused connection (measured: pgjdbc 42.7, MariaDB
                // Connector/J 3.5, H2 2.3; MySQL Connector/J's documented communications failure)
                return this == POSTGRESQL ? connection("Connection to the server refused. Check that the hostname and "
                                + "port are correct and that the postmaster is accepting TCP/IP connections.", "08001", 0)
                        : this == H2 ? connection("Connection is broken: \"java.net.ConnectException: Connection "
                                + "refused\"", "90067", 90067)
                        : this == MYSQL ? connection("Communications link failure", "08S01", 0)
                        : connection("Socket fail to connect to the server. Connection refused", "08000", 0);
            default:
                throw new AssertionError(fault);
        }
    }

    /**
     * Returns the error PostgreSQL raises for a statement sent after an earlier one failed in the
     * same transaction.
     *
     * @return the exception (SQLSTATE {@code 25P02})
     */
    @NotNull SQLException transactionAborted() {
        return plain("current transaction is aborted, commands ignored until end of transaction block", "25P02", 0);
    }

    /**
     * Returns whether a failed statement aborts the whole transaction here (PostgreSQL), rather
     * than only itself.
     *
     * @return whether any statement error aborts the transaction
     */
    boolean abortsTransactionOnError() {
        return this == POSTGRESQL;
    }

    private static final String INJECTED = " (injected by latchkey-test)";

    private static SQLException rollback(String message, String state, int code) {
        return new SQLTransactionRollbackException(message + INJECTED, state, code);
    }

    private static SQLException plain(String message, String state, int code) {
        return new SQLException(message + INJECTED, state, code);
    }

    private static SQLException timeout(String message, String state, int code) {
        return new SQLTimeoutException(message + INJECTED, state, code);
    }

    private static SQLException connection(String message, String state, int code) {
        return new SQLNonTransientConnectionException(message + INJECTED, state, code);
    }
}

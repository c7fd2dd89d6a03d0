package dev.latchkey.jdbc.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.stream.Stream;

import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.ConcurrencyException;
import dev.latchkey.ConnectionFailureException;
import dev.latchkey.DeadlockException;
import dev.latchkey.DuplicateKeyException;
import dev.latchkey.LockNotAvailableException;
import dev.latchkey.LockWaitTimeoutException;
import dev.latchkey.QueryCancelledException;
import dev.latchkey.SerializationFailureException;
import dev.latchkey.jdbc.dialect.DatabaseProduct;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The translator on constructed exceptions that look like what each driver really throws: the
 * SQLSTATE, vendor code and message format of pgjdbc, MariaDB Connector/J, MySQL Connector/J, H2,
 * the Oracle thin driver and mssql-jdbc. PostgreSQL, MariaDB and H2 are also provoked for real
 * in {@link ErrorProvocationTest}; Oracle and SQL Server are covered here only.
 */
class SqlErrorTranslatorTest {

    private static final DatabaseProduct PG = DatabaseProduct.POSTGRESQL;
    private static final DatabaseProduct MARIADB = DatabaseProduct.MARIADB;
    private static final DatabaseProduct MYSQL = DatabaseProduct.MYSQL;
    private static final DatabaseProduct H2 = DatabaseProduct.H2;
    private static final DatabaseProduct ORACLE = DatabaseProduct.ORACLE;
    private static final DatabaseProduct MSSQL = DatabaseProduct.SQL_SERVER;

    /** One driver exception and what it must become. */
    static final class Case {
        final DatabaseProduct product;
        final String state;
        final int code;
        final String message;
        final Class<? extends RuntimeException> type;
        final ErrorCategory category;

        Case(DatabaseProduct product, String state, int code, String message,
             Class<? extends RuntimeException> type, ErrorCategory category) {
            this.product = product;
            this.state = state;
            this.code = code;
            this.message = message;
            this.type = type;
            this.category = category;
        }

        SQLException exception() {
            return new SQLException(message, state, code);
        }

        @Override
        public String toString() {
            // no trailing "[...]": the report reader would take it for a database name
            return product + " state " + state + " code " + code + " -> " + type.getSimpleName();
        }
    }

    private static Case c(DatabaseProduct p, String state, int code, String message,
                          Class<? extends RuntimeException> type, ErrorCategory category) {
        return new Case(p, state, code, message, type, category);
    }

    /** Every code the issue lists, with the SQLSTATE the driver reports alongside it. */
    static Stream<Case> everyListedCode() {
        return Stream.of(
                // PostgreSQL (pgjdbc): vendor code is always 0
                c(PG, "40P01", 0, "ERROR: deadlock detected\n  Detail: Process 10277 waits for ShareLock on transaction 766",
                        DeadlockException.class, ErrorCategory.DEADLOCK),
                c(PG, "40001", 0, "ERROR: could not serialize access due to read/write dependencies among transactions",
                        SerializationFailureException.class, ErrorCategory.SERIALIZATION_FAILURE),
                c(PG, "55P03", 0, "ERROR: could not obtain lock on row in relation \"product\"",
                        LockNotAvailableException.class, ErrorCategory.LOCK_NOT_AVAILABLE),
                c(PG, "55P03", 0, "ERROR: canceling statement due to lock timeout\n  Where: while updating tuple (0,1)",
                        LockWaitTimeoutException.class, ErrorCategory.LOCK_WAIT_TIMEOUT),
                c(PG, "23505", 0, "ERROR: duplicate key value violates unique constraint \"uq_name\"",
                        DuplicateKeyException.class, ErrorCategory.UNIQUE_VIOLATION),
                c(PG, "57014", 0, "ERROR: canceling statement due to statement timeout",
                        QueryCancelledException.class, ErrorCategory.QUERY_CANCELLED),
                c(PG, "57014", 0, "ERROR: canceling statement due to user request",
                        QueryCancelledException.class, ErrorCategory.QUERY_CANCELLED),
                c(PG, "08006", 0, "An I/O error occurred while sending to the backend.",
                        ConnectionFailureException.class, ErrorCategory.CONNECTION_FAILURE),
                c(PG, "08003", 0, "This connection has been closed.",
                        ConnectionFailureException.class, ErrorCategory.CONNECTION_FAILURE),
                c(PG, "08001", 0, "Connection to 127.0.0.1:5432 refused.",
                        ConnectionFailureException.class, ErrorCategory.CONNECTION_FAILURE),
                c(PG, "57P01", 0, "FATAL: terminating connection due to administrator command",
                        ConnectionFailureException.class, ErrorCategory.CONNECTION_FAILURE),

                // MariaDB Connector/J
                c(MARIADB, "40001", 1213, "(conn=37) Deadlock found when trying to get lock; try restarting transaction",
                        DeadlockException.class, ErrorCategory.DEADLOCK),
                c(MARIADB, "HY000", 1205, "(conn=37) Lock wait timeout exceeded; try restarting transaction",
                        LockWaitTimeoutException.class, ErrorCategory.LOCK_WAIT_TIMEOUT),
                c(MARIADB, "23000", 1062, "(conn=35) Duplicate entry 'a' for key 'uq_name'",
                        DuplicateKeyException.class, ErrorCategory.UNIQUE_VIOLATION),
                c(MARIADB, "70100", 1317, "(conn=48) Query execution was interrupted",
                        QueryCancelledException.class, ErrorCategory.QUERY_CANCELLED),
                c(MARIADB, "70100", 1969, "(conn=48) Query execution was interrupted (max_statement_time exceeded)",
                        QueryCancelledException.class, ErrorCategory.QUERY_CANCELLED),
                c(MARIADB, "HY000", 1020, "(conn=37) Record has changed since last read in table 'probe_t'",
                        SerializationFailureException.class, ErrorCategory.SERIALIZATION_FAILURE),
                c(MARIADB, "70100", 1927, "(conn=54) Connection was killed",
                        ConnectionFailureException.class, ErrorCategory.CONNECTION_FAILURE),
                c(MARIADB, "08000", -1, "(conn=43) Socket error",
                        ConnectionFailureException.class, ErrorCategory.CONNECTION_FAILURE),
                c(MARIADB, "08000", 1220, "(conn=44) Connection is closed",
                        ConnectionFailureException.class, ErrorCategory.CONNECTION_FAILURE),

                // MySQL 8 with MySQL Connector/J
                c(MYSQL, "40001", 1213, "Deadlock found when trying to get lock; try restarting transaction",
                        DeadlockException.class, ErrorCategory.DEADLOCK),
                c(MYSQL, "HY000", 1205, "Lock wait timeout exceeded; try restarting transaction",
                        LockWaitTimeoutException.class, ErrorCategory.LOCK_WAIT_TIMEOUT),
                c(MYSQL, "HY000", 3572,
                        "Statement aborted because lock(s) could not be acquired immediately and NOWAIT is set.",
                        LockNotAvailableException.class, ErrorCategory.LOCK_NOT_AVAILABLE),
                c(MYSQL, "23000", 1062, "Duplicate entry 'a' for key 'users.uq_name'",
                        DuplicateKeyException.class, ErrorCategory.UNIQUE_VIOLATION),
                c(MYSQL, "HY000", 3024, "Query execution was interrupted, maximum statement execution time exceeded",
                        QueryCancelledException.class, ErrorCategory.QUERY_CANCELLED),
                c(MYSQL, "70100", 1317, "Query execution was interrupted",
                        QueryCancelledException.class, ErrorCategory.QUERY_CANCELLED),
                c(MYSQL, "S1008", 0, "Statement cancelled due to client request",
                        QueryCancelledException.class, ErrorCategory.QUERY_CANCELLED),
                c(MYSQL, "08S01", 0, "Communications link failure",
                        ConnectionFailureException.class, ErrorCategory.CONNECTION_FAILURE),

                // H2 2.x: the SQLSTATE is the error code as text, except 50200 (HYT00)
                c(H2, "40001", 40001, "Deadlock detected. The current transaction was rolled back. Details: \"T\"",
                        DeadlockException.class, ErrorCategory.DEADLOCK),
                c(H2, "90131", 90131,
                        "Concurrent update in table \"T\": another transaction has updated or deleted the same row",
                        SerializationFailureException.class, ErrorCategory.SERIALIZATION_FAILURE),
                c(H2, "HYT00", 50200, "Timeout trying to lock table \"T\"; SQL statement:",
                        LockWaitTimeoutException.class, ErrorCategory.LOCK_WAIT_TIMEOUT),
                c(H2, "23505", 23505, "Unique index or primary key violation: \"PUBLIC.UQ_NAME_INDEX_5 ON PUBLIC.T(NAME "
                        + "NULLS FIRST) VALUES ( /* 1 */ 'a' )\"; SQL statement:",
                        DuplicateKeyException.class, ErrorCategory.UNIQUE_VIOLATION),
                c(H2, "57014", 57014, "Statement was canceled or the session timed out; SQL statement:",
                        QueryCancelledException.class, ErrorCategory.QUERY_CANCELLED),
                c(H2, "90067", 90067, "Connection is broken: \"java.net.SocketException: Connection reset\"",
                        ConnectionFailureException.class, ErrorCategory.CONNECTION_FAILURE),
                c(H2, "90098", 90098, "The database has been closed; SQL statement:",
                        ConnectionFailureException.class, ErrorCategory.CONNECTION_FAILURE),
                c(H2, "90121", 90121, "Database is already closed",
                        ConnectionFailureException.class, ErrorCategory.CONNECTION_FAILURE),

                // Oracle thin driver: ORA-nnnnn is the vendor code; its X/Open state mapping gives
                // 61000 / 72000 / 23000, and 99999 where it has none
                c(ORACLE, "61000", 60, "ORA-00060: deadlock detected while waiting for resource",
                        DeadlockException.class, ErrorCategory.DEADLOCK),
                c(ORACLE, "72000", 8177, "ORA-08177: can't serialize access for this transaction",
                        SerializationFailureException.class, ErrorCategory.SERIALIZATION_FAILURE),
                c(ORACLE, "61000", 54, "ORA-00054: resource busy and acquire with NOWAIT specified or timeout expired",
                        LockNotAvailableException.class, ErrorCategory.LOCK_NOT_AVAILABLE),
                c(ORACLE, "99999", 30006, "ORA-30006: resource busy; acquire with WAIT timeout expired",
                        LockWaitTimeoutException.class, ErrorCategory.LOCK_WAIT_TIMEOUT),
                c(ORACLE, "23000", 1, "ORA-00001: unique constraint (APP.UQ_NAME) violated",
                        DuplicateKeyException.class, ErrorCategory.UNIQUE_VIOLATION),
                c(ORACLE, "72000", 1013, "ORA-01013: user requested cancel of current operation",
                        QueryCancelledException.class, ErrorCategory.QUERY_CANCELLED),
                c(ORACLE, "08006", 17002, "IO Error: Connection reset",
                        ConnectionFailureException.class, ErrorCategory.CONNECTION_FAILURE),
                c(ORACLE, "99999", 17447, "OALL8 is in an inconsistent state",
                        ConnectionFailureException.class, ErrorCategory.CONNECTION_FAILURE),

                // SQL Server (mssql-jdbc): 40001 / 23000 for the codes it maps, "S000" + the
                // server's error state otherwise, HY008 for a timed-out or cancelled statement
                c(MSSQL, "40001", 1205, "Transaction (Process ID 52) was deadlocked on lock resources with another "
                        + "process and has been chosen as the deadlock victim. Rerun the transaction.",
                        DeadlockException.class, ErrorCategory.DEADLOCK),
                c(MSSQL, "S0002", 3960, "Snapshot isolation transaction aborted due to update conflict.",
                        SerializationFailureException.class, ErrorCategory.SERIALIZATION_FAILURE),
                c(MSSQL, "S00051", 1222, "Lock request time out period exceeded.",
                        LockWaitTimeoutException.class, ErrorCategory.LOCK_WAIT_TIMEOUT),
                c(MSSQL, "23000", 2627, "Violation of PRIMARY KEY constraint 'PK_orders'. Cannot insert duplicate key "
                        + "in object 'dbo.orders'. The duplicate key value is (1).",
                        DuplicateKeyException.class, ErrorCategory.UNIQUE_VIOLATION),
                c(MSSQL, "23000", 2601, "Cannot insert duplicate key row in object 'dbo.users' with unique index "
                        + "'ix_users_email'. The duplicate key value is (a@b.c).",
                        DuplicateKeyException.class, ErrorCategory.UNIQUE_VIOLATION),
                c(MSSQL, "HY008", 0, "The query has timed out.",
                        QueryCancelledException.class, ErrorCategory.QUERY_CANCELLED),
                c(MSSQL, "08S01", 0, "Connection reset",
                        ConnectionFailureException.class, ErrorCategory.CONNECTION_FAILURE));
    }

    /** The cases a vendor code decides: they must classify the same with no SQLSTATE at all. */
    static Stream<Case> vendorCodedCases() {
        return everyListedCode().filter(c -> c.product != PG && c.code > 0
                && !c.state.startsWith("08") && !c.state.equals("S1008"));
    }

    private static SqlErrorTranslator t(DatabaseProduct p) {
        return SqlErrorTranslator.forProduct(p);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyListedCode")
    void translatesEveryListedCode(Case c) {
        SQLException e = c.exception();
        RuntimeException translated = t(c.product).translate(e);

        assertThat(translated).isExactlyInstanceOf(c.type).hasCause(e);
        ConcurrencyException ce = (ConcurrencyException) translated;
        assertThat(ce.sqlState()).isEqualTo(c.state);
        assertThat(ce.vendorCode()).isEqualTo(c.code);
        assertThat(ce.isTransient()).isEqualTo(c.category.isTransient());
        assertThat(ce.getMessage()).contains("SQLSTATE " + c.state).contains("vendor code " + c.code)
                .contains(c.message);
        assertThat(t(c.product).classify(e)).isEqualTo(c.category);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendorCodedCases")
    void theVendorCodeAloneClassifiesWhenTheDriverGivesNoSqlState(Case c) {
        SQLException e = new SQLException(c.message, null, c.code);
        assertThat(t(c.product).translate(e)).isExactlyInstanceOf(c.type);
    }

    @Test
    void transientCategoriesAreTheRacesARetryCanWin() {
        assertThat(ErrorCategory.DEADLOCK.isTransient()).isTrue();
        assertThat(ErrorCategory.SERIALIZATION_FAILURE.isTransient()).isTrue();
        assertThat(ErrorCategory.LOCK_NOT_AVAILABLE.isTransient()).isTrue();
        assertThat(ErrorCategory.LOCK_WAIT_TIMEOUT.isTransient()).isTrue();
        assertThat(ErrorCategory.CONNECTION_FAILURE.isTransient()).isTrue();
        assertThat(ErrorCategory.UNIQUE_VIOLATION.isTransient()).isFalse();
        assertThat(ErrorCategory.QUERY_CANCELLED.isTransient()).isFalse();
        assertThat(ErrorCategory.COMMIT_OUTCOME_UNKNOWN.isTransient()).isFalse();
        assertThat(ErrorCategory.OTHER.isTransient()).isFalse();
    }

    @Nested
    class VendorCodesArePerProduct {

        @Test
        void code1205IsALockWaitTimeoutOnMariaDbAndADeadlockOnSqlServer() {
            assertThat(t(MARIADB).translate(new SQLException("m", "HY000", 1205)))
                    .isExactlyInstanceOf(LockWaitTimeoutException.class);
            assertThat(t(MSSQL).translate(new SQLException("m", "HY000", 1205)))
                    .isExactlyInstanceOf(DeadlockException.class);
            assertThat(t(PG).translate(new SQLException("m", "HY000", 1205)))
                    .isExactlyInstanceOf(JdbcException.class);
        }

        @Test
        void anUnknownProductClassifiesBySqlStateAlone() {
            SqlErrorTranslator other = t(DatabaseProduct.OTHER);
            assertThat(other.translate(new SQLException("m", "40P01", 0))).isExactlyInstanceOf(DeadlockException.class);
            assertThat(other.translate(new SQLException("m", "40001", 1213)))
                    .isExactlyInstanceOf(SerializationFailureException.class);
            assertThat(other.translate(new SQLException("m", "HY000", 1213))).isExactlyInstanceOf(JdbcException.class);
        }

        @Test
        void aDriverThatReportsAMySqlLockWaitTimeoutAs40001StillGetsALockWaitTimeout() {
            assertThat(t(MYSQL).translate(new SQLException("Lock wait timeout exceeded", "40001", 1205)))
                    .isExactlyInstanceOf(LockWaitTimeoutException.class);
            assertThat(t(MYSQL).translate(new SQLException("NOWAIT", "40001", 3572)))
                    .isExactlyInstanceOf(LockNotAvailableException.class);
        }

        @Test
        void aVendorCodeDoesNotOverrideASpecificSqlState() {
            // 23505 says unique violation; a stray vendor code of another category must not win
            assertThat(t(H2).translate(new SQLException("m", "23505", 50200)))
                    .isExactlyInstanceOf(DuplicateKeyException.class);
            assertThat(t(MARIADB).translate(new SQLException("m", "40P01", 1062)))
                    .isExactlyInstanceOf(DeadlockException.class);
        }

        @Test
        void translatorsAreSharedPerProduct() {
            for (DatabaseProduct p : DatabaseProduct.values()) {
                assertThat(SqlErrorTranslator.forProduct(p)).isSameAs(SqlErrorTranslator.forProduct(p));
                assertThat(SqlErrorTranslator.forProduct(p).product()).isEqualTo(p);
            }
        }
    }

    @Nested
    class OtherErrors {

        @Test
        void aNonConcurrencyErrorBecomesAJdbcExceptionWithItsCodes() {
            SQLException syntax = new SQLException("ERROR: syntax error at or near \"SELEC\"", "42601", 0);
            RuntimeException translated = t(PG).translate(syntax);
            assertThat(translated).isExactlyInstanceOf(JdbcException.class).hasCause(syntax);
            JdbcException je = (JdbcException) translated;
            assertThat(je.sqlState()).isEqualTo("42601");
            assertThat(je.vendorCode()).isZero();
            assertThat(je.getMessage()).contains("42601").contains("syntax error");
            assertThat(t(PG).classify(syntax)).isEqualTo(ErrorCategory.OTHER);
        }

        @Test
        void aPacketTooLargeIsNotAConnectionFailure() {
            // issue 12 item 7: MariaDB reports 1153 with SQLSTATE 08S01; retrying re-sends the same oversize statement
            SQLException tooLarge = new SQLException("Got a packet bigger than 'max_allowed_packet' bytes", "08S01", 1153);
            assertThat(t(MARIADB).classify(tooLarge)).isEqualTo(ErrorCategory.OTHER);
            assertThat(t(MARIADB).classify(new SQLException("wrapped", null, 0, tooLarge))).as("also behind a cause")
                    .isEqualTo(ErrorCategory.OTHER);
            RuntimeException translated = t(MARIADB).translate(tooLarge);
            assertThat(translated).isExactlyInstanceOf(JdbcException.class).hasCause(tooLarge);
            assertThat(((JdbcException) translated).vendorCode()).isEqualTo(1153);
            assertThat(t(MYSQL).classify(tooLarge)).isEqualTo(ErrorCategory.OTHER);
            assertThat(t(MARIADB).classify(new SQLException("Communications link failure", "08S01", 0)))
                    .as("08S01 without 1153 is still a connection failure").isEqualTo(ErrorCategory.CONNECTION_FAILURE);
        }

        @Test
        void otherIntegrityViolationsAreNotDuplicateKeys() {
            assertThat(t(PG).translate(new SQLException("foreign key", "23503", 0)))
                    .isExactlyInstanceOf(JdbcException.class);
            assertThat(t(MARIADB).translate(new SQLException("Cannot add or update a child row", "23000", 1452)))
                    .isExactlyInstanceOf(JdbcException.class);
            assertThat(t(H2).translate(new SQLException("NULL not allowed", "23502", 23502)))
                    .isExactlyInstanceOf(JdbcException.class);
        }

        @Test
        void anExceptionWithoutStateOrMessageIsStillTranslated() {
            SQLException bare = new SQLException();
            RuntimeException translated = t(PG).translate(bare);
            assertThat(translated).isExactlyInstanceOf(JdbcException.class).hasCause(bare);
            assertThat(((JdbcException) translated).sqlState()).isNull();
            assertThat(t(PG).constraintName(bare)).isNull();
        }
    }

    @Nested
    class Chains {

        @Test
        void walksTheCauseChain() {
            SQLException deadlock = new SQLException("deadlock detected", "40P01", 0);
            SQLException wrapper = new SQLException("wrapped by a pool", null, 0, deadlock);
            RuntimeException translated = t(PG).translate(wrapper);
            assertThat(translated).isExactlyInstanceOf(DeadlockException.class).hasCause(wrapper);
            assertThat(((DeadlockException) translated).sqlState()).isEqualTo("40P01");
        }

        @Test
        void walksThroughNonSqlCauses() {
            SQLException killed = new SQLException("Connection was killed", "70100", 1927);
            IOException io = new IOException("socket closed", killed);
            SQLException top = new SQLException("Socket error", null, 0, io);
            assertThat(t(MARIADB).translate(top)).isExactlyInstanceOf(ConnectionFailureException.class);
        }

        @Test
        void walksGetNextException() {
            SQLException top = new SQLException("error in batch", "HY000", 0);
            top.setNextException(new SQLException("Deadlock found", "40001", 1213));
            RuntimeException translated = t(MARIADB).translate(top);
            assertThat(translated).isExactlyInstanceOf(DeadlockException.class);
            assertThat(((DeadlockException) translated).vendorCode()).isEqualTo(1213);
        }

        @Test
        void readsABatchUpdateExceptionLikePgjdbcThrowsIt() {
            SQLException entry = new SQLException("ERROR: duplicate key value violates unique constraint "
                    + "\"probe_t_pkey\"\n  Detail: Key (id)=(1) already exists.", "23505", 0);
            BatchUpdateException batch = new BatchUpdateException("Batch entry 1 INSERT INTO probe_t (id, v) VALUES "
                    + "(('1'::int8), 0) was aborted: ERROR: duplicate key value violates unique constraint "
                    + "\"probe_t_pkey\"  Call getNextException to see other errors in the batch.",
                    "23505", 0, new int[] {1}, entry);
            batch.setNextException(entry);

            RuntimeException translated = t(PG).translate(batch);
            assertThat(translated).isExactlyInstanceOf(DuplicateKeyException.class).hasCause(batch);
            assertThat(((DuplicateKeyException) translated).constraint()).isEqualTo("probe_t_pkey");
        }

        @Test
        void readsTheNextExceptionOfABatchUpdateExceptionWithoutState() {
            BatchUpdateException batch = new BatchUpdateException("batch failed", null, 0, new int[] {1, -3}, null);
            batch.setNextException(new SQLException("(conn=9) Duplicate entry '7' for key 'PRIMARY'", "23000", 1062));
            RuntimeException translated = t(MARIADB).translate(batch);
            assertThat(translated).isExactlyInstanceOf(DuplicateKeyException.class);
            DuplicateKeyException dup = (DuplicateKeyException) translated;
            assertThat(dup.constraint()).isEqualTo("PRIMARY");
            assertThat(dup.vendorCode()).isEqualTo(1062);
            assertThat(dup.sqlState()).isEqualTo("23000");
        }

        @Test
        void theFirstExceptionThatClassifiesWinsBreadthFirst() {
            SQLException top = new SQLException("deadlock", "40P01", 0);
            top.setNextException(new SQLException("dup", "23505", 0));
            assertThat(t(PG).translate(top)).isExactlyInstanceOf(DeadlockException.class);

            SQLException generic = new SQLException("generic", "HY000", 0,
                    new SQLException("deeper", "HY000", 0, new SQLException("deepest dup", "23505", 0)));
            generic.setNextException(new SQLException("next: cancelled", "57014", 0));
            assertThat(t(PG).translate(generic)).isExactlyInstanceOf(QueryCancelledException.class);
        }

        @Test
        void aCyclicChainEnds() {
            SQLException a = new SQLException("a", "HY000", 0);
            SQLException b = new SQLException("b", "HY000", 0, a);
            a.setNextException(b);
            assertThat(t(PG).translate(a)).isExactlyInstanceOf(JdbcException.class);
        }

        @Test
        void aVeryLongChainIsCutOff() {
            SQLException deepest = new SQLException("deadlock", "40P01", 0);
            SQLException e = deepest;
            for (int i = 0; i < 200; i++) {
                e = new SQLException("level " + i, "HY000", 0, e);
            }
            assertThat(t(PG).translate(e)).isExactlyInstanceOf(JdbcException.class);
            SQLException shallow = new SQLException("top", "HY000", 0, new SQLException("x", "HY000", 0, deepest));
            assertThat(t(PG).translate(shallow)).isExactlyInstanceOf(DeadlockException.class);
        }
    }

    @Nested
    class DuringCommit {

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.latchkey.jdbc.error.SqlErrorTranslatorTest#everyListedCode")
        void aConnectionFailureDuringCommitMeansTheOutcomeIsUnknownAndEverythingElseKeepsItsType(Case c) {
            SQLException e = c.exception();
            RuntimeException translated = t(c.product).translate(e, true);
            if (c.category == ErrorCategory.CONNECTION_FAILURE) {
                assertThat(translated).isExactlyInstanceOf(CommitOutcomeUnknownException.class).hasCause(e);
                CommitOutcomeUnknownException unknown = (CommitOutcomeUnknownException) translated;
                assertThat(unknown.isTransient()).isFalse();
                assertThat(unknown.sqlState()).isEqualTo(c.state);
                assertThat(unknown.vendorCode()).isEqualTo(c.code);
                assertThat(unknown.getMessage()).contains("COMMIT").contains("unknown");
                assertThat(t(c.product).classify(e, true)).isEqualTo(ErrorCategory.COMMIT_OUTCOME_UNKNOWN);
            } else {
                assertThat(translated).isExactlyInstanceOf(c.type);
                assertThat(t(c.product).classify(e, true)).isEqualTo(c.category);
            }
            assertThat(t(c.product).classify(e, false)).isEqualTo(c.category);
        }

        @Test
        void aSerializationFailureOrDeferredUniqueViolationAtCommitIsDefinite() {
            assertThat(t(PG).translate(new SQLException("could not serialize access", "40001", 0), true))
                    .isExactlyInstanceOf(SerializationFailureException.class);
            assertThat(t(PG).translate(new SQLException("duplicate key value violates unique constraint \"uq_d\"",
                    "23505", 0), true)).isExactlyInstanceOf(DuplicateKeyException.class);
            assertThat(t(PG).translate(new SQLException("x", "42000", 0), true))
                    .isExactlyInstanceOf(JdbcException.class);
        }
    }

    @Nested
    class ConstraintNames {

        private String name(DatabaseProduct p, String message) {
            return t(p).constraintName(new SQLException(message, "23505", 0));
        }

        @Test
        void postgresql() {
            assertThat(name(PG, "ERROR: duplicate key value violates unique constraint \"probe_t_pkey\"\n"
                    + "  Detail: Key (id)=(1) already exists.")).isEqualTo("probe_t_pkey");
            assertThat(name(PG, "ERROR: duplicate key value violates unique constraint \"Mixed Case\""))
                    .isEqualTo("Mixed Case");
            assertThat(name(PG, "ERROR: something else")).isNull();
        }

        @Test
        void mariaDbNamesTheKey() {
            assertThat(name(MARIADB, "(conn=35) Duplicate entry '1' for key 'PRIMARY'")).isEqualTo("PRIMARY");
            assertThat(name(MARIADB, "(conn=35) Duplicate entry 'a' for key 'uq_name'")).isEqualTo("uq_name");
            // the duplicate value is user data and may itself read like the pattern
            assertThat(name(MARIADB, "Duplicate entry 'x for key 'fake'' for key 'uq_real'")).isEqualTo("uq_real");
            // MariaDB never prefixes the table: a dot in the key name is kept
            assertThat(name(MARIADB, "Duplicate entry 'a' for key 'odd.name'")).isEqualTo("odd.name");
        }

        @Test
        void mySql8PrefixesTheTableAndThePrefixIsRemoved() {
            assertThat(name(MYSQL, "Duplicate entry '1' for key 'users.PRIMARY'")).isEqualTo("PRIMARY");
            assertThat(name(MYSQL, "Duplicate entry 'a' for key 'users.uq_email'")).isEqualTo("uq_email");
            assertThat(name(MYSQL, "Duplicate entry 'a' for key 'uq_email'")).isEqualTo("uq_email");
        }

        @Test
        void h2NamesTheIndexAndAConstraintReadsAsDeclared() {
            assertThat(name(H2, "Unique index or primary key violation: \"PUBLIC.UQ_NAME_INDEX_5 ON PUBLIC.T(NAME "
                    + "NULLS FIRST) VALUES ( /* 1 */ 'a' )\"; SQL statement:")).isEqualTo("UQ_NAME");
            assertThat(name(H2, "Unique index or primary key violation: \"PUBLIC.uq_lower_INDEX_A ON PUBLIC.T1(N "
                    + "NULLS FIRST) VALUES ( /* 1 */ 1 )\"")).isEqualTo("uq_lower");
            assertThat(name(H2, "Unique index or primary key violation: \"OTHER.UQ_FOUR_INDEX_A ON OTHER.T4(N)\""))
                    .isEqualTo("UQ_FOUR");
            // a unique index created by CREATE UNIQUE INDEX keeps its name
            assertThat(name(H2, "Unique index or primary key violation: \"PUBLIC.W_K_IDX ON PUBLIC.W(K NULLS FIRST) "
                    + "VALUES ( /* 1 */ 1 )\"")).isEqualTo("W_K_IDX");
            // an unnamed constraint's index is all H2 gives
            assertThat(name(H2, "Unique index or primary key violation: \"PUBLIC.CONSTRAINT_INDEX_7 ON PUBLIC.\"\"my "
                    + "table\"\"(N NULLS FIRST) VALUES ( /* 1 */ 1 )\"")).isEqualTo("CONSTRAINT_INDEX_7");
            // a quoted index name
            assertThat(name(H2, "Unique index or primary key violation: \"PUBLIC.\"\"my index\"\" ON PUBLIC.T(N)\""))
                    .isEqualTo("my index");
        }

        @Test
        void h2DoesNotNameAPrimaryKey() {
            assertThat(name(H2, "Unique index or primary key violation: \"PRIMARY KEY ON PUBLIC.T(ID) ( /* key:1 */ "
                    + "CAST(1 AS BIGINT), 0, 'a')\"; SQL statement:")).isNull();
        }

        @Test
        void oracleLosesTheOwner() {
            assertThat(name(ORACLE, "ORA-00001: unique constraint (APP.UQ_NAME) violated")).isEqualTo("UQ_NAME");
            assertThat(name(ORACLE, "ORA-00001: unique constraint (APP.PK_EMP) violated on table APP.EMP "
                    + "columns (EMPNO)")).isEqualTo("PK_EMP");
            assertThat(name(ORACLE, "ORA-00001: unique constraint (UQ_NAME) violated")).isEqualTo("UQ_NAME");
        }

        @Test
        void sqlServerNamesTheConstraintOrTheUniqueIndex() {
            assertThat(name(MSSQL, "Violation of PRIMARY KEY constraint 'PK_orders'. Cannot insert duplicate key in "
                    + "object 'dbo.orders'. The duplicate key value is (1).")).isEqualTo("PK_orders");
            assertThat(name(MSSQL, "Violation of UNIQUE KEY constraint 'UQ_users_email'. Cannot insert duplicate key "
                    + "in object 'dbo.users'.")).isEqualTo("UQ_users_email");
            assertThat(name(MSSQL, "Cannot insert duplicate key row in object 'dbo.users' with unique index "
                    + "'ix_users_email'. The duplicate key value is (a@b.c).")).isEqualTo("ix_users_email");
        }

        @Test
        void theTranslatedExceptionCarriesTheNameAndSaysIt() {
            RuntimeException translated = t(PG).translate(new SQLException(
                    "ERROR: duplicate key value violates unique constraint \"uq_email\"", "23505", 0));
            assertThat(translated).isExactlyInstanceOf(DuplicateKeyException.class)
                    .hasMessageStartingWith("duplicate key violates uq_email (");
            assertThat(((DuplicateKeyException) translated).constraint()).isEqualTo("uq_email");
            assertThat(((DuplicateKeyException) translated).isTransient()).isFalse();
        }
    }
}

package dev.latchkey.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import javax.sql.DataSource;

import dev.latchkey.jdbc.error.SqlErrorTranslator;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The one way Latchkey runs statements on a connection: prepare, bind every value
 * ({@link Statements#bind}), execute, read, close, and translate every {@link SQLException} on
 * the way out. A write that fails on a connection in auto-commit mode is its own commit, so a
 * lost connection there is reported as {@link dev.latchkey.CommitOutcomeUnknownException}
 * (never retried) rather than as a transient connection failure. Thread-confined.
 */
public final class Session {
    private static final System.Logger LOG = System.getLogger(Session.class.getName());

    private final Connection connection;
    private final SqlErrorTranslator errors;
    private final boolean autoCommit;
    /** The pool the connection came from when Latchkey owns it (to evict it if it breaks), else null. */
    private final @Nullable DataSource pool;

    private Session(Connection connection, SqlErrorTranslator errors, boolean autoCommit, @Nullable DataSource pool) {
        this.connection = connection;
        this.errors = errors;
        this.autoCommit = autoCommit;
        this.pool = pool;
    }

    /**
     * A session on a connection, reading its auto-commit mode once.
     *
     * @param connection the connection; not closed by the session
     * @param errors the translator
     * @return the session
     */
    public static @NotNull Session on(@NotNull Connection connection, @NotNull SqlErrorTranslator errors) {
        return on(connection, errors, null);
    }

    /**
     * A session on a connection Latchkey took from a pool for this operation.
     *
     * @param connection the connection; not closed by the session
     * @param errors the translator
     * @param pool the pool it came from, told to evict it if it breaks; {@code null} when the
     *        connection is the caller's
     * @return the session
     */
    public static @NotNull Session on(@NotNull Connection connection, @NotNull SqlErrorTranslator errors,
                                      @Nullable DataSource pool) {
        try {
            return new Session(connection, errors, connection.getAutoCommit(), pool);
        } catch (SQLException e) {
            throw errors.translate(e);
        }
    }

    /**
     * Returns the connection.
     *
     * @return the connection
     */
    public @NotNull Connection connection() {
        return connection;
    }

    /**
     * Returns the translator.
     *
     * @return the translator
     */
    public @NotNull SqlErrorTranslator errors() {
        return errors;
    }

    /**
     * Returns whether each statement commits by itself.
     *
     * @return whether each statement commits by itself
     */
    public boolean autoCommit() {
        return autoCommit;
    }

    /**
     * Runs a write.
     *
     * @param sql the statement
     * @param params its parameters
     * @return the update count
     */
    public int update(@NotNull String sql, @NotNull List<?> params) {
        try {
            return Statements.update(connection, sql, params);
        } catch (SQLException e) {
            throw failed(errors.translate(e, autoCommit));
        }
    }

    /**
     * Runs a write that returns rows ({@code RETURNING}, {@code FINAL TABLE}).
     *
     * @param sql the statement
     * @param params its parameters
     * @param reader reads each row
     * @param <T> the row type
     * @return the rows
     */
    public <T> @NotNull List<T> writeQuery(@NotNull String sql, @NotNull List<?> params, @NotNull RowReader<T> reader) {
        try {
            return Statements.query(connection, sql, params, reader);
        } catch (SQLException e) {
            throw failed(errors.translate(e, autoCommit));
        }
    }

    /**
     * Runs a read.
     *
     * @param sql the statement
     * @param params its parameters
     * @param reader reads each row
     * @param <T> the row type
     * @return the rows
     */
    public <T> @NotNull List<T> query(@NotNull String sql, @NotNull List<?> params, @NotNull RowReader<T> reader) {
        try {
            return Statements.query(connection, sql, params, reader);
        } catch (SQLException e) {
            throw failed(errors.translate(e));
        }
    }

    /**
     * Records a statement's failure on the transaction the connection runs in, when the failure
     * aborted it (see {@link Participation#abortsTransaction}), so that the transaction's boundary
     * never reports it as committed even if the caller catches the failure.
     *
     * @param failure the translated failure
     * @return the failure, to throw
     */
    public @NotNull RuntimeException failed(@NotNull RuntimeException failure) {
        if (!autoCommit && Participation.abortsTransaction(errors.product(), failure)) {
            TransactionScope scope = TransactionScope.of(connection);
            if (scope != null) {
                scope.setRollbackOnly(failure);
            }
        }
        return failure;
    }

    /**
     * Runs a write that returns rows, reading the first {@code columns} columns of each.
     *
     * @param sql the statement
     * @param params its parameters
     * @param columns how many columns to read
     * @return the rows' values
     */
    public @NotNull List<List<Object>> writeQuery(@NotNull String sql, @NotNull List<?> params, int columns) {
        return writeQuery(sql, params, RowReader.values(columns));
    }

    /**
     * Runs a read, reading the first {@code columns} columns of each row.
     *
     * @param sql the statement
     * @param params its parameters
     * @param columns how many columns to read
     * @return the rows' values
     */
    public @NotNull List<List<Object>> query(@NotNull String sql, @NotNull List<?> params, int columns) {
        return query(sql, params, RowReader.values(columns));
    }

    /**
     * Runs one statement as a JDBC batch, one parameter list per row.
     *
     * @param sql the statement
     * @param rows the parameters of each row
     * @return the update counts
     */
    public int @NotNull [] batch(@NotNull String sql, @NotNull List<? extends List<?>> rows) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (List<?> row : rows) {
                Statements.bind(ps, row);
                ps.addBatch();
            }
            return ps.executeBatch();
        } catch (SQLException e) {
            throw failed(errors.translate(e, autoCommit));
        }
    }

    /**
     * Runs work in a transaction: the caller's when the connection is already in one, otherwise
     * a short one opened here, committed after the work and rolled back when it fails (whatever
     * it throws); auto-commit is restored before returning. A failure to restore it after the
     * commit (the connection died just after committing) is logged and the connection evicted
     * when Latchkey owns it: the work committed, so its result is returned and it must not run
     * again.
     *
     * @param work the work, given a session in the transaction
     * @param <T> the result type
     * @return what the work returned
     */
    public <T> T inTransaction(@NotNull Function<Session, T> work) {
        if (!autoCommit) {
            return work.apply(this);
        }
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw errors.translate(e);
        }
        Session tx = new Session(connection, errors, false, pool);
        T result;
        try {
            result = work.apply(tx);
            try {
                connection.commit();
            } catch (SQLException e) {
                throw errors.translate(e, true);
            }
        } catch (Throwable e) {
            Statements.rollbackQuietly(connection, e);
            restoreAutoCommit(e);
            throw Connections.sneakyThrow(e);
        }
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "the transaction committed, but restoring auto-commit on its "
                    + "connection failed; the connection is dropped, the result stands", e);
            if (pool != null) {
                Connections.evict(pool, connection);
            }
        }
        return result;
    }

    private void restoreAutoCommit(Throwable primary) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            primary.addSuppressed(e);
        }
    }

    /**
     * Reads one row of a result set; must not move the cursor.
     *
     * @param <T> the row type
     */
    @FunctionalInterface
    public interface RowReader<T> {
        /**
         * Reads the current row.
         *
         * @param rs the result set, on a row
         * @return the row's value
         * @throws SQLException on a driver error
         */
        T read(@NotNull ResultSet rs) throws SQLException;

        /**
         * A reader of the first {@code columns} columns as a list of values.
         *
         * @param columns the number of columns
         * @return the reader
         */
        static @NotNull RowReader<List<Object>> values(int columns) {
            return rs -> {
                List<Object> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                return row;
            };
        }
    }
}

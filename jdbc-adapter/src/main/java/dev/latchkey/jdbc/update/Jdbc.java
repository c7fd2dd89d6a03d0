package dev.latchkey.jdbc.update;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.latchkey.jdbc.SqlErrorTranslator;
import dev.latchkey.jdbc.internal.Statements;
import org.jetbrains.annotations.Nullable;

/**
 * Runs the statements of one operation on one connection, binding every value and translating
 * every {@link SQLException} on the way out. A write that fails on a connection in auto-commit
 * mode is its own commit, so a lost connection there is reported as
 * {@link dev.latchkey.CommitOutcomeUnknownException} (never retried) rather than as a transient
 * connection failure. Thread-confined.
 */
final class Jdbc {
    private final Connection connection;
    private final SqlErrorTranslator errors;
    private final boolean autoCommit;

    private Jdbc(Connection connection, SqlErrorTranslator errors, boolean autoCommit) {
        this.connection = connection;
        this.errors = errors;
        this.autoCommit = autoCommit;
    }

    static Jdbc on(Connection connection, SqlErrorTranslator errors) {
        try {
            return new Jdbc(connection, errors, connection.getAutoCommit());
        } catch (SQLException e) {
            throw errors.translate(e);
        }
    }

    /** @return whether each statement commits by itself */
    boolean autoCommit() {
        return autoCommit;
    }

    /** Runs a write; returns its update count. */
    int update(String sql, List<?> params) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            Statements.bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw errors.translate(e, autoCommit);
        }
    }

    /** Runs a write that returns rows ({@code RETURNING}); returns the rows. */
    List<List<Object>> writeQuery(String sql, List<?> params, int columns) {
        try {
            return rows(sql, params, columns);
        } catch (SQLException e) {
            throw errors.translate(e, autoCommit);
        }
    }

    /** Runs a read; returns the rows. */
    List<List<Object>> query(String sql, List<?> params, int columns) {
        try {
            return rows(sql, params, columns);
        } catch (SQLException e) {
            throw errors.translate(e);
        }
    }

    /** Runs a read whose columns are named by the result set; returns the labels and the rows. */
    @Nullable Row queryRow(String sql, List<?> params) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            Statements.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                int n = rs.getMetaData().getColumnCount();
                List<String> labels = new ArrayList<>(n);
                List<Object> values = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    labels.add(rs.getMetaData().getColumnLabel(i));
                    values.add(rs.getObject(i));
                }
                if (rs.next()) {
                    throw new IllegalStateException("more than one row for one key: " + sql);
                }
                return Row.of(labels, values);
            }
        } catch (SQLException e) {
            throw errors.translate(e);
        }
    }

    /** Runs one statement as a JDBC batch, one parameter list per row; returns the update counts. */
    int[] batch(String sql, List<? extends List<?>> rows) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (List<?> row : rows) {
                Statements.bind(ps, row);
                ps.addBatch();
            }
            return ps.executeBatch();
        } catch (SQLException e) {
            throw errors.translate(e, autoCommit);
        }
    }

    /**
     * Runs work in a transaction: the caller's when the connection is already in one, otherwise
     * a short one opened here, committed after the work and rolled back when it fails; auto-commit
     * is restored before returning. A failure to restore it after the commit is an
     * {@link IllegalStateException} saying so, never a transient (retryable) failure: the work is
     * committed and must not run again.
     */
    <T> T inTransaction(Function<Jdbc, T> work) {
        if (!autoCommit) {
            return work.apply(this);
        }
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw errors.translate(e);
        }
        Jdbc tx = new Jdbc(connection, errors, false);
        T result;
        try {
            result = work.apply(tx);
            try {
                connection.commit();
            } catch (SQLException e) {
                throw errors.translate(e, true);
            }
        } catch (RuntimeException | Error e) {
            try {
                connection.rollback();
            } catch (SQLException | RuntimeException r) {
                e.addSuppressed(r);
            }
            restoreAutoCommit(e);
            throw e;
        }
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException("the transaction committed, but restoring auto-commit on its connection "
                    + "failed; do not run the work again: " + errors.translate(e).getMessage(), e);
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

    private List<List<Object>> rows(String sql, List<?> params, int columns) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            Statements.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<List<Object>> rows = new ArrayList<>(1);
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(columns);
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }
}

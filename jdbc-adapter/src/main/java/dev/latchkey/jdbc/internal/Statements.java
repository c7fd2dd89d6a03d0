package dev.latchkey.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** Binding and running of statements: the one place every Latchkey statement gets its parameters. */
public final class Statements {
    private Statements() {
    }

    /**
     * Binds values to a statement's parameters, in order; {@code null} is bound as SQL NULL.
     *
     * @param ps the statement
     * @param params the values, one per {@code ?}
     * @throws SQLException if the driver refuses a value
     */
    public static void bind(@NotNull PreparedStatement ps, @NotNull List<?> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            bind(ps, i + 1, params.get(i));
        }
    }

    /**
     * Binds one value: {@code null} as SQL {@code NULL} of no particular type, which every
     * supported driver accepts for any column; anything else with {@code setObject}. The one place
     * that decides how Latchkey binds a value, for callers that bind typed values one by one.
     *
     * @param ps the statement
     * @param index the placeholder, from 1
     * @param value the value, or {@code null}
     * @throws SQLException if the driver refuses the value
     */
    public static void bind(@NotNull PreparedStatement ps, int index, @Nullable Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else {
            ps.setObject(index, value);
        }
    }

    /**
     * Prepares, binds and runs a query, reading every row; the statement is closed afterwards.
     *
     * @param connection the connection
     * @param sql the statement
     * @param params its parameters
     * @param reader reads each row
     * @param <T> the row type
     * @return the rows
     * @throws SQLException untranslated, for the caller to translate with its context
     */
    public static <T> @NotNull List<T> query(@NotNull Connection connection, @NotNull String sql,
                                             @NotNull List<?> params, @NotNull Session.RowReader<T> reader)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>(1);
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
                return rows;
            }
        }
    }

    /**
     * Prepares, binds and runs a write; the statement is closed afterwards.
     *
     * @param connection the connection
     * @param sql the statement
     * @param params its parameters
     * @return the update count
     * @throws SQLException untranslated, for the caller to translate with its context (an
     *         idempotent write on an auto-commit connection may treat a lost connection as
     *         transient, which {@link Session#update} does not)
     */
    public static int update(@NotNull Connection connection, @NotNull String sql, @NotNull List<?> params)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /**
     * Rolls back a connection that is in a transaction, adding a failure to do so to the
     * primary failure.
     *
     * @param c the connection
     * @param primary the failure being reported
     */
    public static void rollbackQuietly(@NotNull Connection c, @NotNull Throwable primary) {
        try {
            if (!c.isClosed() && !c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    /**
     * Closes a connection, adding a failure to do so to the primary failure.
     *
     * @param c the connection
     * @param primary the failure being reported
     */
    public static void closeQuietly(@NotNull Connection c, @NotNull Throwable primary) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }
}

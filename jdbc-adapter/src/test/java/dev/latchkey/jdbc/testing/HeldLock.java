package dev.latchkey.jdbc.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * A second connection holding a transaction open (and whatever its statement locked) until
 * {@link #close()}, which rolls back and returns the connection. Use it to make another
 * transaction wait, time out, or skip a row.
 */
public final class HeldLock implements AutoCloseable {
    private final Connection connection;

    private HeldLock(Connection connection) {
        this.connection = connection;
    }

    static HeldLock open(DataSource ds, String sql, Object... params) {
        Connection c = null;
        try {
            c = ds.getConnection();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                TestDatabase.bind(ps, params);
                if (ps.execute()) {
                    try (ResultSet rs = ps.getResultSet()) {
                        while (rs.next()) {
                            // read every row so the locks are taken on every database
                        }
                    }
                }
            }
            return new HeldLock(c);
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.rollback();
                    c.setAutoCommit(true);
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException("could not take the lock: " + sql, e);
        }
    }

    /** @return the connection holding the lock, inside its open transaction */
    public Connection connection() {
        return connection;
    }

    /**
     * Commits the holding transaction (instead of rolling back) and releases the connection.
     *
     * @throws SQLException on failure
     */
    public void commit() throws SQLException {
        connection.commit();
        close();
    }

    /** Rolls back and releases the connection. Idempotent. */
    @Override
    public void close() {
        try {
            if (!connection.isClosed()) {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
                connection.close();
            }
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is broken already; the pool will evict it
            }
        }
    }
}

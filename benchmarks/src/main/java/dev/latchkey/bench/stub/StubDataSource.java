package dev.latchkey.bench.stub;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A pool of one stub connection: {@code getConnection()} always hands out the same
 * {@link StubConnection} (closing it gives it back), as a one-connection pool does, minus the
 * pool's own cost. Confined to one thread, like its connection.
 */
public final class StubDataSource implements DataSource {
    private final StubConnection connection;

    /**
     * A data source over a stub connection claiming to be a product.
     *
     * @param product the product the connection claims to be
     * @param script how it answers
     */
    public StubDataSource(StubProduct product, Script script) {
        this.connection = new StubDriver(script).connect(product);
    }

    /**
     * Returns the one connection.
     *
     * @return the connection
     */
    public StubConnection connection() {
        return connection;
    }

    @Override
    public StubConnection getConnection() {
        return connection;
    }

    @Override
    public StubConnection getConnection(String username, String password) {
        return connection;
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging in the stub driver");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public String toString() {
        return "StubDataSource[" + connection.product() + "]";
    }
}

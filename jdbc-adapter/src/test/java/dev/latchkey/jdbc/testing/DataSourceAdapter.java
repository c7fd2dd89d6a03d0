package dev.latchkey.jdbc.testing;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * The part of {@link DataSource} every test double writes the same way: subclasses say only how
 * they hand out connections. The other methods go to the wrapped data source when there is one,
 * and are inert otherwise.
 */
public abstract class DataSourceAdapter implements DataSource {
    private final DataSource delegate;

    /**
     * @param delegate the data source being wrapped, or {@code null} for a stand-alone double
     */
    protected DataSourceAdapter(DataSource delegate) {
        this.delegate = delegate;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate == null ? null : delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        if (delegate != null) {
            delegate.setLogWriter(out);
        }
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        if (delegate != null) {
            delegate.setLoginTimeout(seconds);
        }
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate == null ? 0 : delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        if (delegate == null) {
            throw new SQLFeatureNotSupportedException();
        }
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (delegate == null) {
            throw new SQLException("not a wrapper");
        }
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate != null && delegate.isWrapperFor(iface);
    }
}

package dev.latchkey.jdbc.update;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.dialect.Dialect;

/** Latchkeys with a fixed dialect over a data source that refuses connections: for rendering tests. */
final class Dialects {
    static final Latchkey POSTGRES = of(DatabaseProduct.POSTGRESQL, 15, 4);
    static final Latchkey MARIADB = of(DatabaseProduct.MARIADB, 10, 11);
    static final Latchkey MYSQL = of(DatabaseProduct.MYSQL, 8, 0);
    static final Latchkey H2 = of(DatabaseProduct.H2, 2, 3);

    private Dialects() {
    }

    static Latchkey of(DatabaseProduct product, int major, int minor) {
        return Latchkey.builder(new NoConnections()).dialect(Dialect.of(product, major, minor)).build();
    }

    private static final class NoConnections implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            throw new SQLException("rendering tests never connect");
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
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
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}

package dev.latchkey.jdbc.update;

import java.sql.Connection;
import java.sql.SQLException;

import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.testing.DataSourceAdapter;

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

    private static final class NoConnections extends DataSourceAdapter {
        NoConnections() {
            super(null);
        }

        @Override
        public Connection getConnection() throws SQLException {
            throw new SQLException("rendering tests never connect");
        }
    }
}

package dev.latchkey.bench.stub;

import java.sql.Connection;
import java.sql.SQLException;

/** What the stub claims to be: enough of {@code DatabaseMetaData} for Latchkey's dialect detection. */
final class StubDatabaseMetaData extends NoDatabaseMetaData {
    private final StubConnection connection;
    private final StubProduct product;

    StubDatabaseMetaData(StubConnection connection, StubProduct product) {
        this.connection = connection;
        this.product = product;
    }

    @Override
    public String getDatabaseProductName() {
        return product.productName;
    }

    @Override
    public String getDatabaseProductVersion() {
        return product.productVersion;
    }

    @Override
    public int getDatabaseMajorVersion() {
        return product.major;
    }

    @Override
    public int getDatabaseMinorVersion() {
        return product.minor;
    }

    @Override
    public String getDriverName() {
        return "Latchkey stub driver";
    }

    @Override
    public String getDriverVersion() {
        return "1.0";
    }

    @Override
    public int getDriverMajorVersion() {
        return 1;
    }

    @Override
    public int getDriverMinorVersion() {
        return 0;
    }

    @Override
    public int getJDBCMajorVersion() {
        return 4;
    }

    @Override
    public int getJDBCMinorVersion() {
        return 2;
    }

    @Override
    public String getURL() {
        return StubDriver.PREFIX + product.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String getUserName() {
        return "stub";
    }

    @Override
    public String getIdentifierQuoteString() {
        return product == StubProduct.MARIADB ? "`" : "\"";
    }

    @Override
    public boolean supportsTransactionIsolationLevel(int level) {
        return level != Connection.TRANSACTION_NONE;
    }

    @Override
    public int getDefaultTransactionIsolation() {
        return product == StubProduct.MARIADB ? Connection.TRANSACTION_REPEATABLE_READ
                : Connection.TRANSACTION_READ_COMMITTED;
    }

    @Override
    public Connection getConnection() {
        return connection;
    }
}

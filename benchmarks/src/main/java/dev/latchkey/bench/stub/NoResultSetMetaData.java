package dev.latchkey.bench.stub;

import java.io.*;
import java.sql.*;

/**
 * A {@link ResultSetMetaData} whose every method throws: the stub driver's classes extend it and override only
 * what Latchkey and the hand-written baselines call, so an unexpected call fails loudly
 * ({@link SQLFeatureNotSupportedException} naming the method) instead of answering wrongly.
 * ({@code isWrapperFor}/{@code unwrap} answer for the object itself.) Generated from the
 * interface; not worth reading.
 */
@SuppressWarnings({"deprecation", "RedundantThrows"})
abstract class NoResultSetMetaData implements ResultSetMetaData {

    static SQLFeatureNotSupportedException unsupported(String method) {
        return new SQLFeatureNotSupportedException("the stub driver does not implement ResultSetMetaData." + method + "()");
    }

    @Override
    public String getCatalogName(int a0) throws SQLException {
        throw unsupported("getCatalogName");
    }

    @Override
    public String getColumnClassName(int a0) throws SQLException {
        throw unsupported("getColumnClassName");
    }

    @Override
    public int getColumnCount() throws SQLException {
        throw unsupported("getColumnCount");
    }

    @Override
    public int getColumnDisplaySize(int a0) throws SQLException {
        throw unsupported("getColumnDisplaySize");
    }

    @Override
    public String getColumnLabel(int a0) throws SQLException {
        throw unsupported("getColumnLabel");
    }

    @Override
    public String getColumnName(int a0) throws SQLException {
        throw unsupported("getColumnName");
    }

    @Override
    public int getColumnType(int a0) throws SQLException {
        throw unsupported("getColumnType");
    }

    @Override
    public String getColumnTypeName(int a0) throws SQLException {
        throw unsupported("getColumnTypeName");
    }

    @Override
    public int getPrecision(int a0) throws SQLException {
        throw unsupported("getPrecision");
    }

    @Override
    public int getScale(int a0) throws SQLException {
        throw unsupported("getScale");
    }

    @Override
    public String getSchemaName(int a0) throws SQLException {
        throw unsupported("getSchemaName");
    }

    @Override
    public String getTableName(int a0) throws SQLException {
        throw unsupported("getTableName");
    }

    @Override
    public boolean isAutoIncrement(int a0) throws SQLException {
        throw unsupported("isAutoIncrement");
    }

    @Override
    public boolean isCaseSensitive(int a0) throws SQLException {
        throw unsupported("isCaseSensitive");
    }

    @Override
    public boolean isCurrency(int a0) throws SQLException {
        throw unsupported("isCurrency");
    }

    @Override
    public boolean isDefinitelyWritable(int a0) throws SQLException {
        throw unsupported("isDefinitelyWritable");
    }

    @Override
    public int isNullable(int a0) throws SQLException {
        throw unsupported("isNullable");
    }

    @Override
    public boolean isReadOnly(int a0) throws SQLException {
        throw unsupported("isReadOnly");
    }

    @Override
    public boolean isSearchable(int a0) throws SQLException {
        throw unsupported("isSearchable");
    }

    @Override
    public boolean isSigned(int a0) throws SQLException {
        throw unsupported("isSigned");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public boolean isWritable(int a0) throws SQLException {
        throw unsupported("isWritable");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }
}

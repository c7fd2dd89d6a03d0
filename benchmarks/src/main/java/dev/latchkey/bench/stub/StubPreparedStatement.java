package dev.latchkey.bench.stub;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Timestamp;
import java.util.Arrays;

/**
 * A statement that sends nothing anywhere: it keeps the values bound to it and, when executed,
 * hands them with its SQL to the connection's {@link Script} and returns the {@link Answer}.
 * The connection keeps one per SQL text (a statement cache, as pgjdbc and MariaDB Connector/J
 * have), so preparing, binding and executing allocate nothing of the stub's own except boxing
 * a primitive the caller binds and the array of a batch's counts. Also serves as the plain
 * {@code Statement} of {@code createStatement()}.
 */
final class StubPreparedStatement extends NoPreparedStatement {
    private final StubConnection connection;
    private final String sql;
    private final StubResultSet resultSet = new StubResultSet(this);
    private Object[] params = new Object[8];
    private int batched;
    private int queryTimeout;
    private Answer last;

    StubPreparedStatement(StubConnection connection, String sql) {
        this.connection = connection;
        this.sql = sql;
    }

    private void set(int index, Object value) throws SQLException {
        if (index < 1) {
            throw new SQLException("parameter index must be >= 1: " + index);
        }
        if (index >= params.length) {
            params = Arrays.copyOf(params, Math.max(index + 1, params.length * 2));
        }
        params[index] = value;
    }

    private Answer run(String text) {
        last = connection.execute(text, params);
        return last;
    }

    @Override
    public ResultSet executeQuery() {
        return resultSet.reset(run(sql), params);
    }

    @Override
    public int executeUpdate() {
        return run(sql).updateCount();
    }

    @Override
    public boolean execute() {
        return run(sql).labels().length > 0;
    }

    @Override
    public ResultSet executeQuery(String text) {
        return resultSet.reset(run(text), params);
    }

    @Override
    public int executeUpdate(String text) {
        return run(text).updateCount();
    }

    @Override
    public boolean execute(String text) {
        return run(text).labels().length > 0;
    }

    @Override
    public ResultSet getResultSet() {
        return last == null || last.labels().length == 0 ? null : resultSet.reset(last, params);
    }

    @Override
    public int getUpdateCount() {
        return last == null || last.labels().length > 0 ? -1 : last.updateCount();
    }

    @Override
    public boolean getMoreResults() {
        last = null;
        return false;
    }

    @Override
    public void addBatch() {
        batched++;
    }

    @Override
    public int[] executeBatch() {
        int[] counts = new int[batched];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = run(sql).updateCount();
        }
        batched = 0;
        return counts;
    }

    @Override
    public void clearBatch() {
        batched = 0;
    }

    @Override
    public void clearParameters() {
        Arrays.fill(params, null);
    }

    @Override
    public void setObject(int index, Object value) throws SQLException {
        set(index, value);
    }

    @Override
    public void setObject(int index, Object value, int sqlType) throws SQLException {
        set(index, value);
    }

    @Override
    public void setNull(int index, int sqlType) throws SQLException {
        set(index, null);
    }

    @Override
    public void setLong(int index, long value) throws SQLException {
        set(index, value);
    }

    @Override
    public void setInt(int index, int value) throws SQLException {
        set(index, value);
    }

    @Override
    public void setBoolean(int index, boolean value) throws SQLException {
        set(index, value);
    }

    @Override
    public void setString(int index, String value) throws SQLException {
        set(index, value);
    }

    @Override
    public void setBytes(int index, byte[] value) throws SQLException {
        set(index, value);
    }

    @Override
    public void setBigDecimal(int index, BigDecimal value) throws SQLException {
        set(index, value);
    }

    @Override
    public void setTimestamp(int index, Timestamp value) throws SQLException {
        set(index, value);
    }

    @Override
    public void setQueryTimeout(int seconds) {
        queryTimeout = seconds;
    }

    @Override
    public int getQueryTimeout() {
        return queryTimeout;
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public SQLWarning getWarnings() {
        return null;
    }

    @Override
    public void clearWarnings() {
    }

    @Override
    public void close() {
        batched = 0;
        resultSet.close();
    }

    @Override
    public boolean isClosed() {
        return false;
    }
}

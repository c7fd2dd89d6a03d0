package dev.latchkey.bench.stub;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * The rows of an {@link Answer}, read forward. One per statement, reset on each
 * {@code executeQuery}: reading allocates nothing beyond boxing a returned value the answer
 * does not hold boxed.
 */
final class StubResultSet extends NoResultSet {
    private final StubPreparedStatement statement;
    private Answer answer;
    private Object[] params;
    private int row;
    private boolean closed = true;
    private boolean wasNull;

    StubResultSet(StubPreparedStatement statement) {
        this.statement = statement;
    }

    StubResultSet reset(Answer a, Object[] p) {
        this.answer = a;
        this.params = p;
        this.row = -1;
        this.closed = false;
        return this;
    }

    private Object value(int column) throws SQLException {
        if (closed) {
            throw new SQLException("result set closed");
        }
        Object[][] rows = answer.rows();
        if (row < 0 || row >= rows.length) {
            throw new SQLException("no current row");
        }
        Object[] r = rows[row];
        if (column < 1 || column > r.length) {
            throw new SQLException("no column " + column + " of " + r.length);
        }
        Object v = r[column - 1];
        if (v instanceof Answer.Param) {
            v = params[((Answer.Param) v).index()];
        }
        wasNull = v == null;
        return v;
    }

    @Override
    public int findColumn(String label) throws SQLException {
        String[] labels = answer.labels();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i].equalsIgnoreCase(label)) {
                return i + 1;
            }
        }
        throw new SQLException("no column " + label);
    }

    @Override
    public boolean next() throws SQLException {
        if (closed) {
            throw new SQLException("result set closed");
        }
        if (row < answer.rows().length) {
            row++;
        }
        return row < answer.rows().length;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean wasNull() {
        return wasNull;
    }

    @Override
    public java.sql.ResultSetMetaData getMetaData() {
        return answer.metaData();
    }

    @Override
    public Statement getStatement() {
        return statement;
    }

    @Override
    public java.sql.SQLWarning getWarnings() {
        return null;
    }

    @Override
    public void clearWarnings() {
    }

    @Override
    public Object getObject(int column) throws SQLException {
        return value(column);
    }

    @Override
    public Object getObject(String label) throws SQLException {
        return value(findColumn(label));
    }

    @Override
    public <T> T getObject(int column, Class<T> type) throws SQLException {
        Object v = value(column);
        if (v == null || type.isInstance(v)) {
            return type.cast(v);
        }
        if (type == LocalDateTime.class && v instanceof OffsetDateTime) {
            return type.cast(((OffsetDateTime) v).toLocalDateTime());
        }
        if (type == Long.class && v instanceof Number) {
            return type.cast(((Number) v).longValue());
        }
        if (type == Integer.class && v instanceof Number) {
            return type.cast(((Number) v).intValue());
        }
        throw new SQLException("cannot read " + v.getClass().getName() + " as " + type.getName());
    }

    @Override
    public <T> T getObject(String label, Class<T> type) throws SQLException {
        return getObject(findColumn(label), type);
    }

    @Override
    public String getString(int column) throws SQLException {
        Object v = value(column);
        return v == null ? null : v.toString();
    }

    @Override
    public String getString(String label) throws SQLException {
        return getString(findColumn(label));
    }

    @Override
    public long getLong(int column) throws SQLException {
        Object v = value(column);
        return v == null ? 0L : ((Number) v).longValue();
    }

    @Override
    public long getLong(String label) throws SQLException {
        return getLong(findColumn(label));
    }

    @Override
    public int getInt(int column) throws SQLException {
        Object v = value(column);
        return v == null ? 0 : ((Number) v).intValue();
    }

    @Override
    public int getInt(String label) throws SQLException {
        return getInt(findColumn(label));
    }

    @Override
    public boolean getBoolean(int column) throws SQLException {
        Object v = value(column);
        return v instanceof Boolean ? (Boolean) v : v != null && ((Number) v).intValue() != 0;
    }

    @Override
    public boolean getBoolean(String label) throws SQLException {
        return getBoolean(findColumn(label));
    }

    @Override
    public byte[] getBytes(int column) throws SQLException {
        return (byte[]) value(column);
    }

    @Override
    public byte[] getBytes(String label) throws SQLException {
        return getBytes(findColumn(label));
    }

    @Override
    public BigDecimal getBigDecimal(int column) throws SQLException {
        Object v = value(column);
        return v == null || v instanceof BigDecimal ? (BigDecimal) v : BigDecimal.valueOf(((Number) v).longValue());
    }

    @Override
    public Timestamp getTimestamp(int column) throws SQLException {
        Object v = value(column);
        return v == null ? null : Timestamp.valueOf(((OffsetDateTime) v).toLocalDateTime());
    }

    @Override
    public Timestamp getTimestamp(String label) throws SQLException {
        return getTimestamp(findColumn(label));
    }
}

package dev.latchkey.bench.stub;

import java.sql.SQLException;
import java.sql.Types;

/** The column labels of an {@link Answer}; made once per answer. */
final class StubResultSetMetaData extends NoResultSetMetaData {
    private final String[] labels;

    StubResultSetMetaData(String[] labels) {
        this.labels = labels;
    }

    @Override
    public int getColumnCount() {
        return labels.length;
    }

    @Override
    public String getColumnLabel(int column) throws SQLException {
        return label(column);
    }

    @Override
    public String getColumnName(int column) throws SQLException {
        return label(column);
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        label(column);
        return Types.OTHER;
    }

    private String label(int column) throws SQLException {
        if (column < 1 || column > labels.length) {
            throw new SQLException("no column " + column + " of " + labels.length);
        }
        return labels[column - 1];
    }
}

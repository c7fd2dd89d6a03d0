package dev.latchkey.jdbc.update;

import java.util.ArrayList;
import java.util.List;

import dev.latchkey.jdbc.dialect.Dialect;
import org.jetbrains.annotations.Nullable;

/**
 * Accumulates one statement's SQL and its bound parameters while expressions and conditions
 * render themselves. Values only ever become {@code ?} plus a parameter; names only ever go
 * through {@link Dialect#identifier(String, String)}. Thread-confined, used once.
 */
final class SqlWriter {
    /** Where column references point. */
    enum Mode {
        /** An {@code UPDATE}: a column is the row being updated. */
        UPDATE,
        /** An upsert's conflict assignments: a column is the existing row, {@code excluded} the proposed one. */
        UPSERT,
        /** {@link Object#toString()}: no dialect, names as given. */
        DEBUG
    }

    private final @Nullable Dialect dialect;
    private final Mode mode;
    private final StringBuilder sql = new StringBuilder(128);
    private final List<Object> params = new ArrayList<>();

    SqlWriter(@Nullable Dialect dialect, Mode mode) {
        this.dialect = dialect;
        this.mode = mode;
    }

    static SqlWriter debug() {
        return new SqlWriter(null, Mode.DEBUG);
    }

    SqlWriter append(String s) {
        sql.append(s);
        return this;
    }

    /** Appends a bound parameter. */
    SqlWriter param(@Nullable Object value) {
        sql.append('?');
        params.add(value);
        return this;
    }

    /** Appends a reference to a column of the row being written. */
    SqlWriter column(String name) {
        String rendered = name(name);
        sql.append(mode == Mode.UPSERT ? dialect().upsertExisting(rendered) : rendered);
        return this;
    }

    /** Appends a reference to the value an upsert tried to insert. */
    SqlWriter proposed(String name) {
        if (mode == Mode.UPDATE) {
            throw new IllegalArgumentException("excluded(\"" + name + "\") refers to the value an upsert tried to "
                    + "insert; it can only be used in Upsert.onConflict(...)");
        }
        String rendered = name(name);
        sql.append(mode == Mode.UPSERT ? dialect().upsertProposed(rendered) : "excluded." + rendered);
        return this;
    }

    /** Appends the database's current time. */
    SqlWriter now() {
        sql.append(dialect == null ? "CURRENT_TIMESTAMP" : dialect.currentTimestamp());
        return this;
    }

    /** Renders a validated column name. */
    String name(String column) {
        return dialect == null ? column : dialect.identifier("column", column);
    }

    Dialect dialect() {
        if (dialect == null) {
            throw new IllegalStateException("no dialect");
        }
        return dialect;
    }

    String sql() {
        return sql.toString();
    }

    List<Object> params() {
        return params;
    }
}

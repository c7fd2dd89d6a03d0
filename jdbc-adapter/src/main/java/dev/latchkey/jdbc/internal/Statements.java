package dev.latchkey.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

import org.jetbrains.annotations.NotNull;

/** Binding of values to statements: the one place every Latchkey statement gets its parameters. */
public final class Statements {
    private Statements() {
    }

    /**
     * Binds values to a statement's parameters, in order; {@code null} is bound as SQL NULL.
     *
     * @param ps the statement
     * @param params the values, one per {@code ?}
     * @throws SQLException if the driver refuses a value
     */
    public static void bind(@NotNull PreparedStatement ps, @NotNull List<?> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object v = params.get(i);
            if (v == null) {
                ps.setNull(i + 1, Types.NULL);
            } else {
                ps.setObject(i + 1, v);
            }
        }
    }
}

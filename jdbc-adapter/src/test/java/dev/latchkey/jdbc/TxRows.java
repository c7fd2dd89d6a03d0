package dev.latchkey.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import dev.latchkey.jdbc.testing.TestDatabase;

/** A table of {@code (id, v)} rows and the hostile-user tricks the transaction tests share. */
final class TxRows {
    private TxRows() {
    }

    /** A fresh table named after {@code prefix} holding row 1 with {@code v = 0}. */
    static String table(TestDatabase db, String prefix) {
        String t = db.table(prefix, "id BIGINT PRIMARY KEY, v BIGINT NOT NULL");
        db.execute("INSERT INTO " + t + " (id, v) VALUES (1, 0)");
        return t;
    }

    static void insert(Connection c, String t, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + " (id, v) VALUES (?, 0)")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** Throws any throwable, checked or not, without declaring it: what Kotlin and Lombok's {@code @SneakyThrows} do. */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> void sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }
}

package dev.latchkey.jdbc.update;

import dev.latchkey.jdbc.testing.TestDatabase;

/** The tables the update tests write, with each database's types. */
final class Tables {
    private Tables() {
    }

    /** A column type with microsecond precision that never updates itself. */
    static String timestamp(TestDatabase db) {
        return db.product().isMySqlFamily() ? "DATETIME(6)" : "TIMESTAMP(6)";
    }

    /** {@code id, stock, version, note, updated_at}. */
    static String product(TestDatabase db) {
        return db.table("product", "id BIGINT PRIMARY KEY, stock INT NOT NULL, version BIGINT NOT NULL DEFAULT 0, "
                + "note VARCHAR(50), updated_at " + timestamp(db));
    }

    /** Inserts a product row at version 0. */
    static void insert(TestDatabase db, String table, long id, int stock) {
        db.execute("INSERT INTO " + table + " (id, stock, version, note, updated_at) VALUES (?, ?, 0, NULL, ?)", id,
                stock, java.sql.Timestamp.valueOf("2024-01-01 00:00:00.000001"));
    }

    static long stock(TestDatabase db, String table, long id) {
        return db.queryLong("SELECT stock FROM " + table + " WHERE id = ?", id);
    }

    /** The stock as a connection sees it (inside its own transaction). */
    static long stockOn(java.sql.Connection c, String table, long id) throws java.sql.SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT stock FROM " + table + " WHERE id = ?")) {
            ps.setLong(1, id);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static long version(TestDatabase db, String table, long id) {
        return db.queryLong("SELECT version FROM " + table + " WHERE id = ?", id);
    }
}

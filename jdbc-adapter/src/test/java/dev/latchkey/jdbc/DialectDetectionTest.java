package dev.latchkey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;

class DialectDetectionTest {

    @DatabaseTest
    void detectsTheProductOfEveryDatabase(TestDatabase db) {
        Latchkey latchkey = db.latchkey();
        assertThat(latchkey.dialect().product()).isEqualTo(db.product());
        assertThat(latchkey.dialect().majorVersion()).isPositive();
    }

    @DatabaseTest
    void countsOneStatementPerExecution(TestDatabase db) throws Exception {
        String t = db.table("counted", "id BIGINT PRIMARY KEY, n INT NOT NULL");
        db.execute("INSERT INTO " + t + " (id, n) VALUES (1, 0)");
        var counting = db.counting();
        try (var c = counting.getConnection(); var ps = c.prepareStatement("UPDATE " + t + " SET n = n + 1 WHERE id = ?")) {
            ps.setLong(1, 1);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(counting.statements()).isEqualTo(1);
        assertThat(counting.executedSql()).containsExactly("UPDATE " + t + " SET n = n + 1 WHERE id = ?");
        assertThat(db.queryLong("SELECT n FROM " + t + " WHERE id = 1")).isEqualTo(1);
    }
}

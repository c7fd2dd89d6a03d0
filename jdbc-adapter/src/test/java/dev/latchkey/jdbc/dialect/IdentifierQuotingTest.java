package dev.latchkey.jdbc.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.Test;

class IdentifierQuotingTest {

    @Test
    void quotesReservedWordsWithEachDialectsQuoteCharacter() {
        assertThat(Dialect.of(DatabaseProduct.POSTGRESQL, 15, 0).identifier("column", "order")).isEqualTo("\"order\"");
        assertThat(Dialect.of(DatabaseProduct.MARIADB, 10, 11).identifier("column", "order")).isEqualTo("`order`");
        assertThat(Dialect.of(DatabaseProduct.H2, 2, 3).identifier("column", "status")).isEqualTo("\"STATUS\"");
        assertThat(Dialect.of(DatabaseProduct.POSTGRESQL, 15, 0).identifier("table", "shop.orders"))
                .isEqualTo("shop.orders");
    }

    @Test
    void rejectsAnythingThatIsNotAPlainName() {
        assertThatThrownBy(() -> Dialect.of(DatabaseProduct.H2, 2, 3).identifier("table", "t; DROP TABLE x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table=");
        assertThatThrownBy(() -> Dialect.of(DatabaseProduct.H2, 2, 3).identifier("column", "a.b.c"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Dialect.of(DatabaseProduct.H2, 2, 3).identifier("column", "1abc"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @DatabaseTest
    void aQuotedReservedWordNamesTheColumnCreatedWithoutQuotes(TestDatabase db) {
        String t = db.table("quoting", "id BIGINT PRIMARY KEY, status INT NOT NULL");
        db.execute("INSERT INTO " + t + " (id, status) VALUES (1, 7)");
        String status = db.latchkey().dialect().identifier("column", "status");
        assertThat(db.queryLong("SELECT " + status + " FROM " + t + " WHERE id = 1")).isEqualTo(7);
    }
}

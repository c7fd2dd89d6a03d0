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
        assertThat(Dialect.of(DatabaseProduct.H2, 2, 3).identifier("column", "value")).isEqualTo("\"VALUE\"");
        assertThat(Dialect.of(DatabaseProduct.H2, 2, 3).identifier("column", "status")).isEqualTo("status");
        assertThat(Dialect.of(DatabaseProduct.MARIADB, 10, 11).identifier("column", "condition")).isEqualTo("`condition`");
        assertThat(Dialect.of(DatabaseProduct.MYSQL, 8, 0).identifier("column", "lateral")).isEqualTo("`lateral`");
        assertThat(Dialect.of(DatabaseProduct.POSTGRESQL, 15, 0).identifier("column", "authorization"))
                .isEqualTo("\"authorization\"");
        assertThat(Dialect.of(DatabaseProduct.POSTGRESQL, 15, 0).identifier("table", "shop.orders"))
                .isEqualTo("shop.orders");
    }

    @Test
    void aQuotedKeywordIsFoldedAsTheDatabaseFoldsUnquotedNames() {
        // PostgreSQL folds to lower case: "Order" would be another column than Order (= order)
        assertThat(Dialect.of(DatabaseProduct.POSTGRESQL, 15, 0).identifier("column", "Order")).isEqualTo("\"order\"");
        assertThat(Dialect.of(DatabaseProduct.POSTGRESQL, 15, 0).identifier("column", "Status")).isEqualTo("Status");
        assertThat(Dialect.of(DatabaseProduct.H2, 2, 3).identifier("column", "Value")).isEqualTo("\"VALUE\"");
        assertThat(Dialect.of(DatabaseProduct.MARIADB, 10, 11).identifier("column", "Condition")).isEqualTo("`Condition`");
    }

    @Test
    void aNameInDoubleQuotesIsRenderedVerbatimWithTheDialectsQuoteCharacter() {
        assertThat(Dialect.of(DatabaseProduct.POSTGRESQL, 15, 0).identifier("table", "shop.\"OrderLines\""))
                .isEqualTo("shop.\"OrderLines\"");
        assertThat(Dialect.of(DatabaseProduct.H2, 2, 3).identifier("column", "\"Qty\"")).isEqualTo("\"Qty\"");
        assertThat(Dialect.of(DatabaseProduct.MARIADB, 10, 11).identifier("table", "\"Order Lines\".\"Qty\""))
                .isEqualTo("`Order Lines`.`Qty`");
    }

    @Test
    void aQuotedNameIsStillValidated() {
        Dialect d = Dialect.of(DatabaseProduct.POSTGRESQL, 15, 0);
        for (String bad : new String[] {"\"\"", "\"a\"\"b\"", "\"a`b\"", "\"a'b\"", "\"a.b\"", "\"a\nb\"",
                "\"a\u0000\"", "\" a\"", "\"a \"", "\"" + "x".repeat(64) + "\"", "\"" + "\u00e9".repeat(32) + "\"",
                "\"a\".\"b\".\"c\"", "\"abc", "abc\""}) {
            assertThatThrownBy(() -> d.identifier("table", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table=");
        }
        assertThat(d.identifier("table", "\"" + "x".repeat(63) + "\"")).hasSize(65);
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

    @DatabaseTest
    void aMixedCaseNameDenotesTheColumnCreatedWithoutQuotes(TestDatabase db) {
        String t = db.table("folding", "id BIGINT PRIMARY KEY, status INT NOT NULL, balance INT NOT NULL, "
                + db.latchkey().dialect().identifier("column", "order") + " INT NOT NULL");
        db.execute("INSERT INTO " + t + " VALUES (1, 0, 0, 0)");
        assertThat(db.latchkey().update(t).set("Status", 3).set("Balance", 4).set("Order", 5).whereId(1).execute()
                .applied()).isTrue();
        String order = db.latchkey().dialect().identifier("column", "order");
        assertThat(db.queryLong("SELECT status * 100 + balance * 10 + " + order + " FROM " + t)).isEqualTo(345);
    }

    @DatabaseTest
    void aQuotedMixedCaseTableAndColumnAreAddressedInDoubleQuotes(TestDatabase db) {
        Dialect d = db.latchkey().dialect();
        String table = "\"OrderLines_" + db.uniqueName("q") + "\"";
        String rendered = d.identifier("table", table);
        db.execute("CREATE TABLE " + rendered + " (id BIGINT PRIMARY KEY, " + d.identifier("column", "\"Qty\"") + " INT)");
        db.dropAfterTest(rendered);
        db.execute("INSERT INTO " + rendered + " VALUES (1, 0)");
        assertThat(db.latchkey().update(table).set("\"Qty\"", 7).whereId(1).execute().applied()).isTrue();
        assertThat(db.queryLong("SELECT " + d.identifier("column", "\"Qty\"") + " FROM " + rendered)).isEqualTo(7);
    }
}

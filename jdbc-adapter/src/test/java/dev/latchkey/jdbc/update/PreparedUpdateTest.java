package dev.latchkey.jdbc.update;

import static dev.latchkey.jdbc.update.Expressions.col;
import static dev.latchkey.jdbc.update.Expressions.param;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import dev.latchkey.StaleVersionException;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** {@link Update#prepare()}: rendered once, run with arguments; the same outcomes as the builder. */
class PreparedUpdateTest {

    private static PreparedUpdate sell(Latchkey lk, String table) {
        return lk.update(table).set("stock", col("stock").minus(param(Long.class))).whereId(param(Long.class))
                .require(col("stock").ge(param(Long.class))).returning("stock").prepare();
    }

    @Test
    void rendersTheBuildersSqlWithOneArgumentPerPlaceholder() {
        PreparedUpdate sell = Dialects.POSTGRES.update("product").set("stock", col("stock").minus(param()))
                .whereId(param()).require(col("stock").ge(param())).prepare();
        assertThat(sell.toSql()).isEqualTo("UPDATE product SET stock = stock - ? WHERE id = ? AND stock >= ?");
        assertThat(sell.argumentCount()).isEqualTo(3);
        PreparedUpdate mixed = Dialects.POSTGRES.update("product").set("note", "sold").set("stock", param())
                .where("tenant", "acme").where("id", param()).prepare();
        assertThat(mixed.argumentCount()).isEqualTo(2);
        assertThat(mixed.toSql()).isEqualTo("UPDATE product SET note = ?, stock = ? WHERE tenant = ? AND id = ?");
    }

    @Test
    void refusesWrongArgumentsNamingThem() {
        PreparedUpdate sell = sell(Dialects.POSTGRES, "product");
        assertThatThrownBy(() -> sell.execute(1L, 2L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("update of product takes 3 argument(s)").hasMessageContaining("[1, 2]");
        assertThatThrownBy(() -> sell.execute(1L, "x", 1L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 2 of update of product must be a java.lang.Long: argument=x (java.lang.String)");
        assertThatThrownBy(() -> sell.execute(1L, null, 1L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("argument 2 of update of product must not be null");
        assertThatThrownBy(() -> sell.execute((Object[]) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("arguments");
        PreparedUpdate any = Dialects.POSTGRES.update("product").set("stock", param()).whereId(1L).prepare();
        assertThatThrownBy(() -> any.execute(col("stock"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be a value to bind");
        PreparedUpdate versioned = Dialects.POSTGRES.update("product").set("stock", 1L).whereId(param())
                .expectVersion(param()).prepare();
        assertThatThrownBy(() -> versioned.execute(1L, "v1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected version of a numeric version column");
    }

    @Test
    void aBuilderHoldingPlaceholdersRunsOnlyPrepared() {
        Update u = Dialects.POSTGRES.update("product").set("stock", param()).whereId(1L);
        assertThatThrownBy(u::execute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds param() placeholders");
        assertThatThrownBy(() -> Dialects.POSTGRES.update("product").set("stock", 1L).whereId(col("id")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes a value to bind");
    }

    @DatabaseTest
    void sellsLikeTheBuilderOnEveryDatabase(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 5);
        Tables.insert(db, t, 2, 5);
        Latchkey lk = db.latchkey();
        PreparedUpdate sell = sell(lk, t);

        UpdateResult first = sell.execute(3L, 1L, 3L);
        assertThat(first.applied()).isTrue();
        assertThat(first.key()).isEqualTo(1L);
        assertThat(first.getLong("stock")).isEqualTo(2);
        UpdateResult second = sell.execute(3L, 1L, 3L);
        assertThat(second.guardFailed()).isTrue();
        assertThat(second.getLong("stock")).isEqualTo(2);
        assertThat(sell.execute(1L, 99L, 1L).notFound()).isTrue();
        UpdateResult builder = lk.update(t).set("stock", col("stock").minus(3L)).whereId(2L)
                .require(col("stock").ge(3L)).returning("stock").execute();
        assertThat(builder.applied()).isTrue();
        assertThat(builder.getLong("stock")).isEqualTo(2);
        assertThat(List.of(Tables.stock(db, t, 1), Tables.stock(db, t, 2))).containsExactly(2L, 2L);

        // inside the caller's transaction, and rolled back with it
        assertThatThrownBy(() -> lk.transactions().run(tx -> {
            assertThat(sell.execute(tx, 1L, 2L, 1L).getLong("stock")).isEqualTo(1);
            throw new IllegalStateException("roll back");
        })).hasMessage("roll back");
        assertThat(Tables.stock(db, t, 2)).isEqualTo(2);
    }

    @DatabaseTest
    void checksVersionsLikeTheBuilder(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 5);
        PreparedUpdate restock = db.latchkey().update(t).set("stock", param(Integer.class)).whereId(param(Long.class))
                .expectVersion(param(Long.class)).prepare();
        UpdateResult r = restock.execute(9, 1L, 0L);
        assertThat(r.applied()).isTrue();
        assertThat(((Number) r.newVersion()).longValue()).isEqualTo(1L);
        assertThatThrownBy(() -> restock.execute(8, 1L, 0L)).isInstanceOfSatisfying(StaleVersionException.class,
                e -> assertThat(((Number) e.actualVersion()).longValue()).isEqualTo(1L));
        assertThat(Tables.stock(db, t, 1)).isEqualTo(9);
        assertThat(Tables.version(db, t, 1)).isEqualTo(1);
    }
}

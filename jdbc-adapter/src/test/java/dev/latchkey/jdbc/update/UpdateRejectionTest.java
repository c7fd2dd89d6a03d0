package dev.latchkey.jdbc.update;

import static dev.latchkey.jdbc.update.Expressions.coalesce;
import static dev.latchkey.jdbc.update.Expressions.col;
import static dev.latchkey.jdbc.update.Expressions.excluded;
import static dev.latchkey.jdbc.update.Expressions.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import dev.latchkey.jdbc.Latchkey;
import org.junit.jupiter.api.Test;

/** Bad input is refused with a message that names it, before anything reaches a database. */
class UpdateRejectionTest {
    private static final Latchkey LK = Dialects.POSTGRES;

    @Test
    void badTableNames() {
        assertThatThrownBy(() -> LK.update("product; DROP TABLE x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table").hasMessageContaining("product; DROP TABLE x");
        assertThatThrownBy(() -> LK.update("a.b.c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a.b.c");
        assertThatThrownBy(() -> LK.update(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table");
        assertThatThrownBy(() -> LK.upsert("1table")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1table");
    }

    @Test
    void badColumnNamesEverywhere() {
        Update u = LK.update("product");
        assertThatThrownBy(() -> u.set("stock = 0 --", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column").hasMessageContaining("stock = 0 --");
        assertThatThrownBy(() -> u.where("id OR 1=1", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key column").hasMessageContaining("id OR 1=1");
        assertThatThrownBy(() -> col("x\"y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x\"y");
        assertThatThrownBy(() -> col("t.stock")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("t.stock");
        assertThatThrownBy(() -> u.returning("ok", "bad name")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("returning column").hasMessageContaining("bad name");
        assertThatThrownBy(() -> u.versionColumn("v-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version column").hasMessageContaining("v-1");
        assertThatThrownBy(() -> excluded("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LK.upsert("c").key("k k", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k k");
    }

    @Test
    void emptySetIsRefused() {
        assertThatThrownBy(() -> LK.update("product").whereId(1).toSql()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sets no column").hasMessageContaining("product");
        assertThatThrownBy(() -> LK.update("product").whereId(1).expectVersion(1).execute())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sets no column");
    }

    @Test
    void nullAndMissingKeysAreRefused() {
        assertThatThrownBy(() -> LK.update("product").whereId(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key column id must not be null");
        assertThatThrownBy(() -> LK.update("product").where("sku", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key column sku");
        assertThatThrownBy(() -> LK.update("product").set("stock", 1).toSql())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no key");
        assertThatThrownBy(() -> LK.update("product").set("stock", 1).forEachId(java.util.Arrays.asList(1, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key column id");
        assertThatThrownBy(() -> LK.upsert("c").key("k", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key column k");
        assertThatThrownBy(() -> LK.update("product").whereId(1).whereId(2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    @Test
    void nullOperandsAndMisplacedConditionsAreRefused() {
        assertThatThrownBy(() -> col("stock").minus(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minus");
        assertThatThrownBy(() -> col("stock").eq(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("isNull");
        assertThatThrownBy(() -> coalesce(col("a"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LK.update("p").set("a", col("b").eq(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Condition");
        assertThatThrownBy(() -> value(col("a"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LK.update("p").require(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("guard");
        assertThatThrownBy(() -> LK.update("p").expectVersion(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected version");
    }

    @Test
    void inconsistentUpdatesAreRefused() {
        assertThatThrownBy(() -> LK.update("p").set("a", 1).set("A", 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set twice");
        assertThatThrownBy(() -> LK.update("p").set("id", 2).whereId(1).toSql())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("part of the key");
        assertThatThrownBy(() -> LK.update("p").set("version", 2).whereId(1).expectVersion(1).toSql())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version column");
        assertThatThrownBy(() -> LK.update("p").set("a", excluded("a")).whereId(1).toSql())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Upsert.onConflict");
        assertThatThrownBy(() -> LK.update("p").set("a", 1).whereId(1).expectVersion("3").toSql())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expectedVersion=3");
        assertThatThrownBy(() -> LK.update("p").set("a", 1).whereId(1).timestampVersionColumn("ts").expectVersion(3L)
                .toSql()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timestamp");
        assertThatThrownBy(() -> LK.update("p").returning("a", "a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
    }

    @Test
    void batchesMustShareOneShapeAndReturnNothing() {
        assertThatThrownBy(() -> LK.batch(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
        BatchUpdate mixed = LK.batch(List.of(LK.update("p").set("a", 1).whereId(1),
                LK.update("p").set("b", 1).whereId(2)));
        assertThatThrownBy(mixed::toSql).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same statement");
        assertThatThrownBy(() -> LK.batch(List.of(LK.update("p").set("a", 1).whereId(1),
                LK.update("q").set("a", 1).whereId(2)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same table");
        BatchUpdate returning = LK.update("p").set("a", 1).returning("a").forEachId(List.of(1, 2));
        assertThatThrownBy(returning::toSql).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("returning");
    }

    @Test
    void incompleteOrInconsistentUpsertsAreRefused() {
        assertThatThrownBy(() -> LK.upsert("c").increment("n", 1).toSql()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no key");
        assertThatThrownBy(() -> LK.upsert("c").key("k", 1).value("n", 1).toSql())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no onConflict");
        assertThatThrownBy(() -> LK.upsert("c").key("k", 1).value("n", 1).onConflict("k", 2).toSql())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("part of the upsert key");
        assertThatThrownBy(() -> LK.upsert("c").key("k", 1).onConflict("n", col("n").plus(excluded("m"))).toSql())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("excluded(m)");
        assertThatThrownBy(() -> LK.upsert("c").key("k", 1).value("n", col("n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bound");
        assertThatThrownBy(() -> LK.upsert("c").key("k", 1).value("k", 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
    }

    @Test
    void aDialectWithoutUpdateReturningSaysSoByName() {
        assertThat(UpdateSql.of(Dialects.MARIADB.dialect()).supportsUpdateReturning()).isFalse();
        assertThatThrownBy(() -> UpdateSql.of(Dialects.MARIADB.dialect()).updateReturning("UPDATE t SET a = 1", "a"))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("MariaDB 10.11")
                .hasMessageContaining("RETURNING");
        assertThatThrownBy(() -> UpdateSql.of(Dialects.MYSQL.dialect()).upsertReturning("INSERT ...", "a"))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("MySQL 8.0");
    }
}

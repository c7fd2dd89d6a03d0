package dev.latchkey.jdbc.update;

import static dev.latchkey.jdbc.update.Expressions.coalesce;
import static dev.latchkey.jdbc.update.Expressions.col;
import static dev.latchkey.jdbc.update.Expressions.now;
import static dev.latchkey.jdbc.update.Expressions.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import dev.latchkey.jdbc.Latchkey;
import org.junit.jupiter.api.Test;

/**
 * The render cache: a builder of a shape rendered before gets the same SQL and the same values as
 * a fresh rendering; builders that differ in shape never share a rendering; the cache stays
 * bounded however many shapes pass through it. No database needed.
 */
class RenderCacheTest {
    private static final List<Latchkey> DIALECTS = List.of(Dialects.POSTGRES, Dialects.MARIADB, Dialects.MYSQL,
            Dialects.H2);

    /** Shapes over {@code product}, each for two sets of values: {@code v} picks them. */
    private static List<Function<Long, Update>> shapes(Latchkey lk) {
        List<Function<Long, Update>> s = new ArrayList<>();
        s.add(v -> lk.update("product").set("stock", col("stock").minus(v)).whereId(v + 1).require(col("stock").ge(v)));
        s.add(v -> lk.update("product").set("stock", col("stock").plus(v)).whereId(v + 1).require(col("stock").ge(v)));
        s.add(v -> lk.update("product").set("stock", col("stock").minus(v)).whereId(v + 1).require(col("stock").gt(v)));
        s.add(v -> lk.update("product").set("stock", col("note").minus(v)).whereId(v + 1).require(col("stock").ge(v)));
        s.add(v -> lk.update("product").set("stock", col("stock").minus(v)).whereId(v + 1));
        s.add(v -> lk.update("product").set("stock", v).set("note", "n" + v).whereId(v + 1).expectVersion(v));
        s.add(v -> lk.update("product").set("note", "n" + v).set("stock", v).whereId(v + 1).expectVersion(v));
        s.add(v -> lk.update("product").set("stock", v).whereId(v + 1).versionColumn("rev").expectVersion(v));
        s.add(v -> lk.update("product").set("stock", v).whereId(v + 1).timestampVersionColumn("updated_at")
                .expectVersion(LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(v)));
        s.add(v -> lk.update("product").set("stock", v).whereId(v + 1).forceIncrement());
        s.add(v -> lk.update("product").set("stock", value(null)).set("updated_at", now()).whereId(v + 1)
                .returning("stock", "note"));
        s.add(v -> lk.update("product").set("stock", coalesce(col("stock"), v, col("version").times(v)))
                .where("tenant", "t" + v).where("id", v)
                .require(col("stock").ge(v).or(col("note").isNull()).and(col("version").lt(v))));
        s.add(v -> lk.update("product").set("stock", coalesce(col("stock"), v, col("version").times(v)))
                .where("tenant", "t" + v).where("id", v)
                .require(col("stock").ge(v).and(col("note").isNull()).and(col("version").lt(v))));
        s.add(v -> lk.update("product").set("a", col("b")).set("b", v).whereId(v));
        s.add(v -> lk.update("product").set("b", v).set("a", col("b")).whereId(v).returning("a"));
        return s;
    }

    @Test
    void aCachedRenderingIsTheRenderingOfTheBuilderItself() {
        for (Latchkey lk : DIALECTS) {
            for (Function<Long, Update> shape : shapes(lk)) {
                Update first = shape.apply(3L);
                Update second = shape.apply(11L);
                UpdatePlan p1 = first.plan();
                UpdatePlan p2 = second.plan();
                assertThat(p2.rendered).as("one rendering per shape").isSameAs(p1.rendered);
                for (Update u : List.of(first, second)) {
                    UpdatePlan cached = u.plan();
                    RenderedUpdate fresh = RenderedUpdate.render(u.spec, lk.dialect());
                    assertThat(cached.sql).as(lk + ": " + cached.sql).isEqualTo(fresh.sql);
                    assertThat(cached.followUpSql).isEqualTo(fresh.followUpSql);
                    assertThat(cached.readBackSql).isEqualTo(fresh.readBackSql);
                    assertThat(cached.statementColumns).isEqualTo(fresh.statementColumns);
                    assertThat(cached.keyedReadPrefix).isEqualTo(fresh.keyedReadPrefix);
                    assertThat(cached.params).hasSize(fresh.parameterCount);
                    assertThat(cached.params).as("the values in the order of the ?").isEqualTo(fresh.values(u.spec));
                }
                assertThat(p1.params).isNotEqualTo(p2.params);
            }
        }
    }

    @Test
    void valuesAreBoundInTheOrderOfTheParameters() {
        Update u = Dialects.POSTGRES.update("product").set("stock", col("stock").minus(3L).plus(col("version").times(4L)))
                .where("tenant", "acme").where("id", 7L).require(col("stock").ge(5L).or(col("note").ne("x")))
                .expectVersion(9L);
        assertThat(u.toSql()).isEqualTo("UPDATE product SET stock = (stock - ?) + (version * ?), version = version + 1 "
                + "WHERE tenant = ? AND id = ? AND (stock >= ? OR note <> ?) AND version = ?");
        assertThat(u.parameters()).containsExactly(3L, 4L, "acme", 7L, 5L, "x", 9L);
        // MariaDB and MySQL reorder the SET list: the values follow the rendered order
        Update m = Dialects.MARIADB.update("product").set("a", col("b").plus(1L)).set("b", 2L).whereId(3L);
        assertThat(m.toSql()).isEqualTo("UPDATE product SET a = b + ?, b = ? WHERE id = ?");
        Update r = Dialects.MARIADB.update("product").set("b", 2L).set("a", col("b").plus(1L)).whereId(3L);
        assertThat(r.toSql()).isEqualTo("UPDATE product SET a = b + ?, b = ? WHERE id = ?");
        assertThat(r.parameters()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void shapesThatRenderDifferentlyNeverShareARendering() {
        for (Latchkey lk : DIALECTS) {
            Set<String> sql = new HashSet<>();
            for (Function<Long, Update> shape : shapes(lk)) {
                Update u = shape.apply(5L);
                sql.add(u.toSql() + " | " + u.plan().followUpSql + " | " + u.plan().readBackSql);
                assertThat(u.toSql()).isEqualTo(RenderedUpdate.render(u.spec, lk.dialect()).sql);
            }
            assertThat(sql).as(lk.toString()).hasSize(shapes(lk).size());
        }
    }

    @Test
    void theSameShapeOnAnotherDialectIsRenderedForThatDialect() {
        Update pg = Dialects.POSTGRES.update("product").set("stock", 1L).whereId(1L).returning("stock");
        Update h2 = Dialects.H2.update("product").set("stock", 1L).whereId(1L).returning("stock");
        assertThat(pg.toSql()).endsWith("RETURNING stock");
        assertThat(h2.toSql()).startsWith("SELECT stock FROM FINAL TABLE (");
    }

    @Test
    void dynamicShapesDoNotGrowTheCacheBeyondItsCapacity() {
        for (int i = 0; i < 6 * RenderedUpdate.CACHE_CAPACITY; i++) {
            Dialects.POSTGRES.update("t_" + i).set("c" + (i % 7), (long) i).whereId((long) i).toSql();
            assertThat(RenderedUpdate.cachedShapes()).isLessThanOrEqualTo(RenderedUpdate.CACHE_CAPACITY);
        }
        // a shape in use stays cached while others come and go
        Function<Long, Update> hot = v -> Dialects.POSTGRES.update("hot").set("stock", col("stock").minus(v)).whereId(v);
        RenderedUpdate first = hot.apply(1L).plan().rendered;
        for (int i = 0; i < 4 * RenderedUpdate.CACHE_CAPACITY; i++) {
            Dialects.POSTGRES.update("churn_" + i).set("c", 1L).whereId(1L).toSql();
            if (i % 64 == 0) {
                assertThat(hot.apply((long) i).plan().rendered).isSameAs(first);
            }
        }
    }

    @Test
    void theCacheKeyComparesEveryComponentOfTheSpec() {
        // a component added to UpdateSpec must be added to RenderedUpdate.Shape (hash and equals),
        // or two updates that render differently could share one rendering
        assertThat(Arrays.stream(UpdateSpec.class.getRecordComponents()).map(RecordComponent::getName))
                .containsExactly("table", "sets", "key", "guards", "returning", "version");
        assertThat(Arrays.stream(UpdateSpec.Version.class.getRecordComponents()).map(RecordComponent::getName))
                .containsExactly("column", "timestamp", "expected", "forceIncrement");
    }

    @Test
    void upsertsOfOneShapeShareTheirSqlAndBindTheirOwnValues() {
        for (Latchkey lk : DIALECTS) {
            Upsert a = lk.upsert("ledger").key("account", 7L).value("balance", 10L)
                    .onConflict("balance", col("balance").plus(Expressions.excluded("balance")).minus(1L));
            Upsert b = lk.upsert("ledger").key("account", 8L).value("balance", 20L)
                    .onConflict("balance", col("balance").plus(Expressions.excluded("balance")).minus(2L));
            assertThat(b.toSql()).as(lk.toString()).isEqualTo(a.toSql());
            assertThat(a.parameters()).containsExactly(7L, 10L, 1L);
            assertThat(b.parameters()).containsExactly(8L, 20L, 2L);
            Upsert other = lk.upsert("ledger").key("account", 8L).value("balance", 20L)
                    .onConflict("balance", col("balance").minus(Expressions.excluded("balance")).minus(2L));
            assertThat(other.toSql()).isNotEqualTo(a.toSql());
            Upsert returning = lk.upsert("ledger").key("account", 8L).value("balance", 20L)
                    .onConflict("balance", col("balance").plus(Expressions.excluded("balance")).minus(2L))
                    .returning("balance");
            if (lk != Dialects.MYSQL) {
                // MySQL has no INSERT ... RETURNING: the same statement, then a read-back
                assertThat(returning.toSql()).as(lk.toString()).isNotEqualTo(a.toSql());
            }
            assertThat(returning.parameters()).containsExactly(8L, 20L, 2L);
        }
        Upsert twoKeys = Dialects.POSTGRES.upsert("ledger").key("tenant", "t").key("account", 1L).increment("n", 3L);
        assertThat(twoKeys.toSql()).isEqualTo("INSERT INTO ledger AS t (tenant, account, n) VALUES (?, ?, ?) "
                + "ON CONFLICT (tenant, account) DO UPDATE SET n = t.n + EXCLUDED.n");
        assertThat(twoKeys.parameters()).containsExactly("t", 1L, 3L);
    }
}

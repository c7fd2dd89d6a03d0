package dev.latchkey.jdbc.lock;

import static dev.latchkey.jdbc.sql.Expression.column;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.sql.Expression;
import org.junit.jupiter.api.Test;

/**
 * The row-lock render cache: a query of a shape rendered before gets the same rendering (the same
 * object) and binds its own values; queries that differ in shape never share a rendering; the
 * cache stays bounded however many shapes pass through it; the advisory lock key is hashed once
 * per name. No database needed.
 */
class RowLockRenderCacheTest {
    private static final List<Dialect> DIALECTS = List.of(Dialect.of(DatabaseProduct.POSTGRESQL, 15, 4),
            Dialect.of(DatabaseProduct.MARIADB, 10, 11), Dialect.of(DatabaseProduct.MYSQL, 8, 0),
            Dialect.of(DatabaseProduct.H2, 2, 3));

    private static JdbcContext ctx(Dialect d) {
        return LockTestSupport.renderingContext(d);
    }

    /** Shapes over {@code product}, each for two sets of values: {@code v} picks them. */
    private static List<Function<Long, RowLockQuery>> shapes(Dialect d) {
        List<Function<Long, RowLockQuery>> s = new ArrayList<>();
        s.add(v -> RowLockQuery.of(ctx(d), "product").key(v));
        s.add(v -> RowLockQuery.of(ctx(d), "product").key(v).nowait());
        s.add(v -> RowLockQuery.of(ctx(d), "product").keys(v, v + 1));
        s.add(v -> RowLockQuery.of(ctx(d), "product").keys(v, v + 1, v + 2));
        s.add(v -> RowLockQuery.of(ctx(d), "product").keys(v, v + 1).nowait());
        s.add(v -> RowLockQuery.of(ctx(d), "product").keys(v, v + 1).skipLocked());
        s.add(v -> RowLockQuery.of(ctx(d), "product").keys(v, v + 1).timeout(Duration.ofSeconds(2)));
        s.add(v -> RowLockQuery.of(ctx(d), "product").keys(v, v + 1).timeout(Duration.ofSeconds(3)));
        s.add(v -> RowLockQuery.of(ctx(d), "product").keyColumn("sku").key(v));
        s.add(v -> RowLockQuery.of(ctx(d), "product").columns("stock").key(v));
        s.add(v -> RowLockQuery.of(ctx(d), "stock").key(v));
        s.add(v -> RowLockQuery.of(ctx(d), "product").where("state", "s" + v));
        s.add(v -> RowLockQuery.of(ctx(d), "product").where("state", "s" + v).limit(v.intValue()));
        s.add(v -> RowLockQuery.of(ctx(d), "product").where("state", "s" + v).claim(v.intValue()));
        s.add(v -> RowLockQuery.of(ctx(d), "product").where("state", "<>", "s" + v));
        s.add(v -> RowLockQuery.of(ctx(d), "product").where("stock", ">=", v).where("state", "s" + v));
        s.add(v -> RowLockQuery.of(ctx(d), "product").where(column("stock").ge(v).or(column("state").isNull())));
        s.add(v -> RowLockQuery.of(ctx(d), "product").where(column("stock").ge(v).and(column("state").isNull())));
        s.add(v -> RowLockQuery.of(ctx(d), "product").where("state", "s" + v).orderBy("stock"));
        s.add(v -> RowLockQuery.of(ctx(d), "product").where("state", "s" + v).orderByDescending("stock"));
        s.add(v -> RowLockQuery.of(ctx(d), "product").keys(v, v + 1).orderBy("stock").limit(2));
        return s;
    }

    @Test
    void aQueryOfAShapeRenderedBeforeGetsTheSameRenderingAndBindsItsOwnValues() {
        for (Dialect d : DIALECTS) {
            for (Function<Long, RowLockQuery> shape : shapes(d)) {
                RowLockQuery first = shape.apply(3L);
                RowLockQuery second = shape.apply(11L);
                RenderedRowLock r1 = RenderedRowLock.of(first.spec, d, first.lockSql);
                RenderedRowLock r2 = RenderedRowLock.of(second.spec, d, second.lockSql);
                assertThat(r2).as("one rendering per shape: " + first).isSameAs(r1);
                for (RowLockQuery q : List.of(first, second)) {
                    RowLockSpec.Rendered fresh = q.spec.render(d, q.lockSql);
                    assertThat(q.sql()).as(d.name() + ": " + fresh.sql()).isEqualTo(fresh.sql());
                    assertThat(r1.values(q.spec)).as("the values in the order of the ?").isEqualTo(fresh.params());
                }
                assertThat(r1.values(first.spec)).isNotEqualTo(r1.values(second.spec));
            }
        }
    }

    @Test
    void shapesThatRenderDifferentlyNeverShareARendering() {
        for (Dialect d : DIALECTS) {
            Set<RenderedRowLock> renderings = new HashSet<>();
            Set<String> sql = new HashSet<>();
            for (Function<Long, RowLockQuery> shape : shapes(d)) {
                RowLockQuery q = shape.apply(5L);
                renderings.add(RenderedRowLock.of(q.spec, d, q.lockSql));
                sql.add(q.sql());
                assertThat(q.sql()).isEqualTo(q.spec.render(d, q.lockSql).sql());
            }
            // the two timeouts render alike where the timeout is a setting around the statement
            assertThat(renderings).as(d.name()).hasSize(shapes(d).size());
            assertThat(sql.size()).as(d.name()).isGreaterThanOrEqualTo(shapes(d).size() - 2);
        }
    }

    @Test
    void theSameShapeOnAnotherDialectIsRenderedForThatDialect() {
        RowLockQuery pg = RowLockQuery.of(ctx(DIALECTS.get(0)), "product").where("state", "x").claim(2);
        RowLockQuery maria = RowLockQuery.of(ctx(DIALECTS.get(1)), "product").where("state", "x").claim(2);
        assertThat(RenderedRowLock.of(pg.spec, DIALECTS.get(0), pg.lockSql))
                .isNotSameAs(RenderedRowLock.of(maria.spec, DIALECTS.get(1), maria.lockSql));
    }

    @Test
    void dynamicShapesDoNotGrowTheCacheBeyondItsCapacity() {
        Dialect pg = DIALECTS.get(0);
        for (int i = 0; i < 6 * RenderedRowLock.CACHE_CAPACITY; i++) {
            RowLockQuery.of(ctx(pg), "t_" + i).keyColumn("c" + (i % 7)).key((long) i).sql();
            assertThat(RenderedRowLock.cachedShapes()).isLessThanOrEqualTo(RenderedRowLock.CACHE_CAPACITY);
        }
        // a shape in use stays cached while others come and go
        Function<Long, RowLockQuery> hot = v -> RowLockQuery.of(ctx(pg), "hot").key(v).nowait();
        RowLockQuery h = hot.apply(1L);
        RenderedRowLock first = RenderedRowLock.of(h.spec, pg, h.lockSql);
        for (int i = 0; i < 4 * RenderedRowLock.CACHE_CAPACITY; i++) {
            RowLockQuery.of(ctx(pg), "churn_" + i).key(1L).sql();
            if (i % 64 == 0) {
                RowLockQuery again = hot.apply((long) i);
                assertThat(RenderedRowLock.of(again.spec, pg, again.lockSql)).isSameAs(first);
            }
        }
    }

    @Test
    void aPreparedQueryUsesTheCachedRendering() {
        Dialect pg = DIALECTS.get(0);
        RowLockQuery q = RowLockQuery.of(ctx(pg), "product").key(Expression.placeholder(Long.class)).nowait();
        PreparedRowLockQuery p = q.prepare();
        assertThat(p.toSql()).isEqualTo("SELECT * FROM product WHERE id = ? FOR UPDATE NOWAIT")
                .isSameAs(RowLockQuery.of(ctx(pg), "product").key(7L).nowait().sql());
        assertThat(p.argumentCount()).isEqualTo(1);
        assertThat(p).hasToString("PreparedRowLockQuery[SELECT * FROM product WHERE id = ? FOR UPDATE NOWAIT, "
                + "1 argument(s)]");
    }

    @Test
    void theCacheKeyComparesEveryComponentOfTheSpec() {
        // a component added to RowLockSpec must be added to RenderedRowLock.Shape (hash and equals),
        // or two queries that render differently could share one rendering
        assertThat(Arrays.stream(RowLockSpec.class.getRecordComponents()).map(RecordComponent::getName))
                .containsExactly("table", "keyColumn", "columns", "keys", "singleKey", "conditions", "order",
                        "strength", "waitPolicy", "timeout", "limit");
    }

    @Test
    void theAdvisoryLockKeyIsHashedOncePerName() {
        PostgresLockSql sql = new PostgresLockSql(DIALECTS.get(0));
        List<Object> first = sql.advisoryLockParameters("nightly-report", false, null);
        assertThat(first).containsExactly(AdvisoryLock.postgresKey("nightly-report"));
        assertThat(sql.advisoryLockParameters("nightly-report", true, null)).isSameAs(first);
        assertThat(sql.advisoryLockIdentity("nightly-report")).isEqualTo(first.get(0));
        assertThat(sql.advisoryLockParameters("other", false, null)).isNotEqualTo(first);
    }
}

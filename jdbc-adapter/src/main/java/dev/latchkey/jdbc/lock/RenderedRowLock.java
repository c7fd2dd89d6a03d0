package dev.latchkey.jdbc.lock;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.internal.BoundedCache;
import dev.latchkey.jdbc.internal.ShapeKey;
import dev.latchkey.jdbc.sql.Condition;
import dev.latchkey.jdbc.sql.Shapes;

/**
 * What rendering a locking read produces, for one shape of {@link RowLockQuery} (table, key
 * column, columns read, whether and how many keys, the structure of the conditions, order, lock
 * strength, wait policy, timeout, whether there is a limit) and one dialect, and nothing of its
 * values: the statement and how many parameters it has. Rendered once per shape and kept in a
 * bounded cache ({@value #CACHE_CAPACITY} shapes at most), so a fresh query per request with the
 * same shape only collects its values. Immutable.
 *
 * <p>Parameters, in order: the keys, the conditions' values, the limit.
 */
final class RenderedRowLock {
    /**
     * How many row-lock shapes the cache holds at most (all {@code Latchkey} instances together);
     * past that the least recently rendered ones are dropped and rendered again when next used.
     */
    static final int CACHE_CAPACITY = 512;

    private static final BoundedCache<ShapeKey<RowLockSpec>, RenderedRowLock> CACHE = new BoundedCache<>(CACHE_CAPACITY);

    /** The statement, with {@code ?} for every value. */
    final String sql;
    /** How many parameters {@link #sql} has. */
    final int parameterCount;

    private RenderedRowLock(String sql, int parameterCount) {
        this.sql = sql;
        this.parameterCount = parameterCount;
    }

    /**
     * The rendering of a query's shape for a dialect: from the cache, or rendered now (and cached)
     * when no query of that shape was rendered recently.
     *
     * @throws UnsupportedOperationException if the dialect cannot honour the lock options (nothing is cached then)
     */
    static RenderedRowLock of(RowLockSpec spec, Dialect dialect, LockSql lockSql) {
        ShapeKey<RowLockSpec> shape = new ShapeKey<>(dialect, spec, Shape.INSTANCE);
        RenderedRowLock r = CACHE.get(shape);
        if (r == null) {
            r = render(spec, dialect, lockSql);
            CACHE.put(shape, r);
        }
        return r;
    }

    /** Renders without the cache: what {@link #of} caches. */
    static RenderedRowLock render(RowLockSpec spec, Dialect dialect, LockSql lockSql) {
        RowLockSpec.Rendered r = spec.render(dialect, lockSql);
        return new RenderedRowLock(r.sql(), r.params().size());
    }

    /** Returns how many shapes the cache holds now (for tests: it never exceeds its capacity). */
    static int cachedShapes() {
        return CACHE.size();
    }

    /**
     * Returns the values of a query of this shape, in the order of {@link #sql}'s parameters
     * (placeholders stand as themselves).
     */
    List<Object> values(RowLockSpec spec) {
        List<Object> params = new ArrayList<>(parameterCount);
        List<Object> keys = spec.keys();
        if (keys != null) {
            for (int i = 0; i < keys.size(); i++) {
                params.add(keys.get(i));
            }
        }
        List<Condition> conditions = spec.conditions();
        for (int i = 0; i < conditions.size(); i++) {
            Shapes.values(conditions.get(i), params);
        }
        if (spec.limit() > 0) {
            params.add(spec.limit());
        }
        return params;
    }

    /**
     * The shape of a {@link RowLockSpec}: everything that decides the SQL, nothing of its values
     * (keys, condition values, the limit's value are bound). <b>Every component of
     * {@code RowLockSpec} must be compared here</b> ({@code RowLockRenderCacheTest} fails when
     * {@code RowLockSpec} gains a component).
     */
    enum Shape implements ShapeKey.Equivalence<RowLockSpec> {
        INSTANCE;

        private static int keyCount(RowLockSpec s) {
            return s.keys() == null ? -1 : s.keys().size();
        }

        @Override
        public int hash(RowLockSpec s) {
            int h = s.table().hashCode();
            h = (h * 31 + s.keyColumn().hashCode()) * 31 + s.columns().hashCode();
            h = (h * 31 + keyCount(s)) * 31 + (s.singleKey() ? 1 : 0);
            List<Condition> conditions = s.conditions();
            for (int i = 0; i < conditions.size(); i++) {
                h = h * 31 + Shapes.hash(conditions.get(i));
            }
            h = (h * 31 + s.order().hashCode()) * 31 + s.strength().hashCode();
            h = (h * 31 + s.waitPolicy().hashCode()) * 31 + Objects.hashCode(s.timeout());
            return h * 31 + (s.limit() > 0 ? 1 : 0);
        }

        @Override
        public boolean same(RowLockSpec a, RowLockSpec b) {
            if (!a.table().equals(b.table()) || !a.keyColumn().equals(b.keyColumn()) || !a.columns().equals(b.columns())
                    || keyCount(a) != keyCount(b) || a.singleKey() != b.singleKey()
                    || a.conditions().size() != b.conditions().size() || !a.order().equals(b.order())
                    || a.strength() != b.strength() || a.waitPolicy() != b.waitPolicy()
                    || !Objects.equals(a.timeout(), b.timeout()) || (a.limit() > 0) != (b.limit() > 0)) {
                return false;
            }
            for (int i = 0; i < a.conditions().size(); i++) {
                if (!Shapes.same(a.conditions().get(i), b.conditions().get(i))) {
                    return false;
                }
            }
            return true;
        }
    }
}

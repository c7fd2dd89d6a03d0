package dev.latchkey.jdbc.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.sql.Condition;
import dev.latchkey.jdbc.sql.Expression;
import dev.latchkey.jdbc.sql.SqlRenderer;
import org.jetbrains.annotations.Nullable;

/**
 * Everything a {@link RowLockQuery} has been told, as one immutable value, and how it renders:
 * each builder step is one wither here. Not API.
 *
 * @param table the table
 * @param keyColumn the key column
 * @param columns the columns to read; empty for all
 * @param keys the keys, sorted and distinct; {@code null} when the query is not restricted by key
 * @param singleKey whether {@code key(..)} set the keys (no {@code ORDER BY} needed)
 * @param conditions the {@code WHERE} terms besides the keys
 * @param order the {@code ORDER BY} terms before the key column
 * @param strength the lock strength
 * @param waitPolicy the wait policy
 * @param timeout the lock timeout, or {@code null}
 * @param limit the row limit, or 0 for none
 */
record RowLockSpec(String table, String keyColumn, List<String> columns, @Nullable List<Object> keys,
                   boolean singleKey, List<Condition> conditions, List<OrderTerm> order, LockStrength strength,
                   WaitPolicy waitPolicy, @Nullable Duration timeout, int limit) {

    /** All rows of a table, {@code FOR UPDATE}, waiting, key column {@code id}. */
    static RowLockSpec of(String table) {
        return new RowLockSpec(table, "id", List.of(), null, false, List.of(), List.of(), LockStrength.UPDATE,
                WaitPolicy.WAIT, null, 0);
    }

    RowLockSpec withKeyColumn(String column) {
        return new RowLockSpec(table, column, columns, keys, singleKey, conditions, order, strength, waitPolicy, timeout,
                limit);
    }

    RowLockSpec withColumns(List<String> list) {
        return new RowLockSpec(table, keyColumn, List.copyOf(list), keys, singleKey, conditions, order, strength,
                waitPolicy, timeout, limit);
    }

    RowLockSpec withKeys(List<Object> list, boolean single) {
        return new RowLockSpec(table, keyColumn, columns, list, single, conditions, order, strength, waitPolicy, timeout,
                limit);
    }

    RowLockSpec and(Condition condition) {
        return new RowLockSpec(table, keyColumn, columns, keys, singleKey, append(conditions, condition), order,
                strength, waitPolicy, timeout, limit);
    }

    RowLockSpec thenBy(OrderTerm term) {
        return new RowLockSpec(table, keyColumn, columns, keys, singleKey, conditions, append(order, term),
                strength, waitPolicy, timeout, limit);
    }

    RowLockSpec withLock(LockStrength s, WaitPolicy w, @Nullable Duration t, int n) {
        return new RowLockSpec(table, keyColumn, columns, keys, singleKey, conditions, order, s, w, t, n);
    }

    /**
     * This spec with another wait policy, refusing the combinations that contradict the one
     * chosen before ({@code nowait()} with {@code skipLocked()}, a timeout with either).
     *
     * @param w the new policy: {@code NOWAIT}, {@code SKIP_LOCKED}, or {@code WAIT} with a timeout
     * @param t the timeout, only with {@code WAIT}
     * @throws IllegalArgumentException naming both builder steps
     */
    RowLockSpec waiting(WaitPolicy w, @Nullable Duration t) {
        String step = t != null ? "timeout()" : step(w);
        if (waitPolicy != WaitPolicy.WAIT && waitPolicy != w) {
            throw new IllegalArgumentException(step + " cannot be combined with " + step(waitPolicy));
        }
        if (timeout != null && t == null) {
            throw new IllegalArgumentException(step + " cannot be combined with timeout(" + timeout + ")");
        }
        return withLock(strength, w, t, limit);
    }

    private static String step(WaitPolicy w) {
        return w == WaitPolicy.NOWAIT ? "nowait()" : "skipLocked()";
    }

    /**
     * Returns the keys, or an empty list when not restricted by key.
     *
     * @return the keys, or an empty list when not restricted by key
     */
    List<Object> keyList() {
        return keys == null ? List.of() : keys;
    }

    /**
     * The statement, with {@code ?} placeholders, and its parameters; see {@link RowLockQuery#sql()}.
     *
     * @param sql the statement
     * @param params the values bound to its placeholders, in order
     */
    record Rendered(String sql, List<Object> params) {
    }

    Rendered render(Dialect dialect, LockSql lockSql) {
        SqlRenderer select = SqlRenderer.of(dialect).append("SELECT ");
        if (columns.isEmpty()) {
            select.append("*");
        } else {
            boolean hasKey = false;
            for (String c : columns) {
                hasKey |= c.equalsIgnoreCase(keyColumn);
            }
            if (!hasKey) {
                select.append(dialect.identifier("keyColumn", keyColumn)).append(", ");
            }
            for (int i = 0; i < columns.size(); i++) {
                select.append(i == 0 ? "" : ", ").append(dialect.identifier("column", columns.get(i)));
            }
        }
        select.append(" FROM ").append(dialect.identifier("table", table));
        String and = " WHERE ";
        if (keys != null) {
            select.append(and).append(dialect.identifier("keyColumn", keyColumn));
            if (singleKey) {
                select.append(" = ").param(keys.get(0));
            } else {
                select.append(" IN (");
                for (int i = 0; i < keys.size(); i++) {
                    select.append(i == 0 ? "" : ", ").param(keys.get(i));
                }
                select.append(")");
            }
            and = " AND ";
        }
        for (Condition c : conditions) {
            select.append(and).condition(c);
            and = " AND ";
        }
        if (!singleKey) {
            select.append(" ORDER BY ").append(orderBy(dialect));
        }
        if (limit > 0) {
            select.append(" LIMIT ").param(limit);
        }
        return new Rendered(lockSql.lockingSelect(select.sql(), strength, waitPolicy, timeout), select.params());
    }

    /** The requested order, then the key column (unless it was requested). */
    private String orderBy(Dialect dialect) {
        List<String> terms = new ArrayList<>(order.size() + 1);
        boolean keyOrdered = false;
        for (OrderTerm t : order) {
            terms.add(dialect.identifier("column", t.column()) + (t.descending() ? " DESC" : ""));
            keyOrdered |= t.column().equalsIgnoreCase(keyColumn);
        }
        if (!keyOrdered) {
            terms.add(dialect.identifier("keyColumn", keyColumn));
        }
        return String.join(", ", terms);
    }

    /** What the query locks, for failure messages: e.g. {@code rows of product where id in [1, 2]}. */
    String describe() {
        return describe(keys);
    }

    /** What the query locks with these keys (a prepared query's arguments), for failure messages. */
    String describe(@Nullable List<Object> lockedKeys) {
        StringBuilder d = new StringBuilder(singleKey ? "row of " : "rows of ").append(table);
        String and = " where ";
        if (lockedKeys != null) {
            d.append(and).append(keyColumn).append(singleKey ? " = " + lockedKeys.get(0) : " in " + lockedKeys);
            and = " and ";
        }
        for (Condition c : conditions) {
            d.append(and).append(c);
            and = " and ";
        }
        return d.toString();
    }

    /**
     * Sorts and de-duplicates keys, so every transaction locks them in the same order; keys that
     * are all {@code param()} placeholders stay as given (a prepared query's arguments are bound to
     * them, and its {@code ORDER BY} keeps the lock order).
     *
     * @throws IllegalArgumentException if a key is {@code null}, placeholders and values are mixed,
     *         or the values cannot be ordered
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static List<Object> sortedDistinct(Collection<?> keys) {
        Objects.requireNonNull(keys, "keys");
        List<Object> list = new ArrayList<>(keys.size());
        int placeholders = 0;
        for (Object k : keys) {
            if (k == null) {
                throw new IllegalArgumentException("keys must not contain null: keys=" + keys);
            }
            if (Expression.isPlaceholder(k)) {
                placeholders++;
                list.add(k);
                continue;
            }
            if (!(k instanceof Comparable)) {
                throw new IllegalArgumentException("keys must be Comparable so they can be locked in one order: "
                        + k.getClass().getName());
            }
            list.add(k);
        }
        if (placeholders > 0) {
            if (placeholders != list.size()) {
                throw new IllegalArgumentException("keys must be all values or all param() placeholders, not both: "
                        + "keys=" + keys);
            }
            return List.copyOf(list);
        }
        try {
            list.sort((a, b) -> ((Comparable) a).compareTo(b));
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("keys must be mutually comparable (one type) so they can be locked "
                    + "in one order: keys=" + keys, e);
        }
        List<Object> distinct = new ArrayList<>(list.size());
        for (Object k : list) {
            if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(k)) {
                distinct.add(k);
            }
        }
        return List.copyOf(distinct);
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list);
        copy.add(item);
        return List.copyOf(copy);
    }

    /**
     * One {@code ORDER BY} term.
     *
     * @param column the column
     * @param descending whether descending
     */
    record OrderTerm(String column, boolean descending) {
    }
}

package dev.latchkey.jdbc.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jetbrains.annotations.NotNull;

/**
 * A guard: a condition on the row that must hold for an update to apply, evaluated by the
 * database in the same statement ({@code UPDATE ... WHERE id = ? AND stock >= ?}), so no other
 * writer can slip in between the check and the write. Made from an {@link Expression}
 * ({@code col("stock").ge(qty)}) and combined with {@link #and(Condition)} and
 * {@link #or(Condition)}. Immutable and thread-safe.
 *
 * <p>A guard that reads {@code NULL} is not true (SQL's three-valued logic): {@code col("n").ge(1)}
 * fails for a row whose {@code n} is {@code NULL}.
 *
 * <p>The one condition language of Latchkey's builders; {@link SqlRenderer#condition(Condition)}
 * renders it for a dialect.
 */
public abstract class Condition {

    Condition() {
    }

    /**
     * Both this and the other condition.
     *
     * @param other the other condition
     * @return {@code this AND other}
     */
    public @NotNull Condition and(@NotNull Condition other) {
        return Junction.of(true, this, Objects.requireNonNull(other, "other"));
    }

    /**
     * This or the other condition.
     *
     * @param other the other condition
     * @return {@code (this OR other)}
     */
    public @NotNull Condition or(@NotNull Condition other) {
        return Junction.of(false, this, Objects.requireNonNull(other, "other"));
    }

    abstract void render(SqlRenderer w);

    abstract void readColumns(Set<String> into);

    @Override
    public @NotNull String toString() {
        return SqlRenderer.describe(this::render);
    }

    /** {@code left op right}. */
    static final class Comparison extends Condition {
        final Expression left;
        final String operator;
        final Expression right;

        Comparison(Expression left, String operator, Expression right) {
            this.left = left;
            this.operator = operator;
            this.right = right;
        }

        @Override
        void render(SqlRenderer w) {
            w.binary(left, operator, right);
        }

        @Override
        void readColumns(Set<String> into) {
            left.readColumns(into);
            right.readColumns(into);
        }
    }

    /** {@code expr IS [NOT] NULL}. */
    static final class NullTest extends Condition {
        final Expression expression;
        final boolean isNull;

        NullTest(Expression expression, boolean isNull) {
            this.expression = expression;
            this.isNull = isNull;
        }

        @Override
        void render(SqlRenderer w) {
            expression.renderOperand(w);
            w.append(isNull ? " IS NULL" : " IS NOT NULL");
        }

        @Override
        void readColumns(Set<String> into) {
            expression.readColumns(into);
        }
    }

    /** {@code a AND b AND ...} or {@code (a OR b OR ...)}. */
    static final class Junction extends Condition {
        final boolean and;
        final List<Condition> parts;

        private Junction(boolean and, List<Condition> parts) {
            this.and = and;
            this.parts = List.copyOf(parts);
        }

        static Junction of(boolean and, Condition a, Condition b) {
            List<Condition> parts = new ArrayList<>();
            for (Condition c : List.of(a, b)) {
                if (c instanceof Junction && ((Junction) c).and == and) {
                    parts.addAll(((Junction) c).parts);
                } else {
                    parts.add(c);
                }
            }
            return new Junction(and, parts);
        }

        @Override
        void render(SqlRenderer w) {
            // an OR is always parenthesised, so it can sit inside an AND (and the WHERE clause) as is
            if (!and) {
                w.append("(");
            }
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    w.append(and ? " AND " : " OR ");
                }
                parts.get(i).render(w);
            }
            if (!and) {
                w.append(")");
            }
        }

        @Override
        void readColumns(Set<String> into) {
            parts.forEach(p -> p.readColumns(into));
        }
    }
}

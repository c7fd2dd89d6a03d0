package dev.latchkey.jdbc.sql;

import java.util.List;

import org.jetbrains.annotations.NotNull;

/**
 * The shape of expressions and conditions: everything that decides their SQL text (kinds,
 * operators, column names, the number and places of parameters) and nothing of the values they
 * bind. Two trees of the same shape render the same SQL for the same dialect, so a builder can
 * reuse what rendering one produced for the other and only collect the other's values
 * ({@link #values(Expression, List)}), in the order rendering binds them. Allocates nothing.
 * Stateless.
 */
public final class Shapes {
    private Shapes() {
    }

    /**
     * Returns a hash of an expression's shape, consistent with {@link #same(Expression, Expression)}.
     *
     * @param e the expression
     * @return the hash
     */
    public static int hash(@NotNull Expression e) {
        if (e instanceof Terms.Column) {
            return 31 + ((Terms.Column) e).name.hashCode();
        }
        if (e instanceof Terms.Proposed) {
            return 37 + ((Terms.Proposed) e).name.hashCode();
        }
        if (e instanceof Terms.Arithmetic) {
            Terms.Arithmetic a = (Terms.Arithmetic) e;
            return ((41 + a.operator.hashCode()) * 31 + hash(a.left)) * 31 + hash(a.right);
        }
        if (e instanceof Terms.Coalesce) {
            int h = 43;
            for (Expression arg : ((Terms.Coalesce) e).args) {
                h = h * 31 + hash(arg);
            }
            return h;
        }
        // a value, a placeholder and now() render the same whatever they hold
        return e.getClass().hashCode();
    }

    /**
     * Returns a hash of a condition's shape, consistent with {@link #same(Condition, Condition)}.
     *
     * @param c the condition
     * @return the hash
     */
    public static int hash(@NotNull Condition c) {
        if (c instanceof Condition.Comparison) {
            Condition.Comparison k = (Condition.Comparison) c;
            return ((47 + k.operator.hashCode()) * 31 + hash(k.left)) * 31 + hash(k.right);
        }
        if (c instanceof Condition.NullTest) {
            Condition.NullTest n = (Condition.NullTest) c;
            return (53 + (n.isNull ? 1 : 0)) * 31 + hash(n.expression);
        }
        Condition.Junction j = (Condition.Junction) c;
        int h = j.and ? 59 : 61;
        for (Condition p : j.parts) {
            h = h * 31 + hash(p);
        }
        return h;
    }

    /**
     * Whether two expressions have the same shape: rendered for the same dialect, they give the
     * same SQL text.
     *
     * @param a one expression
     * @param b the other
     * @return whether their shapes are equal
     */
    public static boolean same(@NotNull Expression a, @NotNull Expression b) {
        if (a == b) {
            return true;
        }
        if (a.getClass() != b.getClass()) {
            return false;
        }
        if (a instanceof Terms.Column) {
            return ((Terms.Column) a).name.equals(((Terms.Column) b).name);
        }
        if (a instanceof Terms.Proposed) {
            return ((Terms.Proposed) a).name.equals(((Terms.Proposed) b).name);
        }
        if (a instanceof Terms.Arithmetic) {
            Terms.Arithmetic x = (Terms.Arithmetic) a;
            Terms.Arithmetic y = (Terms.Arithmetic) b;
            return x.operator.equals(y.operator) && same(x.left, y.left) && same(x.right, y.right);
        }
        if (a instanceof Terms.Coalesce) {
            List<Expression> x = ((Terms.Coalesce) a).args;
            List<Expression> y = ((Terms.Coalesce) b).args;
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        // Value, Placeholder, Now: one shape each
        return true;
    }

    /**
     * Whether two conditions have the same shape.
     *
     * @param a one condition
     * @param b the other
     * @return whether their shapes are equal
     */
    public static boolean same(@NotNull Condition a, @NotNull Condition b) {
        if (a == b) {
            return true;
        }
        if (a.getClass() != b.getClass()) {
            return false;
        }
        if (a instanceof Condition.Comparison) {
            Condition.Comparison x = (Condition.Comparison) a;
            Condition.Comparison y = (Condition.Comparison) b;
            return x.operator.equals(y.operator) && same(x.left, y.left) && same(x.right, y.right);
        }
        if (a instanceof Condition.NullTest) {
            Condition.NullTest x = (Condition.NullTest) a;
            Condition.NullTest y = (Condition.NullTest) b;
            return x.isNull == y.isNull && same(x.expression, y.expression);
        }
        Condition.Junction x = (Condition.Junction) a;
        Condition.Junction y = (Condition.Junction) b;
        if (x.and != y.and || x.parts.size() != y.parts.size()) {
            return false;
        }
        for (int i = 0; i < x.parts.size(); i++) {
            if (!same(x.parts.get(i), y.parts.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds the values an expression binds, in the order its rendering binds them (a
     * {@linkplain Expression#placeholder(Class) placeholder} adds itself).
     *
     * @param e the expression
     * @param into where to add them
     */
    public static void values(@NotNull Expression e, @NotNull List<Object> into) {
        if (e instanceof Terms.Value) {
            into.add(((Terms.Value) e).value);
        } else if (e instanceof Terms.Placeholder) {
            into.add(e);
        } else if (e instanceof Terms.Arithmetic) {
            values(((Terms.Arithmetic) e).left, into);
            values(((Terms.Arithmetic) e).right, into);
        } else if (e instanceof Terms.Coalesce) {
            for (Expression arg : ((Terms.Coalesce) e).args) {
                values(arg, into);
            }
        }
    }

    /**
     * Adds the values a condition binds, in the order its rendering binds them.
     *
     * @param c the condition
     * @param into where to add them
     */
    public static void values(@NotNull Condition c, @NotNull List<Object> into) {
        if (c instanceof Condition.Comparison) {
            values(((Condition.Comparison) c).left, into);
            values(((Condition.Comparison) c).right, into);
        } else if (c instanceof Condition.NullTest) {
            values(((Condition.NullTest) c).expression, into);
        } else {
            for (Condition p : ((Condition.Junction) c).parts) {
                values(p, into);
            }
        }
    }
}

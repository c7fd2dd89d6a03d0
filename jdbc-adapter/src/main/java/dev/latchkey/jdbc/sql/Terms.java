package dev.latchkey.jdbc.sql;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** The kinds of {@link Expression}: built by its factories and operators, rendered by {@link SqlRenderer}. */
final class Terms {
    private Terms() {
    }

    /** A column of the row being written. */
    static final class Column extends Expression {
        final String name;

        Column(String name) {
            this.name = ColumnNames.require("column", name);
        }

        @Override
        void render(SqlRenderer w) {
            w.column(name);
        }

        @Override
        void readColumns(Set<String> into) {
            into.add(ColumnNames.canonical(name));
        }
    }

    /** The value an upsert tried to insert into a column. */
    static final class Proposed extends Expression {
        final String name;

        Proposed(String name) {
            this.name = ColumnNames.require("excluded column", name);
        }

        @Override
        void render(SqlRenderer w) {
            w.proposed(name);
        }

        @Override
        void readColumns(Set<String> into) {
        }

        @Override
        void proposedColumns(Set<String> into) {
            into.add(ColumnNames.canonical(name));
        }
    }

    /** A bound value (may be {@code null} only when made by {@link #value(Object)}). */
    static final class Value extends Expression {
        final @Nullable Object value;

        Value(@Nullable Object value) {
            if (value instanceof Expression || value instanceof Condition) {
                throw new IllegalArgumentException("value(...) takes a value to bind, not " + value);
            }
            this.value = value;
        }

        @Override
        void render(SqlRenderer w) {
            w.param(value);
        }

        @Override
        void readColumns(Set<String> into) {
        }
    }

    /** The database's current time. */
    static final class Now extends Expression {
        static final Now INSTANCE = new Now();

        @Override
        void render(SqlRenderer w) {
            w.now();
        }

        @Override
        void readColumns(Set<String> into) {
        }
    }

    /** {@code left op right}. */
    static final class Arithmetic extends Expression {
        final String operator;
        final Expression left;
        final Expression right;

        Arithmetic(String operator, Expression left, Expression right) {
            this.operator = operator;
            this.left = Objects.requireNonNull(left);
            this.right = Objects.requireNonNull(right);
        }

        @Override
        void render(SqlRenderer w) {
            w.binary(left, operator, right);
        }

        @Override
        void renderOperand(SqlRenderer w) {
            w.append("(");
            render(w);
            w.append(")");
        }

        @Override
        void readColumns(Set<String> into) {
            left.readColumns(into);
            right.readColumns(into);
        }

        @Override
        void proposedColumns(Set<String> into) {
            left.proposedColumns(into);
            right.proposedColumns(into);
        }
    }

    /** {@code COALESCE(a, b, ...)}. */
    static final class Coalesce extends Expression {
        final List<Expression> args;

        Coalesce(List<Expression> args) {
            this.args = List.copyOf(args);
        }

        @Override
        void render(SqlRenderer w) {
            w.append("COALESCE(");
            for (int i = 0; i < args.size(); i++) {
                if (i > 0) {
                    w.append(", ");
                }
                args.get(i).render(w);
            }
            w.append(")");
        }

        @Override
        void readColumns(Set<String> into) {
            args.forEach(a -> a.readColumns(into));
        }

        @Override
        void proposedColumns(Set<String> into) {
            args.forEach(a -> a.proposedColumns(into));
        }
    }

    /**
     * A parameter whose value is given when a prepared statement runs ({@code param()}): renders
     * as {@code ?} like a value, and stands in the parameter list as itself until then.
     */
    static final class Placeholder extends Expression {
        final @Nullable Class<?> type;

        Placeholder(@Nullable Class<?> type) {
            this.type = type;
        }

        @Override
        void render(SqlRenderer w) {
            w.param(this);
        }

        @Override
        void readColumns(Set<String> into) {
        }

        @Override
        public @NotNull String toString() {
            return type == null ? "param()" : "param(" + type.getSimpleName() + ")";
        }
    }
}

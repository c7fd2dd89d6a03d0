package dev.latchkey.jdbc.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import dev.latchkey.jdbc.sql.Condition;
import dev.latchkey.jdbc.sql.Expression;
import org.jetbrains.annotations.NotNull;

/**
 * Where the arguments of a prepared statement go: the values a builder rendered, in the order of
 * the statement's {@code ?}, with each {@linkplain Expression#placeholder(Class) placeholder} a
 * slot that {@link #bind(Object[])} fills with one argument, checked. Shared by the prepared forms
 * of the feature builders, so every one of them refuses the same wrong arguments with the same
 * messages. Immutable and thread-safe.
 */
public final class PreparedArguments {
    private final String operation;
    private final String sql;
    private final String nullHint;
    /** The statement's values; a placeholder where an argument goes. */
    private final Object[] template;
    /** For each argument, its index in {@link #template}. */
    private final int[] slots;
    /** For each argument, the class it must be an instance of, or {@code null}. */
    private final Class<?>[] types;

    private PreparedArguments(String operation, String sql, String nullHint, Object[] template) {
        this.operation = operation;
        this.sql = sql;
        this.nullHint = nullHint;
        this.template = template;
        List<Integer> s = new ArrayList<>();
        for (int i = 0; i < template.length; i++) {
            if (Expression.isPlaceholder(template[i])) {
                s.add(i);
            }
        }
        this.slots = new int[s.size()];
        this.types = new Class<?>[s.size()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = s.get(i);
            types[i] = Expression.placeholderType(template[slots[i]]);
        }
    }

    /**
     * The slots of a rendered statement's values.
     *
     * @param operation the operation's name in messages, e.g. {@code update of product}
     * @param sql the statement, for messages
     * @param nullHint what a {@code null} argument's message adds, e.g. how the builder binds
     *        {@code NULL}; may be empty
     * @param values the statement's values in the order of its {@code ?}, placeholders standing as themselves
     * @return the slots
     */
    public static @NotNull PreparedArguments of(@NotNull String operation, @NotNull String sql,
                                                @NotNull String nullHint, @NotNull List<Object> values) {
        return new PreparedArguments(Objects.requireNonNull(operation, "operation"), Objects.requireNonNull(sql, "sql"),
                Objects.requireNonNull(nullHint, "nullHint"), values.toArray());
    }

    /**
     * Returns how many arguments {@link #bind(Object[])} takes: one per placeholder.
     *
     * @return the number of arguments
     */
    public int count() {
        return slots.length;
    }

    /**
     * The statement's values with the arguments in the placeholders' places. Allocates one array.
     *
     * @param arguments one per placeholder, in the order of the {@code ?}
     * @return a new array of the statement's values
     * @throws IllegalArgumentException if the number of arguments is not {@link #count()} (the
     *         message names the expected count), or an argument is {@code null}, an expression or
     *         a condition, or not an instance of its placeholder's class
     * @throws NullPointerException if the array is {@code null}; the message is {@code arguments}
     */
    public @NotNull Object[] bind(@NotNull Object[] arguments) {
        Objects.requireNonNull(arguments, "arguments");
        if (arguments.length != slots.length) {
            throw new IllegalArgumentException(operation + " takes " + slots.length + " argument(s), one per "
                    + "param() in " + sql + ", but got " + arguments.length + ": arguments="
                    + Arrays.toString(arguments));
        }
        Object[] values = template.clone();
        for (int i = 0; i < slots.length; i++) {
            Object a = arguments[i];
            if (a == null) {
                throw new IllegalArgumentException("argument " + (i + 1) + " of " + operation + " must not be null"
                        + nullHint + ": arguments=" + Arrays.toString(arguments));
            }
            Class<?> type = types[i];
            if (type != null && !type.isInstance(a)) {
                throw new IllegalArgumentException("argument " + (i + 1) + " of " + operation + " must be a "
                        + type.getName() + ": argument=" + a + " (" + a.getClass().getName() + ")");
            }
            if (a instanceof Expression || a instanceof Condition) {
                throw new IllegalArgumentException("argument " + (i + 1) + " of " + operation
                        + " must be a value to bind, not " + a);
            }
            values[slots[i]] = a;
        }
        return values;
    }
}

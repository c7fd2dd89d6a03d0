package dev.latchkey.jdbc.internal;

import java.util.Objects;

import dev.latchkey.jdbc.dialect.Dialect;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The key of a render cache ({@link BoundedCache}): a dialect, by identity, and a builder's spec,
 * compared by its shape (what decides the SQL, nothing of the values it binds) as the feature's
 * {@link Equivalence} defines it. The hash is computed once. Immutable when the spec is.
 *
 * @param <S> the spec type
 */
public final class ShapeKey<S> {
    private final Dialect dialect;
    private final S spec;
    private final Equivalence<S> shape;
    private final int hash;

    /**
     * A key for a spec rendered for a dialect.
     *
     * @param dialect the dialect
     * @param spec the builder's spec
     * @param shape how specs of this kind compare by shape; one constant per feature
     */
    public ShapeKey(@NotNull Dialect dialect, @NotNull S spec, @NotNull Equivalence<S> shape) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.hash = System.identityHashCode(dialect) * 31 + shape.hash(spec);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ShapeKey)) {
            return false;
        }
        ShapeKey<?> other = (ShapeKey<?>) o;
        return hash == other.hash && dialect == other.dialect && shape == other.shape
                && shape.same(spec, (S) other.spec);
    }

    /**
     * How specs of one kind compare by shape. <b>Every component of the spec must be compared</b>
     * (by shape, or by value when it is not a value to bind): a component left out would let two
     * builders that render differently share one rendering.
     *
     * @param <S> the spec type
     */
    public interface Equivalence<S> {
        /**
         * A hash of a spec's shape, consistent with {@link #same}.
         *
         * @param spec the spec
         * @return the hash
         */
        int hash(@NotNull S spec);

        /**
         * Whether two specs have the same shape: rendered for the same dialect, they give the same SQL.
         *
         * @param a one spec
         * @param b the other
         * @return whether their shapes are equal
         */
        boolean same(@NotNull S a, @NotNull S b);
    }
}

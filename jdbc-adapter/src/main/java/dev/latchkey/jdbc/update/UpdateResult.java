package dev.latchkey.jdbc.update;

import java.util.Objects;

import dev.latchkey.StaleVersionException;
import dev.latchkey.jdbc.sql.Row;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * What a conditional update did to one row: {@linkplain #applied() applied}, {@linkplain
 * #notFound() found no row} for the key, or found the row but a {@linkplain #guardFailed() guard}
 * did not hold. In a {@link BatchResult} a row can also be {@linkplain #staleVersion() stale}; a
 * single update reports a stale version by throwing {@link StaleVersionException}
 * instead.
 *
 * <p>{@link #values()} holds the columns asked for with {@code returning(...)}: for an applied
 * update, the values the update wrote (read in the same statement, or on MariaDB/MySQL in the same
 * transaction under the update's row lock); for a failed guard, the values the follow-up read
 * found, which tell why (e.g. the stock left) but are not atomic with the update. Immutable.
 */
public final class UpdateResult {

    /** The outcome for one row. */
    public enum Status {
        /** The row was updated. */
        APPLIED,
        /** No row has the key. */
        NOT_FOUND,
        /** The row exists (at the version expected, if one was) but a guard was false. */
        GUARD_FAILED,
        /** The row is at another version than expected, or was deleted (batches only). */
        STALE_VERSION
    }

    private final Status status;
    private final Object key;
    private final Row values;
    private final @Nullable Object newVersion;
    private final @Nullable Object expectedVersion;
    private final @Nullable Object actualVersion;

    UpdateResult(Status status, Object key, Row values, @Nullable Object newVersion,
                 @Nullable Object expectedVersion, @Nullable Object actualVersion) {
        this.status = Objects.requireNonNull(status);
        this.key = Objects.requireNonNull(key);
        this.values = Objects.requireNonNull(values);
        this.newVersion = newVersion;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    /**
     * Returns the outcome.
     *
     * @return the outcome
     */
    public @NotNull Status status() {
        return status;
    }

    /**
     * Returns whether the row was updated.
     *
     * @return whether the row was updated
     */
    public boolean applied() {
        return status == Status.APPLIED;
    }

    /**
     * Returns whether no row has the key.
     *
     * @return whether no row has the key
     */
    public boolean notFound() {
        return status == Status.NOT_FOUND;
    }

    /**
     * Returns whether the row exists but a guard was false.
     *
     * @return whether the row exists but a guard was false
     */
    public boolean guardFailed() {
        return status == Status.GUARD_FAILED;
    }

    /**
     * Returns whether the row's version was not the expected one (batches only).
     *
     * @return whether the row's version was not the expected one (batches only)
     */
    public boolean staleVersion() {
        return status == Status.STALE_VERSION;
    }

    /**
     * Returns the key of the row: the value, or a list of values for a composite key.
     *
     * @return the key of the row: the value, or a list of values for a composite key
     */
    public @NotNull Object key() {
        return key;
    }

    /**
     * Returns the returned (or, after a failed guard, read) column values; empty when none were asked for.
     *
     * @return the returned (or, after a failed guard, read) column values; empty when none were asked for
     */
    public @NotNull Row values() {
        return values;
    }

    /**
     * A returned column as a {@code long}; shorthand for {@code values().getLong(column)}.
     *
     * @param column a column named in {@code returning(...)}
     * @return the value
     * @throws IllegalArgumentException if the column was not returned
     * @throws IllegalStateException if it is {@code NULL} or not a number
     */
    public long getLong(@NotNull String column) {
        return values.getLong(column);
    }

    /**
     * A returned column; shorthand for {@code values().get(column)}.
     *
     * @param column a column named in {@code returning(...)}
     * @return the value
     * @throws IllegalArgumentException if the column was not returned
     */
    public @Nullable Object get(@NotNull String column) {
        return values.get(column);
    }

    /**
     * The version the row now has, when the update was versioned and applied and the new version
     * is known: a numeric version checked with {@code expectVersion} is the expected one plus one;
     * otherwise it is read back in the same statement where the database has {@code RETURNING}
     * (PostgreSQL, H2), and on MariaDB/MySQL only when {@code returning(...)} names the version
     * column.
     *
     * @return the new version, or {@code null} when not applied, not versioned or not known
     */
    public @Nullable Object newVersion() {
        return newVersion;
    }

    /**
     * Returns the version the update expected, or {@code null} when it expected none.
     *
     * @return the version the update expected, or {@code null} when it expected none
     */
    public @Nullable Object expectedVersion() {
        return expectedVersion;
    }

    /**
     * For a {@linkplain #staleVersion() stale} row: the version found.
     *
     * @return the version found, or {@code null} when the row was deleted or the result is not stale
     */
    public @Nullable Object actualVersion() {
        return actualVersion;
    }

    @Override
    public @NotNull String toString() {
        StringBuilder sb = new StringBuilder("UpdateResult[").append(status).append(", key=").append(key);
        if (!values.isEmpty()) {
            sb.append(", values=").append(values);
        }
        if (newVersion != null) {
            sb.append(", newVersion=").append(newVersion);
        }
        if (status == Status.STALE_VERSION) {
            sb.append(", expected=").append(expectedVersion).append(", actual=")
                    .append(actualVersion == null ? "row deleted" : actualVersion);
        }
        return sb.append(']').toString();
    }
}

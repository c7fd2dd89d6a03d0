package dev.latchkey;

import java.io.Serial;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * An optimistic update found the row at a different version than expected (another writer got
 * there first), or found the row deleted. Nothing was written.
 *
 * <p>Not transient by itself: the caller's copy is stale, so repeating the same write fails
 * again. Re-read and re-apply (the read-modify-write helper does that under a retry policy).
 */
public class StaleVersionException extends ConcurrencyException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final @NotNull String table;
    // transient: the caller's key and version values need not be serializable; a deserialized
    // copy keeps them only in its message, and its accessors of them return null
    private final transient @NotNull Object key;
    private final transient @NotNull Object expectedVersion;
    private final transient @Nullable Object actualVersion;

    /**
     * Creates the exception.
     *
     * @param table the table written to
     * @param key the key of the row (a single value, or a list for a composite key)
     * @param expectedVersion the version the writer expected
     * @param actualVersion the version found, or {@code null} when the row was deleted
     */
    public StaleVersionException(@NotNull String table, @NotNull Object key,
                                 @NotNull Object expectedVersion, @Nullable Object actualVersion) {
        super("stale version in " + table + " for key " + key + ": expected version " + expectedVersion
                + (actualVersion == null ? " but the row was deleted" : " but found " + actualVersion), null, false);
        this.table = table;
        this.key = key;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    /**
     * Returns the table written to.
     *
     * @return the table written to
     */
    public @NotNull String table() {
        return table;
    }

    /**
     * Returns the key of the row (a list for a composite key).
     *
     * @return the key of the row (a list for a composite key)
     */
    public @NotNull Object key() {
        return key;
    }

    /**
     * Returns the version the writer expected.
     *
     * @return the version the writer expected
     */
    public @NotNull Object expectedVersion() {
        return expectedVersion;
    }

    /**
     * Returns the version found, or {@code null} when the row was deleted.
     *
     * @return the version found, or {@code null} when the row was deleted
     */
    public @Nullable Object actualVersion() {
        return actualVersion;
    }

    /**
     * Returns whether the row no longer exists.
     *
     * @return whether the row no longer exists
     */
    public boolean rowDeleted() {
        return actualVersion == null;
    }
}

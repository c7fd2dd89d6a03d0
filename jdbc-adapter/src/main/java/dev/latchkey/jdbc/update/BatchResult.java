package dev.latchkey.jdbc.update;

import java.util.ArrayList;
import java.util.List;

import org.jetbrains.annotations.NotNull;

/**
 * The per-row outcomes of a {@link BatchUpdate}, in the order the updates were given. A stale
 * version is reported here as {@link UpdateResult.Status#STALE_VERSION} (with the actual version,
 * or {@code null} when the row was deleted) instead of being thrown, so that one stale row does
 * not hide the others. Immutable.
 */
public final class BatchResult {
    private final List<UpdateResult> results;

    BatchResult(List<UpdateResult> results) {
        this.results = List.copyOf(results);
    }

    /**
     * Returns one result per update, in the order given.
     *
     * @return one result per update, in the order given
     */
    public @NotNull List<UpdateResult> results() {
        return results;
    }

    /**
     * Returns the number of rows in the batch.
     *
     * @return the number of rows in the batch
     */
    public int size() {
        return results.size();
    }

    /**
     * The result of one row.
     *
     * @param index the position of the update in the batch
     * @return its result
     * @throws IndexOutOfBoundsException if there is no such position
     */
    public @NotNull UpdateResult get(int index) {
        return results.get(index);
    }

    /**
     * Returns how many rows were updated.
     *
     * @return how many rows were updated
     */
    public int appliedCount() {
        return (int) results.stream().filter(UpdateResult::applied).count();
    }

    /**
     * Returns whether every row was updated.
     *
     * @return whether every row was updated
     */
    public boolean allApplied() {
        return appliedCount() == results.size();
    }

    /**
     * Returns the keys whose version was stale or whose row was deleted, in batch order.
     *
     * @return the keys whose version was stale or whose row was deleted, in batch order
     */
    public @NotNull List<Object> staleKeys() {
        return keys(UpdateResult.Status.STALE_VERSION);
    }

    /**
     * Returns the keys that had no row, in batch order.
     *
     * @return the keys that had no row, in batch order
     */
    public @NotNull List<Object> notFoundKeys() {
        return keys(UpdateResult.Status.NOT_FOUND);
    }

    /**
     * Returns the keys whose guard failed, in batch order.
     *
     * @return the keys whose guard failed, in batch order
     */
    public @NotNull List<Object> guardFailedKeys() {
        return keys(UpdateResult.Status.GUARD_FAILED);
    }

    private List<Object> keys(UpdateResult.Status status) {
        List<Object> keys = new ArrayList<>();
        for (UpdateResult r : results) {
            if (r.status() == status) {
                keys.add(r.key());
            }
        }
        return List.copyOf(keys);
    }

    @Override
    public @NotNull String toString() {
        return "BatchResult[" + results.size() + " rows, applied=" + appliedCount() + ", stale=" + staleKeys()
                + ", notFound=" + notFoundKeys() + ", guardFailed=" + guardFailedKeys() + "]";
    }
}

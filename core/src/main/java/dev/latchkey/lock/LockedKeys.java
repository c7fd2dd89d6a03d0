package dev.latchkey.lock;

import java.util.List;

import org.jetbrains.annotations.NotNull;

/**
 * Keys locked by one acquisition from {@link KeyedLocks}; closing the handle unlocks them, in
 * the reverse of the order they were locked in. Use it in try-with-resources.
 *
 * <p>The handle belongs to the thread that acquired it: only that thread may close it (another
 * thread gets {@link IllegalStateException} and nothing is unlocked). Closing twice is harmless.
 *
 * @param <K> the key type
 */
public final class LockedKeys<K> implements AutoCloseable {
    private final KeyedLocks<K> owner;
    private final List<K> keys;
    private final List<KeyedLocks.Entry> entries;
    /** The acquiring thread; final, so safely readable by any thread that calls {@link #close()}. */
    private final Thread holder;
    /** Plain: read and written only by {@link #holder} (other threads are refused before reading it). */
    private boolean closed;

    LockedKeys(KeyedLocks<K> owner, List<K> keys, List<KeyedLocks.Entry> entries) {
        this.owner = owner;
        this.keys = keys;
        this.entries = List.copyOf(entries);
        this.holder = Thread.currentThread();
    }

    /**
     * The keys this handle holds, in the order they were locked (the lock order, duplicates
     * removed).
     *
     * @return an immutable list
     */
    public @NotNull List<K> keys() {
        return keys;
    }

    /**
     * Whether the handle still holds its keys. Only meaningful on the acquiring thread.
     *
     * @return {@code false} once closed
     */
    public boolean isHeld() {
        return Thread.currentThread() == holder && !closed;
    }

    /**
     * Unlocks every key of this handle, last locked first. Idempotent.
     *
     * @throws IllegalStateException if called by a thread other than the one that acquired the keys
     */
    @Override
    public void close() {
        if (Thread.currentThread() != holder) {
            throw new IllegalStateException("keys " + keys + " were locked by thread " + holder.getName()
                    + " and must be unlocked by it, not by " + Thread.currentThread().getName());
        }
        if (closed) {
            return;
        }
        closed = true;
        for (int i = entries.size() - 1; i >= 0; i--) {
            owner.unlock(keys.get(i), entries.get(i));
        }
    }

    @Override
    public String toString() {
        return "LockedKeys" + keys;
    }
}

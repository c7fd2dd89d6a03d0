package dev.latchkey.jdbc.internal;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A cache of at most a fixed number of entries, for what rendering a builder's shape produces:
 * two generations of a {@link ConcurrentHashMap}. New entries go to the young generation; when it
 * is full it becomes the old one and the previous old one is dropped; an entry found in the old
 * generation moves back to the young one. So entries in use stay, entries not used for a
 * generation go, and the number of entries never exceeds the capacity (plus at most one per
 * thread racing to add at the moment a generation fills). Lookups take no lock and allocate
 * nothing. Values must be immutable: a race may render a value twice and keep either. Thread-safe.
 *
 * @param <K> the key: equal keys must have equal values
 * @param <V> the value
 */
public final class BoundedCache<K, V> {
    private final int generationSize;
    /** Volatile: replaced when full, under {@code this}; read without the lock. */
    private volatile ConcurrentHashMap<K, V> young;
    /** Volatile: replaced with the full young generation, under {@code this}. */
    private volatile ConcurrentHashMap<K, V> old;

    /**
     * Creates an empty cache.
     *
     * @param capacity the most entries it holds, at least 2
     * @throws IllegalArgumentException if the capacity is under 2
     */
    public BoundedCache(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be >= 2: capacity=" + capacity);
        }
        this.generationSize = capacity / 2;
        this.young = new ConcurrentHashMap<>();
        this.old = new ConcurrentHashMap<>();
    }

    /**
     * Returns the value cached for a key.
     *
     * @param key the key
     * @return the value, or {@code null} when none is cached
     */
    public @Nullable V get(@NotNull K key) {
        V v = young.get(key);
        if (v != null) {
            return v;
        }
        v = old.get(key);
        if (v != null) {
            put(key, v);
        }
        return v;
    }

    /**
     * Caches a value, making room by dropping the old generation when the young one is full.
     *
     * @param key the key
     * @param value the value
     */
    public void put(@NotNull K key, @NotNull V value) {
        Objects.requireNonNull(value, "value");
        ConcurrentHashMap<K, V> y = young;
        if (y.size() >= generationSize) {
            synchronized (this) {
                if (young == y) {
                    old = y;
                    young = new ConcurrentHashMap<>();
                }
                y = young;
            }
        }
        y.put(key, value);
    }

    /**
     * Returns how many entries the cache holds now.
     *
     * @return the number of entries
     */
    public int size() {
        return young.size() + old.size();
    }

    /**
     * Returns the most entries the cache holds.
     *
     * @return the capacity
     */
    public int capacity() {
        return generationSize * 2;
    }
}

package dev.latchkey;

import java.time.Duration;
import java.util.List;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Observability SPI: told about retries, conflicts, lock waits, transactions and idempotency
 * claims, replays and in-progress duplicates.
 *
 * <p>Every method has an empty default, so an implementation overrides only what it needs, and
 * {@link #NONE} costs nothing. Methods are called on the thread doing the work, synchronously;
 * an implementation must be thread-safe, fast, and must not throw (an exception it throws is
 * caught and logged through {@link System.Logger}, never propagated).
 */
public interface ConcurrencyListener extends RetryListener {

    /** A listener that does nothing. */
    ConcurrencyListener NONE = new ConcurrencyListener() { };

    /**
     * Wraps a listener so that whatever it throws is logged through {@link System.Logger} and
     * swallowed: the one place where Latchkey guards its calls to user listeners. Costs nothing
     * for {@link #NONE}, which is returned as is.
     *
     * @param listener the listener to guard
     * @return a listener that never throws
     */
    static @NotNull ConcurrencyListener guarded(@NotNull ConcurrencyListener listener) {
        if (listener == NONE || listener instanceof GuardedListener) {
            return listener;
        }
        return new GuardedListener(listener);
    }

    /** {@inheritDoc} */
    @Override
    default void onRetry(@NotNull RetryEvent event) {
    }

    /**
     * A write lost a race: a stale version, a failed guard on a contended row, a deadlock or a
     * serialization failure.
     *
     * @param table the table concerned, or {@code null} when not known
     * @param key the key concerned, or {@code null} when not known
     * @param failure the failure that was (or will be) reported
     */
    default void onConflict(@Nullable String table, @Nullable Object key, @NotNull ConcurrencyException failure) {
    }

    /**
     * A lock request finished, acquired or not.
     *
     * @param table the table or lock name
     * @param keys the keys requested, empty for a named lock
     * @param waited how long the request took
     * @param acquired whether the lock was acquired
     */
    default void onLockWait(@NotNull String table, @NotNull List<?> keys, @NotNull Duration waited, boolean acquired) {
    }

    /**
     * A stored idempotent response was replayed instead of running the work again.
     *
     * @param scope the key's scope
     * @param key the idempotency key
     */
    default void onIdempotencyReplay(@NotNull String scope, @NotNull String key) {
    }

    /**
     * An idempotency key was claimed for a request that will now run its work: a new key, or a
     * takeover of a key whose earlier holder's lease lapsed (that holder crashed or stalled).
     *
     * @param scope the key's scope
     * @param key the idempotency key
     * @param takeover whether an earlier holder's lapsed claim was taken over
     */
    default void onIdempotencyClaim(@NotNull String scope, @NotNull String key, boolean takeover) {
    }

    /**
     * A request found its idempotency key held by a request still in progress (and is told so,
     * or waits for it, as the policy says).
     *
     * @param scope the key's scope
     * @param key the idempotency key
     */
    default void onIdempotencyInProgress(@NotNull String scope, @NotNull String key) {
    }

    /**
     * A transaction Latchkey ran ended: one attempt of the transaction runner (or of an
     * operation's own short transaction), committed or rolled back.
     *
     * @param committed whether it committed
     * @param duration from taking the connection to the end of the commit or rollback
     * @param attempt the attempt number, from 1
     */
    default void onTransactionEnd(boolean committed, @NotNull Duration duration, int attempt) {
    }
}

package dev.latchkey.spring.boot;

import java.time.Duration;
import java.util.List;

import dev.latchkey.ConcurrencyException;
import dev.latchkey.ConcurrencyListener;
import dev.latchkey.RetriesExhaustedException;
import dev.latchkey.RetryEvent;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Every {@link ConcurrencyListener} bean of the application as one listener, each guarded, so
 * that one that throws neither stops the others nor reaches Latchkey.
 */
final class ConcurrencyListeners implements ConcurrencyListener {
    private final List<ConcurrencyListener> listeners;

    private ConcurrencyListeners(List<ConcurrencyListener> listeners) {
        this.listeners = listeners;
    }

    static ConcurrencyListener of(List<ConcurrencyListener> beans) {
        if (beans.isEmpty()) {
            return ConcurrencyListener.NONE;
        }
        if (beans.size() == 1) {
            return beans.get(0);
        }
        return new ConcurrencyListeners(beans.stream().map(ConcurrencyListener::guarded).toList());
    }

    @Override
    public void onRetry(@NotNull RetryEvent event) {
        for (ConcurrencyListener l : listeners) {
            l.onRetry(event);
        }
    }

    @Override
    public void onRetriesExhausted(@NotNull RetriesExhaustedException exhausted) {
        for (ConcurrencyListener l : listeners) {
            l.onRetriesExhausted(exhausted);
        }
    }

    @Override
    public void onConflict(@Nullable String table, @Nullable Object key, @NotNull ConcurrencyException failure) {
        for (ConcurrencyListener l : listeners) {
            l.onConflict(table, key, failure);
        }
    }

    @Override
    public void onLockWait(@NotNull String table, @NotNull List<?> keys, @NotNull Duration waited, boolean acquired) {
        for (ConcurrencyListener l : listeners) {
            l.onLockWait(table, keys, waited, acquired);
        }
    }

    @Override
    public void onIdempotencyReplay(@NotNull String scope, @NotNull String key) {
        for (ConcurrencyListener l : listeners) {
            l.onIdempotencyReplay(scope, key);
        }
    }

    @Override
    public void onIdempotencyClaim(@NotNull String scope, @NotNull String key, boolean takeover) {
        for (ConcurrencyListener l : listeners) {
            l.onIdempotencyClaim(scope, key, takeover);
        }
    }

    @Override
    public void onIdempotencyInProgress(@NotNull String scope, @NotNull String key) {
        for (ConcurrencyListener l : listeners) {
            l.onIdempotencyInProgress(scope, key);
        }
    }

    @Override
    public void onTransactionEnd(boolean committed, @NotNull Duration duration, int attempt) {
        for (ConcurrencyListener l : listeners) {
            l.onTransactionEnd(committed, duration, attempt);
        }
    }

    @Override
    public String toString() {
        return "ConcurrencyListeners" + listeners;
    }
}

package dev.latchkey;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** A listener whose failures are logged and swallowed; see {@link ConcurrencyListener#guarded}. */
final class GuardedListener implements ConcurrencyListener {
    private static final System.Logger LOG = System.getLogger(ConcurrencyListener.class.getName());

    private final ConcurrencyListener delegate;

    GuardedListener(ConcurrencyListener delegate) {
        this.delegate = Objects.requireNonNull(delegate, "listener");
    }

    private static void guard(String method, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ConcurrencyListener." + method + " threw; ignored", e);
        }
    }

    @Override
    public void onRetry(@NotNull RetryEvent event) {
        guard("onRetry", () -> delegate.onRetry(event));
    }

    @Override
    public void onRetriesExhausted(@NotNull RetriesExhaustedException exhausted) {
        guard("onRetriesExhausted", () -> delegate.onRetriesExhausted(exhausted));
    }

    @Override
    public void onConflict(@Nullable String table, @Nullable Object key, @NotNull ConcurrencyException failure) {
        guard("onConflict", () -> delegate.onConflict(table, key, failure));
    }

    @Override
    public void onLockWait(@NotNull String table, @NotNull List<?> keys, @NotNull Duration waited, boolean acquired) {
        guard("onLockWait", () -> delegate.onLockWait(table, keys, waited, acquired));
    }

    @Override
    public void onIdempotencyReplay(@NotNull String scope, @NotNull String key) {
        guard("onIdempotencyReplay", () -> delegate.onIdempotencyReplay(scope, key));
    }

    @Override
    public void onIdempotencyClaim(@NotNull String scope, @NotNull String key, boolean takeover) {
        guard("onIdempotencyClaim", () -> delegate.onIdempotencyClaim(scope, key, takeover));
    }

    @Override
    public void onIdempotencyInProgress(@NotNull String scope, @NotNull String key) {
        guard("onIdempotencyInProgress", () -> delegate.onIdempotencyInProgress(scope, key));
    }

    @Override
    public void onTransactionEnd(boolean committed, @NotNull Duration duration, int attempt) {
        guard("onTransactionEnd", () -> delegate.onTransactionEnd(committed, duration, attempt));
    }

    @Override
    public String toString() {
        return "guarded(" + delegate + ")";
    }
}

package dev.latchkey.idempotency.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.StoredResponse;
import org.jetbrains.annotations.NotNull;

/** {@link IdempotencyEngine.Scope#of}: each attempt runs once, directly on the store. */
final class DirectScope implements IdempotencyEngine.Scope<IdempotencyStore> {
    private final IdempotencyStore store;

    DirectScope(IdempotencyStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public <R> R run(@NotNull Function<? super IdempotencyStore, ? extends R> attempt) {
        return attempt.apply(store);
    }

    @Override
    public @NotNull ClaimResult claim(@NotNull IdempotencyStore context, @NotNull IdempotencyKey key,
                                      @NotNull Fingerprint fingerprint, @NotNull Duration lease,
                                      @NotNull Duration retention) {
        return context.claim(key, fingerprint, lease, retention);
    }

    @Override
    public @NotNull FenceOutcome complete(@NotNull IdempotencyStore context, @NotNull IdempotencyKey key,
                                          @NotNull OwnerToken owner, @NotNull StoredResponse response,
                                          @NotNull Duration retention) {
        return context.complete(key, owner, response, retention);
    }

    @Override
    public @NotNull FenceOutcome release(@NotNull IdempotencyStore context, @NotNull IdempotencyKey key,
                                         @NotNull OwnerToken owner) {
        return context.release(key, owner);
    }

    @Override
    public @NotNull FenceOutcome renew(@NotNull IdempotencyStore context, @NotNull IdempotencyKey key,
                                       @NotNull OwnerToken owner, @NotNull Duration lease) {
        return context.renew(key, owner, lease);
    }

    @Override
    public @NotNull Optional<IdempotencyRecord> find(@NotNull IdempotencyStore context, @NotNull IdempotencyKey key) {
        return context.find(key);
    }

    @Override
    public String toString() {
        return store.toString();
    }
}

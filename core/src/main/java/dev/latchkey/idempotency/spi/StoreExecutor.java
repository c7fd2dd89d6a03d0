package dev.latchkey.idempotency.spi;

import java.util.function.Supplier;

import dev.latchkey.ConcurrencyListener;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.IdempotentResult;
import dev.latchkey.idempotency.ResponseCodec;
import org.jetbrains.annotations.NotNull;

/** {@link IdempotencyStore#executor}: the engine on a store, the work outside any store transaction. */
final class StoreExecutor implements Idempotency {
    private final IdempotencyEngine.Scope<IdempotencyStore> scope;
    private final IdempotencyEngine engine;

    StoreExecutor(IdempotencyStore store, IdempotencyEngine engine) {
        this(IdempotencyEngine.Scope.of(store), engine);
    }

    private StoreExecutor(IdempotencyEngine.Scope<IdempotencyStore> scope, IdempotencyEngine engine) {
        this.scope = scope;
        this.engine = engine;
    }

    @Override
    public @NotNull Idempotency withPolicy(@NotNull IdempotencyPolicy policy) {
        return new StoreExecutor(scope, engine.withPolicy(policy));
    }

    @Override
    public @NotNull Idempotency withListener(@NotNull ConcurrencyListener listener) {
        return new StoreExecutor(scope, engine.withListener(listener));
    }

    @Override
    public @NotNull IdempotencyPolicy policy() {
        return engine.policy();
    }

    @Override
    public <T> @NotNull IdempotentResult<T> execute(@NotNull IdempotencyKey key, @NotNull Fingerprint fingerprint,
                                                    @NotNull ResponseCodec<T> codec,
                                                    @NotNull Supplier<? extends T> work) {
        // a null work reaches the engine's argument checks as null
        return engine.execute(scope, key, fingerprint, codec, work == null ? null : ignored -> work.get());
    }

    @Override
    public String toString() {
        return "Idempotency[" + scope + ", " + engine.policy() + "]";
    }
}

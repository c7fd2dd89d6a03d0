package dev.latchkey.lease.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.latchkey.lease.Lease;
import dev.latchkey.lease.LeaseLostException;
import dev.latchkey.lease.LeaseRequest;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** The engine's immutable {@link LeaseRequest}: all fields final, each step a new value. */
final class EngineLeaseRequest<L extends Lease> implements LeaseRequest<L> {
    private final LeaseEngine engine;
    private final String name;
    private final Function<? super ManagedLease, ? extends L> wrap;
    private final @Nullable Duration heartbeat;
    private final @Nullable Consumer<? super LeaseLostException> onLost;

    EngineLeaseRequest(LeaseEngine engine, String name, Function<? super ManagedLease, ? extends L> wrap,
                       @Nullable Duration heartbeat, @Nullable Consumer<? super LeaseLostException> onLost) {
        this.engine = engine;
        this.name = name;
        this.wrap = wrap;
        this.heartbeat = heartbeat;
        this.onLost = onLost;
    }

    @Override
    public @NotNull String name() {
        return name;
    }

    @Override
    public @NotNull LeaseRequest<L> withHeartbeat(@NotNull Duration every) {
        return new EngineLeaseRequest<>(engine, name, wrap, LeaseArguments.positive(every, "every"), onLost);
    }

    @Override
    public @NotNull LeaseRequest<L> onLost(@NotNull Consumer<? super LeaseLostException> callback) {
        return new EngineLeaseRequest<>(engine, name, wrap, heartbeat, Objects.requireNonNull(callback, "callback"));
    }

    @Override
    public @NotNull Optional<L> tryAcquire(@NotNull Duration atMostFor, @NotNull Duration atLeastFor) {
        return engine.tryAcquire(name, atMostFor, atLeastFor, heartbeat, onLost).map(wrap);
    }

    @Override
    public @NotNull L acquire(@NotNull Duration atMostFor, @NotNull Duration atLeastFor, @NotNull Duration maxWait)
            throws InterruptedException {
        return wrap.apply(engine.acquire(name, atMostFor, atLeastFor, maxWait, heartbeat, onLost));
    }

    @Override
    public String toString() {
        return "LeaseRequest[" + name + (heartbeat == null ? "" : ", heartbeat=" + heartbeat) + "]";
    }
}

package dev.latchkey.idempotency.memory;

import java.time.Duration;

import dev.latchkey.idempotency.contract.IdempotencyStoreContract;
import dev.latchkey.idempotency.contract.ManualClock;
import dev.latchkey.idempotency.spi.IdempotencyStore;

/** The in-memory store keeps the shared store contract, on a manual clock. */
class InMemoryIdempotencyStoreContractTest extends IdempotencyStoreContract {
    private final ManualClock clock = new ManualClock();
    private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().clock(clock).build();

    @Override
    protected IdempotencyStore store() {
        return store;
    }

    @Override
    protected void elapse(Duration d) {
        clock.advance(d);
    }
}

/**
 * Latchkey core: the database-neutral API. Exceptions rooted at
 * {@link dev.latchkey.ConcurrencyException}, retry policies, the idempotency model with an
 * in-memory store, and in-process keyed locks. No runtime dependencies.
 */
module dev.latchkey.core {
    requires static org.jetbrains.annotations;

    exports dev.latchkey;
    exports dev.latchkey.retry;
    exports dev.latchkey.idempotency;
    exports dev.latchkey.idempotency.spi;
    exports dev.latchkey.idempotency.memory;

    exports dev.latchkey.lock;
    exports dev.latchkey.lease;
    exports dev.latchkey.lease.spi;
    exports dev.latchkey.lease.memory;
}

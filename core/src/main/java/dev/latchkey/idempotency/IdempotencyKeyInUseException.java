package dev.latchkey.idempotency;

import java.io.Serial;

import org.jetbrains.annotations.NotNull;

/**
 * A request arrived with an idempotency key whose first request is still being processed
 * (its lease has not expired). Maps to HTTP 409 Conflict. Transient: retrying after the first
 * request completes returns its stored response.
 */
public class IdempotencyKeyInUseException extends IdempotencyKeyException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param scope the key's scope
     * @param key the idempotency key
     */
    public IdempotencyKeyInUseException(@NotNull String scope, @NotNull String key) {
        super(scope, key, "is in use by a request still in progress", true);
    }
}

package dev.latchkey.idempotency;

import java.io.Serial;

import dev.latchkey.ConcurrencyException;
import org.jetbrains.annotations.NotNull;

/**
 * A request arrived with an idempotency key whose first request is still being processed
 * (its lease has not expired). Maps to HTTP 409 Conflict. Transient: retrying after the first
 * request completes returns its stored response.
 */
public class IdempotencyKeyInUseException extends ConcurrencyException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final @NotNull String scope;
    private final @NotNull String key;

    /**
     * Creates the exception.
     *
     * @param scope the key's scope
     * @param key the idempotency key
     */
    public IdempotencyKeyInUseException(@NotNull String scope, @NotNull String key) {
        super("idempotency key " + scope + "/" + key + " is in use by a request still in progress", null, true);
        this.scope = scope;
        this.key = key;
    }

    /** @return the key's scope */
    public @NotNull String scope() {
        return scope;
    }

    /** @return the idempotency key */
    public @NotNull String key() {
        return key;
    }
}

package dev.latchkey.idempotency;

import java.io.Serial;

import dev.latchkey.ConcurrencyException;
import org.jetbrains.annotations.NotNull;

/**
 * An idempotency key was sent again with a different request (its fingerprint differs from the
 * one stored with the key). Maps to HTTP 422 Unprocessable Content. Not transient.
 */
public class IdempotencyKeyReusedException extends ConcurrencyException {
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
    public IdempotencyKeyReusedException(@NotNull String scope, @NotNull String key) {
        super("idempotency key " + scope + "/" + key + " was already used with a different request", null, false);
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

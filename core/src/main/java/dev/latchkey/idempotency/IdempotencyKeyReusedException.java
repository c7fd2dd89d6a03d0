package dev.latchkey.idempotency;

import java.io.Serial;

import org.jetbrains.annotations.NotNull;

/**
 * An idempotency key was sent again with a different request (its fingerprint differs from the
 * one stored with the key). Maps to HTTP 422 Unprocessable Content. Not transient.
 */
public class IdempotencyKeyReusedException extends IdempotencyKeyException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param scope the key's scope
     * @param key the idempotency key
     */
    public IdempotencyKeyReusedException(@NotNull String scope, @NotNull String key) {
        super(scope, key, "was already used with a different request", false);
    }
}

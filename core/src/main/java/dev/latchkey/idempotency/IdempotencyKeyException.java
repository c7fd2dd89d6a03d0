package dev.latchkey.idempotency;

import java.io.Serial;

import dev.latchkey.ConcurrencyException;
import org.jetbrains.annotations.NotNull;

/**
 * A request's idempotency key cannot be served now or ever: the base of
 * {@link IdempotencyKeyInUseException} (409) and {@link IdempotencyKeyReusedException} (422),
 * carrying the key that was refused.
 */
public abstract class IdempotencyKeyException extends ConcurrencyException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final @NotNull String scope;
    private final @NotNull String key;

    /**
     * Creates the exception.
     *
     * @param scope the key's scope
     * @param key the idempotency key
     * @param what what is wrong with the key, completing "idempotency key scope/key ..."
     * @param transientFailure whether retrying later can succeed
     */
    protected IdempotencyKeyException(@NotNull String scope, @NotNull String key, @NotNull String what,
                                      boolean transientFailure) {
        super("idempotency key " + scope + "/" + key + " " + what, null, transientFailure);
        this.scope = scope;
        this.key = key;
    }

    /**
     * Returns the key's scope.
     *
     * @return the key's scope
     */
    public @NotNull String scope() {
        return scope;
    }

    /**
     * Returns the idempotency key.
     *
     * @return the idempotency key
     */
    public @NotNull String key() {
        return key;
    }
}

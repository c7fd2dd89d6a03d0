package dev.latchkey.idempotency;

import java.io.Serial;
import java.util.Objects;

import dev.latchkey.ConcurrencyException;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The work of an idempotency key ran and succeeded, but its result could not be recorded with
 * the key: the store could not be reached, refused the response, or failed while completing.
 * The work's effects happened; the key is still claimed by this request and stays so until its
 * lease lapses, after which a retry with the key runs the work again.
 *
 * <p>Not {@linkplain #isTransient() transient}: re-running the work is exactly what must not
 * happen blindly. The exception carries the {@linkplain #result() result} the work returned and
 * the {@linkplain #response() response} it was encoded to, so the caller can answer this request
 * and decide how to reconcile (record the result elsewhere, alert, or let the lease lapse). The
 * {@linkplain #getCause() cause} is what the store threw.
 *
 * <p>A transactional executor (latchkey-jdbc's {@code TransactionalIdempotency}) never throws
 * it: there a completion that fails rolls back the work's writes with it.
 */
public class ResultNotRecordedException extends ConcurrencyException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final @NotNull IdempotencyKey key;
    /** The caller's value: need not be serializable, so a deserialized copy has none. */
    private final transient @Nullable Object result;
    private final @NotNull StoredResponse response;

    /**
     * Creates the exception.
     *
     * @param key the key
     * @param result what the work returned
     * @param response the response the result was encoded to
     * @param cause why the response could not be recorded
     */
    public ResultNotRecordedException(@NotNull IdempotencyKey key, @Nullable Object result,
                                      @NotNull StoredResponse response, @NotNull Throwable cause) {
        super("the work for idempotency key " + key + " ran, but its result (" + response.size()
                + " bytes, status " + response.status() + ") was not recorded: " + cause
                + "; the key stays claimed until its lease lapses, then a retry runs the work again", cause, false);
        this.key = Objects.requireNonNull(key, "key");
        this.result = result;
        this.response = Objects.requireNonNull(response, "response");
    }

    /**
     * Returns the key.
     *
     * @return the key
     */
    public @NotNull IdempotencyKey key() {
        return key;
    }

    /**
     * Returns what the work returned ({@code null} also after deserialization).
     *
     * @return what the work returned ({@code null} also after deserialization)
     */
    public @Nullable Object result() {
        return result;
    }

    /**
     * Returns the response the result was encoded to, as it would have been stored.
     *
     * @return the response the result was encoded to, as it would have been stored
     */
    public @NotNull StoredResponse response() {
        return response;
    }
}

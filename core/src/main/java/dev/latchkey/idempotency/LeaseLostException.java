package dev.latchkey.idempotency;

import java.io.Serial;
import java.util.Objects;

import org.jetbrains.annotations.NotNull;

/**
 * The work of an idempotent request finished after its lease had lapsed and another request
 * took the key over: this worker's result was not stored (the fence refused it) and the other
 * worker's result stands. Maps to HTTP 409; transient: a retry replays the response of the
 * worker that took over once it completes.
 *
 * <p>The work did run. Keep leases longer than the work, or use the JDBC store's transactional
 * mode, where the claim, the work's writes and the response commit together.
 *
 * <p>A {@link dev.latchkey.lease.LeaseLostException} (since leases became a feature of their own):
 * its {@code leaseName()} is the key's text and its {@code fencingToken()} the attempt number.
 * Inserting that superclass between this class and {@code ConcurrencyException} keeps this class
 * binary compatible: its constructor and methods are unchanged.
 */
public class LeaseLostException extends dev.latchkey.lease.LeaseLostException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final @NotNull IdempotencyKey key;
    private final int attempt;

    /**
     * Creates the exception.
     *
     * @param key the key
     * @param attempt the attempt number of the claim that lost its lease
     */
    public LeaseLostException(@NotNull IdempotencyKey key, int attempt) {
        super("the lease of attempt " + attempt + " on idempotency key " + Objects.requireNonNull(key, "key")
                + " lapsed and was taken over before the work completed; its result was not stored",
                key.toString(), attempt, null, true);
        this.key = key;
        this.attempt = attempt;
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
     * Returns the attempt number of the claim that lost its lease.
     *
     * @return the attempt number of the claim that lost its lease
     */
    public int attempt() {
        return attempt;
    }
}

package dev.latchkey;

import java.io.Serial;

import org.jetbrains.annotations.NotNull;

/**
 * A retry policy gave up: every allowed attempt failed, or the policy's time budget ran out.
 * The {@linkplain #getCause() cause} is the last failure; earlier failures are attached as
 * {@linkplain #getSuppressed() suppressed} exceptions by {@code RetryPolicy} (at most
 * {@code RetryPolicy.MAX_SUPPRESSED}, oldest first). Not transient.
 */
public class RetriesExhaustedException extends ConcurrencyException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int attempts;

    /**
     * Creates the exception.
     *
     * @param attempts how many attempts were made, {@code >= 1}
     * @param lastFailure the failure of the last attempt
     */
    public RetriesExhaustedException(int attempts, @NotNull Throwable lastFailure) {
        super("gave up after " + attempts + " attempt" + (attempts == 1 ? "" : "s") + ": " + lastFailure,
                lastFailure, false,
                lastFailure instanceof ConcurrencyException ? ((ConcurrencyException) lastFailure).sqlState() : null,
                lastFailure instanceof ConcurrencyException ? ((ConcurrencyException) lastFailure).vendorCode() : 0);
        this.attempts = attempts;
    }

    /**
     * How many attempts were made before giving up.
     *
     * @return the attempt count, {@code >= 1}
     */
    public int attempts() {
        return attempts;
    }

    /**
     * The failure of the last attempt.
     *
     * @return the last failure (the same as {@link #getCause()})
     */
    public @NotNull Throwable lastFailure() {
        Throwable cause = getCause();
        assert cause != null;
        return cause;
    }
}

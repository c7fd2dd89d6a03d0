package dev.latchkey.redis;

import java.io.Serial;

import dev.latchkey.CommitOutcomeUnknownException;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The connection to Redis failed (or the command timed out) while a write script was in flight,
 * so whether Redis ran it cannot be known from this side: the claim may hold the key, the
 * completion may be stored, the release may have happened. Never retried automatically, by
 * Latchkey or by the Lettuce connection (the store's connection does not replay commands after a
 * reconnect): re-running could apply the write twice. Read the key's record
 * ({@code find}) before trying again; a claim that did happen lapses after its lease.
 *
 * <p>A {@link CommitOutcomeUnknownException}, so code that handles an unknown commit outcome of
 * a database handles this one too. Not transient.
 */
public class WriteOutcomeUnknownException extends CommitOutcomeUnknownException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the operation and the key
     * @param cause the client's exception, or {@code null}
     */
    public WriteOutcomeUnknownException(@NotNull String message, @Nullable Throwable cause) {
        super(message, cause, null, 0);
    }
}

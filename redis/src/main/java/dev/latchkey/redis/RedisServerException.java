package dev.latchkey.redis;

import java.io.Serial;

import dev.latchkey.ConcurrencyException;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Redis answered a command with an error reply that is not a connection or failover condition:
 * for example {@code OOM} (the server reached {@code maxmemory} under {@code noeviction} and
 * refuses writes), {@code NOPERM} (the ACL user may not run scripts) or an unexpected script
 * error. Redis refused or aborted the command, so nothing was written. Not transient: the
 * condition needs an operator.
 */
public class RedisServerException extends ConcurrencyException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was refused, with the server's error text
     * @param cause the client's exception, or {@code null}
     */
    public RedisServerException(@NotNull String message, @Nullable Throwable cause) {
        super(message, cause, false);
    }
}

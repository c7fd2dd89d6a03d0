package dev.latchkey.redis;

import java.io.Serial;
import java.time.Duration;
import java.util.Objects;

import dev.latchkey.ConcurrencyException;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A write ran on the Redis primary, but fewer replicas than
 * {@link LatchkeyRedis.Builder#waitForReplicas(int, Duration) required} acknowledged it within
 * the timeout ({@code WAIT} returned fewer). The write is not undone: it is visible on the
 * primary, and it is lost if the primary fails before a replica copies it. For a claim the key
 * stays claimed (by a token nobody will use) until its lease lapses; for a completion the
 * response is stored on the primary.
 *
 * <p>Not transient: re-running the operation does not make the earlier write durable, and a
 * re-run claim finds the key in progress. Check the replicas' health.
 */
public class ReplicationNotAcknowledgedException extends ConcurrencyException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int required;
    private final long acknowledged;
    private final @NotNull Duration timeout;

    /**
     * Creates the exception.
     *
     * @param operation what was written, e.g. {@code "claim of scope/key"}
     * @param required how many replicas had to acknowledge
     * @param acknowledged how many did
     * @param timeout how long {@code WAIT} waited
     * @param cause why {@code WAIT} itself failed (the connection, a timeout), or {@code null} when it
     *        answered with too few replicas
     */
    public ReplicationNotAcknowledgedException(@NotNull String operation, int required, long acknowledged,
                                               @NotNull Duration timeout, @Nullable Throwable cause) {
        super(Objects.requireNonNull(operation, "operation") + " ran on the Redis primary but only " + acknowledged
                + " of " + required + " required replicas acknowledged it within " + timeout.toMillis()
                + " ms (WAIT): the write is lost if the primary fails before a replica copies it", cause, false);
        this.required = required;
        this.acknowledged = acknowledged;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Returns how many replicas had to acknowledge the write.
     *
     * @return how many replicas had to acknowledge the write
     */
    public int required() {
        return required;
    }

    /**
     * Returns how many replicas acknowledged the write within the timeout.
     *
     * @return how many replicas acknowledged the write within the timeout
     */
    public long acknowledged() {
        return acknowledged;
    }

    /**
     * Returns how long {@code WAIT} waited.
     *
     * @return how long {@code WAIT} waited
     */
    public @NotNull Duration timeout() {
        return timeout;
    }
}

package dev.latchkey.lease;

import java.io.Serial;
import java.util.Objects;

import dev.latchkey.ConcurrencyException;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A lease is no longer held: it expired (by the backend's clock), another owner took it over, it
 * was released, or the heartbeat could not renew it in time. Whatever was to be protected by the
 * lease must not be written any more; a fenced operation that throws this wrote nothing.
 *
 * <p>Not {@linkplain #isTransient() transient}: re-running the same transaction can never succeed,
 * since this acquisition will never be held again, so retry policies do not retry it. Acquire the
 * lease anew (a new acquisition, with a higher fencing token) to continue. The idempotency
 * executors' own
 * {@link dev.latchkey.idempotency.LeaseLostException} is a subclass, so one {@code catch} of this
 * type covers both.
 */
public class LeaseLostException extends ConcurrencyException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final @NotNull String name;
    private final long fencingToken;

    /**
     * Creates the exception for a lease.
     *
     * @param name the lease name
     * @param fencingToken the fencing token of the acquisition that was lost
     * @param reason why it is lost, completing "lease NAME (token N) ..."
     * @param cause the failure that made it lost (e.g. the heartbeat's last error), or {@code null}
     */
    public LeaseLostException(@NotNull String name, long fencingToken, @NotNull String reason,
                              @Nullable Throwable cause) {
        this("lease " + Objects.requireNonNull(name, "name") + " (fencing token " + fencingToken + ") "
                + Objects.requireNonNull(reason, "reason"), name, fencingToken, cause, false);
    }

    /**
     * Creates the exception with a message of its own, for subclasses.
     *
     * @param message the whole message
     * @param name the lease name
     * @param fencingToken the fencing token (or attempt number) of the acquisition that was lost
     * @param cause the failure that made it lost, or {@code null}
     * @param transientFailure whether re-running the unit of work can succeed
     */
    protected LeaseLostException(@NotNull String message, @NotNull String name, long fencingToken,
                                 @Nullable Throwable cause, boolean transientFailure) {
        super(message, cause, transientFailure);
        this.name = Objects.requireNonNull(name, "name");
        this.fencingToken = fencingToken;
    }

    /**
     * Returns the name of the lease that was lost.
     *
     * @return the lease name
     */
    public @NotNull String leaseName() {
        return name;
    }

    /**
     * Returns the fencing token of the acquisition that was lost.
     *
     * @return the fencing token
     */
    public long fencingToken() {
        return fencingToken;
    }
}

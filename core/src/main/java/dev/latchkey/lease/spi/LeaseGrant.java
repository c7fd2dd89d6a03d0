package dev.latchkey.lease.spi;

import java.time.Instant;
import java.util.Objects;

import org.jetbrains.annotations.NotNull;

/**
 * What a backend reports when it grants or extends a lease: the acquisition's fencing token and
 * the expiry, together with the backend's own current time when it computed that expiry. The
 * lease turns the difference of the two into a local deadline on the JVM's monotonic clock, so the
 * JVM's wall clock never matters.
 *
 * @param token the fencing token of the acquisition, {@code >= 1}
 * @param expiresAt when the lease expires, on the backend's clock
 * @param backendNow the backend's time when it computed {@code expiresAt}
 */
public record LeaseGrant(long token, @NotNull Instant expiresAt, @NotNull Instant backendNow) {
    /**
     * Checks the values.
     *
     * @param token the fencing token of the acquisition, {@code >= 1}
     * @param expiresAt when the lease expires, on the backend's clock
     * @param backendNow the backend's time when it computed {@code expiresAt}
     * @throws IllegalArgumentException if {@code token < 1}
     * @throws NullPointerException if an instant is {@code null}
     */
    public LeaseGrant {
        if (token < 1) {
            throw new IllegalArgumentException("token must be >= 1: token=" + token);
        }
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(backendNow, "backendNow");
    }
}

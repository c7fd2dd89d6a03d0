package dev.latchkey.jdbc.lease;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

import dev.latchkey.lease.LeaseLostException;
import dev.latchkey.lease.LeaseRequest;
import org.jetbrains.annotations.NotNull;

/**
 * How to acquire one named lease in the database: see {@link LeaseRequest} for the contract and
 * {@link JdbcLeases} for the statements. Each acquisition try is one statement; an acquisition may
 * wait while the current holder runs a fenced transaction (its row lock is what keeps a holder
 * that paused past expiry from committing after being taken over). Immutable and thread-safe.
 */
public final class JdbcLeaseRequest implements LeaseRequest<JdbcLease> {
    private final LeaseRequest<JdbcLease> request;

    JdbcLeaseRequest(LeaseRequest<JdbcLease> request) {
        this.request = request;
    }

    @Override
    public @NotNull String name() {
        return request.name();
    }

    @Override
    public @NotNull JdbcLeaseRequest withHeartbeat(@NotNull Duration every) {
        return new JdbcLeaseRequest(request.withHeartbeat(every));
    }

    @Override
    public @NotNull JdbcLeaseRequest onLost(@NotNull Consumer<? super LeaseLostException> callback) {
        return new JdbcLeaseRequest(request.onLost(callback));
    }

    @Override
    public @NotNull Optional<JdbcLease> tryAcquire(@NotNull Duration atMostFor, @NotNull Duration atLeastFor) {
        return request.tryAcquire(atMostFor, atLeastFor);
    }

    @Override
    public @NotNull JdbcLease acquire(@NotNull Duration atMostFor, @NotNull Duration atLeastFor,
                                      @NotNull Duration maxWait) throws InterruptedException {
        return request.acquire(atMostFor, atLeastFor, maxWait);
    }

    @Override
    public String toString() {
        return request.toString();
    }
}

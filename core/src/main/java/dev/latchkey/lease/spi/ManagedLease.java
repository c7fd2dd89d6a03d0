package dev.latchkey.lease.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import dev.latchkey.lease.Lease;
import dev.latchkey.lease.LeaseLostException;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The lease the {@link LeaseEngine} hands out over any backend: see {@link Lease} for the
 * guarantees. A backend's fenced operations (a JDBC fenced transaction, say) that find the
 * acquisition gone on the backend call {@link #lost(String, Throwable)}, so the lease reports it
 * at once to every thread and to its callback.
 *
 * <p>States: held, then exactly one ending (released, or lost with a reason), set by one
 * compare-and-set; the callback runs only for the thread whose CAS made the lease lost, so at
 * most once.
 */
public final class ManagedLease implements Lease {
    private static final System.Logger LOG = System.getLogger(ManagedLease.class.getName());

    private final LeaseEngine engine;
    private final String name;
    private final long token;
    private final Duration atMostFor;
    private final @Nullable Duration heartbeat;
    private final @Nullable Consumer<? super LeaseLostException> onLost;
    /** Serializes this lease's backend calls (extend, release, renewals); never held by {@code synchronized}. */
    private final ReentrantLock backendCalls = new ReentrantLock();
    /** CAS: {@code null} while held; the first ending set wins and is final. */
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    /** Volatile: written under {@code backendCalls} on each grant, read lock-free by any thread. */
    private volatile long deadlineNanos;
    /** Volatile: written with {@code deadlineNanos}, read by any thread. */
    private volatile Instant expiresAt;
    /** Volatile: the heartbeat's last renewal failure, cleared by a successful renewal. */
    private volatile @Nullable Throwable renewalFailure;
    /** Volatile: set once by {@link #start}, before any other thread can see the lease; read to cancel. */
    private volatile @Nullable ScheduledFuture<?> heartbeatTask;
    /** Volatile: the pending expiry timer, replaced by the timer itself when the lease was extended. */
    private volatile @Nullable ScheduledFuture<?> expiryTask;

    private ManagedLease(LeaseEngine engine, String name, Duration atMostFor, @Nullable Duration heartbeat,
                         @Nullable Consumer<? super LeaseLostException> onLost, long sentNanos, LeaseGrant grant) {
        this.engine = engine;
        this.name = name;
        this.token = grant.token();
        this.atMostFor = atMostFor;
        this.heartbeat = heartbeat;
        this.onLost = onLost;
        apply(sentNanos, grant);
    }

    static ManagedLease start(LeaseEngine engine, String name, Duration atMostFor, @Nullable Duration heartbeat,
                              @Nullable Consumer<? super LeaseLostException> onLost, long sentNanos,
                              LeaseGrant grant) {
        ManagedLease lease = new ManagedLease(engine, name, atMostFor, heartbeat, onLost, sentNanos, grant);
        try {
            if (heartbeat != null) {
                long every = heartbeat.toNanos();
                lease.heartbeatTask = engine.timer().scheduleWithFixedDelay(
                        lease::heartbeatTick, every, every, TimeUnit.NANOSECONDS);
            }
            if (heartbeat != null || onLost != null) {
                lease.scheduleExpiryCheck();
            }
        } catch (RejectedExecutionException e) {
            lease.lost("could not schedule its heartbeat or expiry timer (scheduler shut down)", e);
        }
        return lease;
    }

    @Override
    public @NotNull String name() {
        return name;
    }

    @Override
    public long fencingToken() {
        return token;
    }

    @Override
    public boolean isHeld() {
        if (ending.get() != null) {
            return false;
        }
        if (expiredLocally()) {
            lost(expiredReason(), renewalFailure);
            return false;
        }
        return true;
    }

    @Override
    public void checkHeld() {
        if (!isHeld()) {
            throw ending.get().exception(this);
        }
    }

    @Override
    public @NotNull Instant expiresAt() {
        return expiresAt;
    }

    /**
     * Returns the time left before the local deadline, on the injected monotonic clock: how long
     * a fenced operation may still count on the lease (zero or negative once expired).
     *
     * @return the time left; the lease may still have ended earlier (see {@link #isHeld()})
     */
    public @NotNull Duration remaining() {
        return Duration.ofNanos(deadlineNanos - engine.nanoTime());
    }

    @Override
    public void extend(@NotNull Duration by) {
        LeaseArguments.positive(by, "by");
        backendCalls.lock();
        try {
            checkHeld();
            renew(by);
        } finally {
            backendCalls.unlock();
        }
        checkHeld();
    }

    @Override
    public boolean release() {
        backendCalls.lock();
        try {
            if (!isHeld() || !ending.compareAndSet(null, Ending.RELEASED)) {
                return false;
            }
            cancelTimers();
            return engine.backend().release(name, engine.owner(), token);
        } finally {
            backendCalls.unlock();
        }
    }

    @Override
    public void close() {
        release();
    }

    /**
     * Marks the lease lost (if it is still held) and tells its callback; for a backend's fenced
     * operation that found the acquisition gone. Stops the heartbeat.
     *
     * @param reason why, completing "lease NAME (fencing token N) ..."
     * @param cause the failure that showed it, or {@code null}
     * @return {@code true} if this call ended the lease; {@code false} if it had already ended
     */
    public boolean lost(@NotNull String reason, @Nullable Throwable cause) {
        Ending lost = new Ending(Objects.requireNonNull(reason, "reason"), cause);
        if (!ending.compareAndSet(null, lost)) {
            return false;
        }
        cancelTimers();
        if (onLost != null) {
            try {
                onLost.accept(lost.exception(this));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "onLost callback of lease " + name + " threw", e);
            }
        }
        return true;
    }

    /**
     * Returns the exception that says why this lease is not held, for a backend's fenced
     * operation that must refuse to run.
     *
     * @return the exception (a new instance), or empty while the lease is held
     */
    public @NotNull Optional<LeaseLostException> lostException() {
        return isHeld() ? Optional.empty() : Optional.of(ending.get().exception(this));
    }

    /** Under {@code backendCalls}: one extension round trip; applies the grant or ends the lease. */
    private void renew(Duration by) {
        long sent = engine.nanoTime();
        Optional<LeaseGrant> grant = engine.backend().extend(name, engine.owner(), token, by);
        if (grant.isEmpty()) {
            lost("expired or was taken over on the backend before it could be extended", null);
        } else {
            apply(sent, grant.get());
            renewalFailure = null;
        }
    }

    private void apply(long sentNanos, LeaseGrant grant) {
        long granted;
        try {
            granted = Duration.between(grant.backendNow(), grant.expiresAt()).toNanos();
        } catch (ArithmeticException e) {
            granted = Long.MAX_VALUE / 4;
        }
        expiresAt = grant.expiresAt();
        deadlineNanos = sentNanos + granted;
    }

    private boolean expiredLocally() {
        return engine.nanoTime() - deadlineNanos >= 0;
    }

    private String expiredReason() {
        return renewalFailure == null ? "expired (its time on the backend's clock ran out)"
                : "expired: the heartbeat failed to renew it in time";
    }

    private void heartbeatTick() {
        if (ending.get() != null) {
            cancelTimers();
            return;
        }
        try {
            engine.io().execute(this::heartbeatRenewal);
        } catch (RejectedExecutionException e) {
            lost("lost its heartbeat: the renewal could not be run", e);
        }
    }

    private void heartbeatRenewal() {
        if (!backendCalls.tryLock()) {
            return; // the holder is extending or releasing right now
        }
        try {
            if (isHeld()) {
                renew(atMostFor);
            }
        } catch (RuntimeException e) {
            renewalFailure = e;
            LOG.log(System.Logger.Level.WARNING, "heartbeat of lease " + name + " (fencing token " + token
                    + ") failed to renew it; retrying at the next tick while it lasts", e);
            isHeld();
        } finally {
            backendCalls.unlock();
        }
    }

    private void scheduleExpiryCheck() {
        long left = Math.max(0, deadlineNanos - engine.nanoTime());
        expiryTask = engine.timer().schedule(this::expiryCheck, left, TimeUnit.NANOSECONDS);
    }

    private void expiryCheck() {
        if (isHeld()) {
            try {
                scheduleExpiryCheck(); // extended meanwhile
            } catch (RejectedExecutionException e) {
                lost("lost its expiry timer (scheduler shut down)", e);
            }
        }
    }

    private void cancelTimers() {
        ScheduledFuture<?> beat = heartbeatTask;
        if (beat != null) {
            beat.cancel(false);
        }
        ScheduledFuture<?> expiry = expiryTask;
        if (expiry != null) {
            expiry.cancel(false);
        }
    }

    @Override
    public String toString() {
        Ending e = ending.get();
        return "Lease[" + name + ", token=" + token + ", expiresAt=" + expiresAt + ", "
                + (e == null ? "held" : e.reason == null ? "released" : "lost") + "]";
    }

    /** How a lease ended: released ({@code reason == null}) or lost. Immutable. */
    private static final class Ending {
        static final Ending RELEASED = new Ending(null, null);

        final @Nullable String reason;
        final @Nullable Throwable cause;

        Ending(@Nullable String reason, @Nullable Throwable cause) {
            this.reason = reason;
            this.cause = cause;
        }

        LeaseLostException exception(ManagedLease lease) {
            return new LeaseLostException(lease.name, lease.token, reason == null ? "was released" : reason, cause);
        }
    }
}

// Over 400 lines on purpose: the one engine behind both executors (claim, work, encode, size check,
// complete or release, waiting duplicates); the protocol reads top to bottom in one file, and about a
// third of it is Javadoc.
package dev.latchkey.idempotency.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import dev.latchkey.ConcurrencyListener;
import dev.latchkey.RetriesExhaustedException;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyKeyInUseException;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.IdempotentResult;
import dev.latchkey.idempotency.LeaseLostException;
import dev.latchkey.idempotency.ResponseCodec;
import dev.latchkey.idempotency.ResultNotRecordedException;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.lease.spi.Heartbeat;
import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The one implementation of "at most once per key" behind every idempotency executor: claim
 * the key, run the work, encode its result, check the size, complete the key fenced on the
 * claim's owner token; replay a completed key; report or wait out a key in use; release the key
 * or store the failure when the work fails; tell the listener about replays. It throws what
 * {@link Idempotency} documents.
 *
 * <p>An executor plugs in a {@link Scope}: how to reach the store and where an attempt runs.
 * {@link Scope#of(IdempotencyStore)} runs each attempt directly on a store, with the work
 * outside any store transaction (what {@link IdempotencyStore#executor} does). A transactional
 * scope (latchkey-jdbc's {@code TransactionalIdempotency}) runs the claim, the work and the
 * completion in one database transaction on one connection, which it hands to the work.
 *
 * <p>Immutable and thread-safe.
 */
public final class IdempotencyEngine {
    private static final System.Logger LOG = System.getLogger(IdempotencyEngine.class.getName());

    private final IdempotencyPolicy policy;
    private final ConcurrencyListener listener;
    /** The store's {@link IdempotencyStore#maxResponseBytes()}, read once when the engine was made. */
    private final int storeMaxResponseBytes;
    private final String storeName;

    private IdempotencyEngine(IdempotencyPolicy policy, ConcurrencyListener listener, int storeMaxResponseBytes,
                              String storeName) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.listener = ConcurrencyListener.guarded(Objects.requireNonNull(listener, "listener"));
        this.storeMaxResponseBytes = storeMaxResponseBytes;
        this.storeName = storeName;
        if (policy.maxResponseBytes() > storeMaxResponseBytes) {
            throw new IllegalArgumentException("the policy's maxResponseBytes (" + policy.maxResponseBytes()
                    + " bytes) is more than " + storeName + " can record (" + storeMaxResponseBytes
                    + " bytes): a response between the two would be refused only after the work ran; set "
                    + "IdempotencyPolicy.Builder.maxResponseBytes to at most " + storeMaxResponseBytes);
        }
    }

    /**
     * An engine on a store. Reads the store's {@link IdempotencyStore#maxResponseBytes()} once:
     * a response the policy allows must be one the store can record, so that an oversize
     * response fails with {@link dev.latchkey.idempotency.ResponseTooLargeException} (the key
     * released) rather than after the work, in the store.
     *
     * @param policy the policy
     * @param listener told about replays; a thread-safe listener
     * @param store the store the engine's scopes reach
     * @return the engine
     * @throws IllegalArgumentException naming both numbers if the policy's
     *         {@link IdempotencyPolicy#maxResponseBytes()} is more than the store's
     */
    public static @NotNull IdempotencyEngine of(@NotNull IdempotencyPolicy policy,
                                                @NotNull ConcurrencyListener listener,
                                                @NotNull IdempotencyStore store) {
        Objects.requireNonNull(store, "store");
        return new IdempotencyEngine(policy, listener, store.maxResponseBytes(), store.toString());
    }

    /**
     * This engine with another policy.
     *
     * @param policy the policy
     * @return a new engine
     * @throws IllegalArgumentException if the policy allows larger responses than the store records
     */
    public @NotNull IdempotencyEngine withPolicy(@NotNull IdempotencyPolicy policy) {
        return new IdempotencyEngine(policy, listener, storeMaxResponseBytes, storeName);
    }

    /**
     * This engine, telling another listener about replays.
     *
     * @param listener a thread-safe listener
     * @return a new engine
     */
    public @NotNull IdempotencyEngine withListener(@NotNull ConcurrencyListener listener) {
        return new IdempotencyEngine(policy, listener, storeMaxResponseBytes, storeName);
    }

    /**
     * Returns the policy.
     *
     * @return the policy
     */
    public @NotNull IdempotencyPolicy policy() {
        return policy;
    }

    /**
     * Returns the listener.
     *
     * @return the listener
     */
    public @NotNull ConcurrencyListener listener() {
        return listener;
    }

    /**
     * Runs work at most once per key, storing its result through a codec.
     *
     * @param scope how the store is reached and where each attempt runs
     * @param key the idempotency key
     * @param fingerprint the request's fingerprint
     * @param codec encodes the result to store and decodes a replay
     * @param work the work; receives the scope's context (a transactional scope's connection)
     * @param <C> the scope's context
     * @param <T> the result type
     * @return the result, fresh or replayed
     * @see Idempotency the exceptions thrown
     */
    public <C, T> @NotNull IdempotentResult<T> execute(@NotNull Scope<C> scope, @NotNull IdempotencyKey key,
                                                       @NotNull Fingerprint fingerprint,
                                                       @NotNull ResponseCodec<T> codec,
                                                       @NotNull Function<? super C, ? extends T> work) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(work, "work");
        // the failure the work itself threw in the last attempt, to tell it from the scope's own
        RuntimeException[] workFailure = new RuntimeException[1];
        Outcome<T> outcome;
        try {
            outcome = scope.run(context -> attempt(scope, context, key, fingerprint, codec, work, workFailure));
        } catch (RuntimeException failure) {
            if (failure == workFailure[0]) {
                storeAfterRollback(scope, key, fingerprint, failure);
            }
            throw failure;
        }
        if (outcome.inUse()) {
            throw new IdempotencyKeyInUseException(key.scope(), key.key());
        }
        StoredResponse response = Objects.requireNonNull(outcome.response(), "response");
        if (outcome.replayed()) {
            notifyReplay(key);
            return IdempotentResult.replayed(policy.decodeReplay(key, response, codec), response);
        }
        if (response.isFailure()) {
            // the codec encoded the result as a stored failure: replays throw it, so the first caller does too
            throw policy.replayedFailure(key, response);
        }
        return IdempotentResult.fresh(outcome.value(), response);
    }

    /** One attempt: claim, then replay, report in use, or run the work and complete the key. */
    private <C, T> Outcome<T> attempt(Scope<C> scope, C context, IdempotencyKey key, Fingerprint fingerprint,
                                      ResponseCodec<T> codec, Function<? super C, ? extends T> work,
                                      RuntimeException[] workFailure) {
        workFailure[0] = null;
        ClaimResult claim = claim(scope, context, key, fingerprint);
        if (claim instanceof ClaimResult.Replay) {
            return Outcome.replay(((ClaimResult.Replay) claim).response());
        }
        if (claim instanceof ClaimResult.InProgress) {
            listener.onIdempotencyInProgress(key.scope(), key.key());
            return Outcome.keyInUse();
        }
        ClaimResult.Claimed claimed = (ClaimResult.Claimed) claim;
        listener.onIdempotencyClaim(key.scope(), key.key(), claimed.isTakeover());
        T value;
        StoredResponse response;
        Heartbeat renewal = renewal(scope, context, key, claimed);
        try {
            value = work.apply(context);
            response = codec.encode(value);
            policy.checkResponseSize(key, response);
        } catch (RuntimeException failure) {
            if (scope.transactional()) {
                workFailure[0] = failure;
            } else {
                settleFailure(scope, context, key, claimed, failure);
            }
            throw failure;
        } catch (Throwable error) {
            // an Error, or a checked exception smuggled out of the work (Kotlin, @SneakyThrows):
            // release the key so a retry runs, rather than leaving it in progress for the lease
            if (!scope.transactional()) {
                releaseQuietly(scope, context, key, claimed, error);
            }
            throw error;
        } finally {
            if (renewal != null) {
                renewal.close();
            }
        }
        if (complete(scope, context, key, claimed, value, response) == FenceOutcome.LEASE_LOST) {
            throw new LeaseLostException(key, claimed.attempt());
        }
        return Outcome.fresh(value, response);
    }

    /**
     * Renews the claim's lease while the work runs, when the policy asks and the scope is not
     * transactional (a transaction holds the key's row itself): one store renewal per beat on the
     * shared lease heartbeat, stopped when the work ends or a renewal finds the lease lost.
     */
    private <C> @Nullable Heartbeat renewal(Scope<C> scope, C context, IdempotencyKey key, ClaimResult.Claimed claimed) {
        Duration every = policy.leaseRenewal();
        if (every == null || scope.transactional()) {
            return null;
        }
        return Heartbeat.start(every, () -> {
            try {
                return scope.renew(context, key, claimed.owner(), policy.lease()) == FenceOutcome.APPLIED;
            } catch (UnsupportedOperationException cannot) {
                LOG.log(System.Logger.Level.WARNING, "lease renewal is configured but " + scope + " cannot renew", cannot);
                return false;
            }
        });
    }

    /**
     * Records the work's result. An interrupt of this thread is held back meanwhile (and set again
     * after): the work is done, and failing to record it would only let it run again. A
     * non-transactional scope that still cannot record it throws
     * {@link ResultNotRecordedException}; in a transactional one the failure rolls the work back.
     */
    private <C, T> FenceOutcome complete(Scope<C> scope, C context, IdempotencyKey key, ClaimResult.Claimed claimed,
                                         T value, StoredResponse response) {
        boolean interrupted = Thread.interrupted();
        try {
            return scope.complete(context, key, claimed.owner(), response, policy.retention());
        } catch (RuntimeException failure) {
            if (scope.transactional()) {
                throw failure;
            }
            throw new ResultNotRecordedException(key, value, response, failure);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Claims the key; a non-transactional scope waits out a key in use if the policy says so. */
    private <C> ClaimResult claim(Scope<C> scope, C context, IdempotencyKey key, Fingerprint fingerprint) {
        RetryPolicy wait = scope.transactional() ? null : policy.inProgressWait();
        if (wait == null) {
            return scope.claim(context, key, fingerprint, policy.lease(), policy.retention());
        }
        try {
            return wait.execute(attempt -> attempt == 1
                    ? claimOrThrowInUse(scope, context, key, fingerprint)
                    : poll(scope, context, key, fingerprint));
        } catch (RetriesExhaustedException e) {
            if (e.getCause() instanceof IdempotencyKeyInUseException) {
                throw (IdempotencyKeyInUseException) e.getCause();
            }
            throw e;
        }
    }

    private <C> ClaimResult claimOrThrowInUse(Scope<C> scope, C context, IdempotencyKey key,
                                              Fingerprint fingerprint) {
        ClaimResult r = scope.claim(context, key, fingerprint, policy.lease(), policy.retention());
        if (r instanceof ClaimResult.InProgress) {
            listener.onIdempotencyInProgress(key.scope(), key.key());
            throw new IdempotencyKeyInUseException(key.scope(), key.key());
        }
        return r;
    }

    /** One poll of a waiting duplicate: replay if completed, claim if free or lapsed, else still in use. */
    private <C> ClaimResult poll(Scope<C> scope, C context, IdempotencyKey key, Fingerprint fingerprint) {
        Optional<IdempotencyRecord> found = scope.find(context, key);
        if (found.isPresent()) {
            IdempotencyRecord record = found.get().requireFingerprint(fingerprint);
            if (record.state() == IdempotencyState.COMPLETED) {
                return new ClaimResult.Replay(record);
            }
            if (!record.isLeaseLapsed()) {
                throw new IdempotencyKeyInUseException(key.scope(), key.key());
            }
        }
        return claimOrThrowInUse(scope, context, key, fingerprint);
    }

    /** Non-transactional: store the failure with the claim if the policy says so, else release the key. */
    private <C> void settleFailure(Scope<C> scope, C context, IdempotencyKey key, ClaimResult.Claimed claimed,
                                   RuntimeException failure) {
        StoredResponse stored = encodeFailure(key, failure);
        if (stored == null) {
            releaseQuietly(scope, context, key, claimed, failure);
            return;
        }
        try {
            scope.complete(context, key, claimed.owner(), stored, policy.retention());
        } catch (RuntimeException storeFailure) {
            failure.addSuppressed(storeFailure);
        }
    }

    /** Transactional: the rollback released the key; store the failure in an attempt of its own if the policy says so. */
    private <C> void storeAfterRollback(Scope<C> scope, IdempotencyKey key, Fingerprint fingerprint,
                                        RuntimeException failure) {
        StoredResponse stored = encodeFailure(key, failure);
        if (stored == null) {
            return;
        }
        try {
            scope.run(context -> {
                ClaimResult claim = scope.claim(context, key, fingerprint, policy.lease(), policy.retention());
                if (claim instanceof ClaimResult.Claimed) {
                    scope.complete(context, key, ((ClaimResult.Claimed) claim).owner(), stored, policy.retention());
                }
                return null;
            });
        } catch (RuntimeException storeFailure) {
            failure.addSuppressed(storeFailure);
        }
    }

    /** The failure as the policy stores it, or null to release the key (also when encoding fails). */
    private @Nullable StoredResponse encodeFailure(IdempotencyKey key, RuntimeException failure) {
        try {
            return policy.encodeFailure(key, failure);
        } catch (RuntimeException encodeFailure) {
            failure.addSuppressed(encodeFailure);
            return null;
        }
    }

    private <C> void releaseQuietly(Scope<C> scope, C context, IdempotencyKey key, ClaimResult.Claimed claimed,
                                    Throwable primary) {
        try {
            scope.release(context, key, claimed.owner());
        } catch (RuntimeException releaseFailure) {
            primary.addSuppressed(releaseFailure);
        }
    }

    private void notifyReplay(IdempotencyKey key) {
        listener.onIdempotencyReplay(key.scope(), key.key());
    }

    @Override
    public @NotNull String toString() {
        return "IdempotencyEngine[" + policy + "]";
    }

    /**
     * How an executor reaches its store and where the engine runs an attempt (claim, work,
     * completion). Implementations are thread-safe.
     *
     * @param <C> what an attempt runs on and the work receives: the store itself for
     *            {@link #of(IdempotencyStore)}, a transaction's connection for a transactional scope
     */
    public interface Scope<C> {

        /**
         * A scope that runs each attempt once, directly on the store; the work runs outside any
         * store transaction.
         *
         * @param store the store
         * @return the scope
         */
        static @NotNull Scope<IdempotencyStore> of(@NotNull IdempotencyStore store) {
            return new DirectScope(store);
        }

        /**
         * Runs an attempt. A transactional scope runs it in a transaction that commits when it
         * returns and rolls back when it throws, and may run it again (a retried transaction).
         *
         * @param attempt the attempt, given this scope's context
         * @param <R> the attempt's result
         * @return what the attempt returned
         */
        <R> R run(@NotNull Function<? super C, ? extends R> attempt);

        /**
         * Whether an attempt's claim rolls back with the work's writes when it fails. Then the
         * engine neither releases a failed claim nor completes it with a stored failure (it
         * stores the failure in a new attempt after the rollback), and a duplicate waits on
         * the database's lock of the key, not by polling: the policy's in-progress wait does
         * not apply.
         *
         * @return {@code true} for a transactional scope; {@code false} by default
         */
        default boolean transactional() {
            return false;
        }

        /**
         * {@link IdempotencyStore#claim} on the context.
         *
         * @param context the context of the running attempt
         * @param key the key
         * @param fingerprint the request's fingerprint
         * @param lease the lease
         * @param retention the retention if never completed
         * @return what the claim found
         */
        @NotNull ClaimResult claim(@NotNull C context, @NotNull IdempotencyKey key, @NotNull Fingerprint fingerprint,
                                   @NotNull Duration lease, @NotNull Duration retention);

        /**
         * {@link IdempotencyStore#complete} on the context.
         *
         * @param context the context of the running attempt
         * @param key the key
         * @param owner the claim's owner token
         * @param response the response to store
         * @param retention how long the completed record lives
         * @return whether the owner still held the key
         */
        @NotNull FenceOutcome complete(@NotNull C context, @NotNull IdempotencyKey key, @NotNull OwnerToken owner,
                                       @NotNull StoredResponse response, @NotNull Duration retention);

        /**
         * {@link IdempotencyStore#release} on the context.
         *
         * @param context the context of the running attempt
         * @param key the key
         * @param owner the claim's owner token
         * @return whether the owner still held the key
         */
        @NotNull FenceOutcome release(@NotNull C context, @NotNull IdempotencyKey key, @NotNull OwnerToken owner);

        /**
         * Renews the lease of a key the owner holds (see {@link IdempotencyStore#renew}).
         *
         * @param context the attempt's context
         * @param key the key
         * @param owner the owner token of the claim
         * @param lease the new lease from now
         * @return {@link FenceOutcome#APPLIED}, or {@link FenceOutcome#LEASE_LOST}
         * @throws UnsupportedOperationException by default: the scope cannot renew
         */
        default @NotNull FenceOutcome renew(@NotNull C context, @NotNull IdempotencyKey key, @NotNull OwnerToken owner,
                                            @NotNull Duration lease) {
            throw new UnsupportedOperationException(this + " cannot renew idempotency leases");
        }

        /**
         * {@link IdempotencyStore#find} on the context.
         *
         * @param context the context of the running attempt
         * @param key the key
         * @return the record, or empty when absent or expired
         */
        @NotNull Optional<IdempotencyRecord> find(@NotNull C context, @NotNull IdempotencyKey key);
    }

    /** What one attempt decided. */
    private record Outcome<T>(@Nullable T value, @Nullable StoredResponse response, boolean replayed, boolean inUse) {
        static <T> Outcome<T> fresh(T value, StoredResponse response) {
            return new Outcome<>(value, response, false, false);
        }

        static <T> Outcome<T> replay(StoredResponse response) {
            return new Outcome<>(null, response, true, false);
        }

        static <T> Outcome<T> keyInUse() {
            return new Outcome<>(null, null, false, true);
        }
    }
}

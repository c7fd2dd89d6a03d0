package dev.latchkey.jdbc.idempotency;

import java.sql.SQLException;
import java.util.Objects;

import dev.latchkey.ConcurrencyListener;
import dev.latchkey.idempotency.ClaimResult;
import dev.latchkey.idempotency.FenceOutcome;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyKeyInUseException;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.IdempotentResult;
import dev.latchkey.idempotency.LeaseLostException;
import dev.latchkey.idempotency.ResponseCodec;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.jdbc.SqlFunction;
import dev.latchkey.jdbc.Transactions;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Idempotent work whose database writes commit together with its idempotency key: the claim,
 * the work's writes (on the {@link java.sql.Connection} it is handed) and the stored response
 * are one transaction of the transaction runner. A crash or failure at any point leaves either
 * nothing (the key absent, no business write) or everything (the writes and the replayable
 * response). Nothing can run twice: a duplicate of a request in flight waits on the database's
 * lock of the key's row until the first transaction ends, then replays its response (or, if
 * it rolled back, claims the key itself).
 *
 * <pre>{@code
 * TransactionalIdempotency idempotency = latchkey.idempotencyStore().transactional(policy);
 * IdempotentResult<StoredResponse> r = idempotency.execute(key, Fingerprint.sha256(body), tx -> {
 *     try (PreparedStatement ps = tx.prepareStatement("INSERT INTO charge (id, amount) VALUES (?, ?)")) {
 *         ...
 *     }
 *     return StoredResponse.ofText(201, "application/json", json);
 * });
 * }</pre>
 *
 * <p>The transaction may be re-run by the runner's retry policy (a deadlock, a serialization
 * failure, a dropped connection): each run starts from nothing, so the work must have no side
 * effects outside the transaction. It throws what {@link dev.latchkey.idempotency.Idempotency}
 * throws, except that a duplicate waits for the database instead of polling; a key held by a
 * claim of a non-transactional executor whose lease is live is reported in use at once.
 * A failure the policy stores is stored after the rollback, in a transaction of its own. It
 * cannot be nested in another Latchkey transaction on the same data source; use
 * {@link JdbcIdempotencyStore#claim(java.sql.Connection, IdempotencyKey, Fingerprint,
 * java.time.Duration, java.time.Duration)} and its siblings there.
 *
 * <p>Immutable and thread-safe.
 */
public final class TransactionalIdempotency {
    private static final System.Logger LOG = System.getLogger(TransactionalIdempotency.class.getName());

    private final JdbcIdempotencyStore store;
    private final IdempotencyPolicy policy;
    private final Transactions transactions;
    private final ConcurrencyListener listener;

    private TransactionalIdempotency(JdbcIdempotencyStore store, IdempotencyPolicy policy, Transactions transactions,
                                     ConcurrencyListener listener) {
        this.store = store;
        this.policy = policy;
        this.transactions = transactions;
        this.listener = listener;
    }

    /**
     * An executor on the store's Latchkey: its transaction runner and listener.
     *
     * @param store the store
     * @param policy the policy (its in-progress setting does not apply: see the class comment)
     * @return the executor
     */
    public static @NotNull TransactionalIdempotency of(@NotNull JdbcIdempotencyStore store,
                                                       @NotNull IdempotencyPolicy policy) {
        Objects.requireNonNull(store, "store");
        return new TransactionalIdempotency(store, Objects.requireNonNull(policy, "policy"),
                store.latchkey().transactions(), store.latchkey().listener());
    }

    /**
     * This executor on another transaction runner (an isolation level, a retry policy).
     *
     * @param transactions the runner; must be on the store's data source
     * @return a new executor
     */
    public @NotNull TransactionalIdempotency withTransactions(@NotNull Transactions transactions) {
        return new TransactionalIdempotency(store, policy, Objects.requireNonNull(transactions, "transactions"),
                listener);
    }

    /**
     * This executor with another policy.
     *
     * @param policy the policy
     * @return a new executor
     */
    public @NotNull TransactionalIdempotency withPolicy(@NotNull IdempotencyPolicy policy) {
        return new TransactionalIdempotency(store, Objects.requireNonNull(policy, "policy"), transactions, listener);
    }

    /**
     * This executor, telling another listener about replays.
     *
     * @param listener a thread-safe listener
     * @return a new executor
     */
    public @NotNull TransactionalIdempotency withListener(@NotNull ConcurrencyListener listener) {
        return new TransactionalIdempotency(store, policy, transactions, Objects.requireNonNull(listener, "listener"));
    }

    /** @return the store */
    public @NotNull JdbcIdempotencyStore store() {
        return store;
    }

    /** @return the policy */
    public @NotNull IdempotencyPolicy policy() {
        return policy;
    }

    /** @return the transaction runner */
    public @NotNull Transactions transactions() {
        return transactions;
    }

    /**
     * Runs work that returns the response to store, at most once per key, in one transaction
     * with the key.
     *
     * @param key the idempotency key
     * @param fingerprint the request's fingerprint
     * @param work the work; receives the transaction's connection (it must not commit, roll
     *        back or close it); may run more than once if the transaction is retried
     * @return the response, fresh or replayed
     */
    public @NotNull IdempotentResult<StoredResponse> execute(@NotNull IdempotencyKey key,
                                                             @NotNull Fingerprint fingerprint,
                                                             @NotNull SqlFunction<StoredResponse> work) {
        return execute(key, fingerprint, ResponseCodec.identity(), work);
    }

    /**
     * Runs work at most once per key, in one transaction with the key, storing its result
     * through a codec.
     *
     * @param key the idempotency key
     * @param fingerprint the request's fingerprint
     * @param codec encodes the result to store and decodes a replay
     * @param work the work; receives the transaction's connection (it must not commit, roll
     *        back or close it); may run more than once if the transaction is retried
     * @param <T> the result type
     * @return the result, fresh or replayed
     */
    public <T> @NotNull IdempotentResult<T> execute(@NotNull IdempotencyKey key, @NotNull Fingerprint fingerprint,
                                                    @NotNull ResponseCodec<T> codec,
                                                    @NotNull SqlFunction<? extends T> work) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(work, "work");
        // the failure the work itself threw in the last run, to tell it from the runner's own
        RuntimeException[] workFailure = new RuntimeException[1];
        Outcome<T> outcome;
        try {
            outcome = transactions.run(tx -> {
                workFailure[0] = null;
                ClaimResult claim = store.claim(tx, key, fingerprint, policy.lease(), policy.retention());
                if (claim instanceof ClaimResult.Replay) {
                    return Outcome.replay(((ClaimResult.Replay) claim).response());
                }
                if (claim instanceof ClaimResult.InProgress) {
                    return Outcome.inUse();
                }
                ClaimResult.Claimed claimed = (ClaimResult.Claimed) claim;
                T value;
                StoredResponse response;
                try {
                    value = work.apply(tx);
                    response = codec.encode(value);
                    policy.checkResponseSize(key, response);
                } catch (SQLException e) {
                    workFailure[0] = store.latchkey().errors().translate(e);
                    throw workFailure[0];
                } catch (RuntimeException e) {
                    workFailure[0] = e;
                    throw e;
                }
                if (store.complete(tx, key, claimed.owner(), response, policy.retention()) != FenceOutcome.APPLIED) {
                    throw new LeaseLostException(key, claimed.attempt());
                }
                return Outcome.fresh(value, response);
            });
        } catch (RuntimeException failure) {
            if (failure == workFailure[0]) {
                storeFailure(key, fingerprint, failure);
            }
            throw failure;
        }
        if (outcome.inUse) {
            throw new IdempotencyKeyInUseException(key.scope(), key.key());
        }
        StoredResponse response = Objects.requireNonNull(outcome.response, "response");
        if (outcome.replayed) {
            notifyReplay(key);
            return IdempotentResult.replayed(policy.decodeReplay(key, response, codec), response);
        }
        return IdempotentResult.fresh(outcome.value, response);
    }

    /** After the rollback: keep the failure as the final response if the policy says so. */
    private void storeFailure(IdempotencyKey key, Fingerprint fingerprint, RuntimeException failure) {
        StoredResponse stored;
        try {
            stored = policy.encodeFailure(key, failure);
        } catch (RuntimeException encodeFailure) {
            failure.addSuppressed(encodeFailure);
            return;
        }
        if (stored == null) {
            return;
        }
        try {
            transactions.run(tx -> {
                ClaimResult claim = store.claim(tx, key, fingerprint, policy.lease(), policy.retention());
                if (claim instanceof ClaimResult.Claimed) {
                    store.complete(tx, key, ((ClaimResult.Claimed) claim).owner(), stored, policy.retention());
                }
                return null;
            });
        } catch (RuntimeException storeFailure) {
            failure.addSuppressed(storeFailure);
        }
    }

    private void notifyReplay(IdempotencyKey key) {
        try {
            listener.onIdempotencyReplay(key.scope(), key.key());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "concurrency listener threw; ignored", e);
        }
    }

    @Override
    public @NotNull String toString() {
        return "TransactionalIdempotency[" + store + ", " + policy + "]";
    }

    /** What one transaction decided. */
    private static final class Outcome<T> {
        final @Nullable T value;
        final @Nullable StoredResponse response;
        final boolean replayed;
        final boolean inUse;

        private Outcome(@Nullable T value, @Nullable StoredResponse response, boolean replayed, boolean inUse) {
            this.value = value;
            this.response = response;
            this.replayed = replayed;
            this.inUse = inUse;
        }

        static <T> Outcome<T> fresh(T value, StoredResponse response) {
            return new Outcome<>(value, response, false, false);
        }

        static <T> Outcome<T> replay(StoredResponse response) {
            return new Outcome<>(null, response, true, false);
        }

        static <T> Outcome<T> inUse() {
            return new Outcome<>(null, null, false, true);
        }
    }
}

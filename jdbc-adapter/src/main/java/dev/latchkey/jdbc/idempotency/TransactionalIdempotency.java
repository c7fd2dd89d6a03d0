package dev.latchkey.jdbc.idempotency;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import dev.latchkey.ConcurrencyListener;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.IdempotentResult;
import dev.latchkey.idempotency.ResponseCodec;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.FenceOutcome;
import dev.latchkey.idempotency.spi.IdempotencyEngine;
import dev.latchkey.idempotency.spi.IdempotencyRecord;
import dev.latchkey.idempotency.spi.OwnerToken;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.Transaction;
import dev.latchkey.jdbc.sql.SqlWork;
import dev.latchkey.jdbc.sql.TransactionRunner;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Idempotent work whose database writes commit together with its idempotency key: the claim,
 * the work's writes (on the {@link Connection} it is handed) and the stored response are one
 * transaction of the transaction runner. A crash or failure at any point leaves either
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
 * effects outside the transaction. It throws what {@link Idempotency} throws, except that a
 * duplicate waits for the database instead of polling; a key held by a claim of a
 * non-transactional executor whose lease is live is reported in use at once. A failure the
 * policy stores is stored after the rollback, in a transaction of its own. It cannot be nested
 * in another Latchkey transaction on the same data source; use
 * {@link JdbcIdempotencyStore#claim(Connection, IdempotencyKey, Fingerprint, Duration, Duration)}
 * and its siblings there.
 *
 * <p>The claim -> work -> completion logic is the shared {@link IdempotencyEngine}'s; this class
 * plugs in a transactional {@link IdempotencyEngine.Scope}: each attempt runs in a transaction
 * of the runner, on its connection.
 *
 * <p>Immutable and thread-safe.
 */
public final class TransactionalIdempotency {
    private final JdbcIdempotencyStore store;
    private final IdempotencyEngine engine;
    private final TransactionRunner transactions;

    private TransactionalIdempotency(JdbcIdempotencyStore store, IdempotencyEngine engine, TransactionRunner transactions) {
        this.store = store;
        this.engine = engine;
        this.transactions = transactions;
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
        return new TransactionalIdempotency(store, IdempotencyEngine.of(policy, store.context().listener(), store),
                defaultRunner(store.context()));
    }

    /** The runner {@code latchkey.transactions()} is: default isolation, read-write, the context's retry policy. */
    private static TransactionRunner defaultRunner(JdbcContext ctx) {
        Transaction.Settings settings = Transaction.Settings.defaults(ctx.retryPolicy());
        return new TransactionRunner() {
            @Override
            public <T> T run(@NotNull SqlWork<T> work) {
                return Transaction.run(ctx, settings, work, SqlWork::apply);
            }
        };
    }

    /**
     * This executor on another transaction runner (an isolation level, a retry policy).
     *
     * @param transactions the runner; must be on the store's data source
     * @return a new executor
     */
    public @NotNull TransactionalIdempotency withTransactions(@NotNull TransactionRunner transactions) {
        return new TransactionalIdempotency(store, engine, Objects.requireNonNull(transactions, "transactions"));
    }

    /**
     * This executor with another policy.
     *
     * @param policy the policy
     * @return a new executor
     */
    public @NotNull TransactionalIdempotency withPolicy(@NotNull IdempotencyPolicy policy) {
        return new TransactionalIdempotency(store, engine.withPolicy(policy), transactions);
    }

    /**
     * This executor, telling another listener about replays.
     *
     * @param listener a thread-safe listener
     * @return a new executor
     */
    public @NotNull TransactionalIdempotency withListener(@NotNull ConcurrencyListener listener) {
        return new TransactionalIdempotency(store, engine.withListener(listener), transactions);
    }

    /**
     * Returns the store.
     *
     * @return the store
     */
    public @NotNull JdbcIdempotencyStore store() {
        return store;
    }

    /**
     * Returns the policy.
     *
     * @return the policy
     */
    public @NotNull IdempotencyPolicy policy() {
        return engine.policy();
    }

    /**
     * Returns the transaction runner.
     *
     * @return the transaction runner
     */
    public @NotNull TransactionRunner transactions() {
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
                                                             @NotNull SqlWork<StoredResponse> work) {
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
                                                    @NotNull SqlWork<? extends T> work) {
        return engine.execute(new InTransaction(), key, fingerprint, codec, translating(work));
    }

    /** The work with its {@link SQLException}s translated; null stays null for the engine's argument checks. */
    private <T> @Nullable Function<Connection, T> translating(@Nullable SqlWork<? extends T> work) {
        if (work == null) {
            return null;
        }
        return tx -> {
            try {
                return work.apply(tx);
            } catch (SQLException e) {
                throw store.context().errors().translate(e);
            }
        };
    }

    @Override
    public @NotNull String toString() {
        return "TransactionalIdempotency[" + store + ", " + engine.policy() + "]";
    }

    /** Each attempt in a transaction of the runner, on its connection. */
    private final class InTransaction implements IdempotencyEngine.Scope<Connection> {
        @Override
        public <R> R run(@NotNull Function<? super Connection, ? extends R> attempt) {
            return transactions.run(attempt::apply);
        }

        @Override
        public boolean transactional() {
            return true;
        }

        @Override
        public @NotNull ClaimResult claim(@NotNull Connection tx, @NotNull IdempotencyKey key,
                                          @NotNull Fingerprint fingerprint, @NotNull Duration lease,
                                          @NotNull Duration retention) {
            return store.claim(tx, key, fingerprint, lease, retention);
        }

        @Override
        public @NotNull FenceOutcome complete(@NotNull Connection tx, @NotNull IdempotencyKey key,
                                              @NotNull OwnerToken owner, @NotNull StoredResponse response,
                                              @NotNull Duration retention) {
            return store.complete(tx, key, owner, response, retention);
        }

        @Override
        public @NotNull FenceOutcome release(@NotNull Connection tx, @NotNull IdempotencyKey key,
                                             @NotNull OwnerToken owner) {
            return store.release(tx, key, owner);
        }

        @Override
        public @NotNull Optional<IdempotencyRecord> find(@NotNull Connection tx, @NotNull IdempotencyKey key) {
            return store.find(tx, key);
        }
    }
}

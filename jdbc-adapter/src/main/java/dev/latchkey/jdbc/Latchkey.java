package dev.latchkey.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Objects;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import dev.latchkey.ConcurrencyListener;
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.error.JdbcException;
import dev.latchkey.jdbc.error.SqlErrorTranslator;
import dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.lease.JdbcLeaseRequest;
import dev.latchkey.jdbc.lease.JdbcLeases;
import dev.latchkey.jdbc.internal.TransactionAwareDataSource;
import dev.latchkey.jdbc.internal.TransactionScope;
import dev.latchkey.jdbc.sql.ExternalTransactions;
import dev.latchkey.jdbc.lock.AdvisoryLock;
import dev.latchkey.jdbc.lock.RowLockQuery;
import dev.latchkey.jdbc.update.BatchUpdate;
import dev.latchkey.jdbc.update.Update;
import dev.latchkey.jdbc.update.Upsert;
import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The entry point of Latchkey's JDBC module: one per {@link DataSource}.
 *
 * <p>{@link #of(DataSource)} detects the {@link Dialect} from the database's metadata (one
 * connection, once); {@link #builder(DataSource)} lets you fix the dialect, the listener and the
 * default retry policy. A {@code Latchkey} is immutable and thread-safe, and so is everything it
 * hands out: keep one per data source for the life of the application.
 */
public final class Latchkey {
    private final JdbcContext ctx;
    private final ConcurrencyListener listener;
    private final Transactions transactions;

    private Latchkey(Builder b, Dialect dialect) {
        this.listener = b.listener;
        this.ctx = new JdbcContext(b.dataSource, dialect, SqlErrorTranslator.forProduct(dialect.product()), b.listener,
                b.retryPolicy, b.nanoClock, b.external, b.external.unwrap(b.dataSource));
        this.transactions = new Transactions(ctx, Isolation.DEFAULT, false, b.retryPolicy);
    }

    /**
     * Creates a Latchkey for a data source, detecting its dialect.
     *
     * @param dataSource the data source; its connections must be handed out in auto-commit mode
     * @return a new Latchkey
     * @throws JdbcException if no connection can be had to read the metadata
     * @throws UnsupportedOperationException if the database is not PostgreSQL, MariaDB, MySQL or H2
     */
    public static @NotNull Latchkey of(@NotNull DataSource dataSource) {
        return builder(dataSource).build();
    }

    /**
     * A builder for a Latchkey over the data source.
     *
     * @param dataSource the data source
     * @return a new builder
     */
    public static @NotNull Builder builder(@NotNull DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * Returns the data source.
     *
     * @return the data source
     */
    public @NotNull DataSource dataSource() {
        return ctx.dataSource();
    }

    /**
     * Returns the dialect in use.
     *
     * @return the dialect in use
     */
    public @NotNull Dialect dialect() {
        return ctx.dialect();
    }

    /**
     * Returns the error translator of the dialect.
     *
     * @return the error translator of the dialect
     */
    public @NotNull SqlErrorTranslator errors() {
        return ctx.errors();
    }

    /**
     * Returns the listener told about retries, conflicts, lock waits and replays.
     *
     * @return the listener told about retries, conflicts, lock waits and replays
     */
    public @NotNull ConcurrencyListener listener() {
        return listener;
    }

    /**
     * Returns the default retry policy of the transaction runner.
     *
     * @return the default retry policy of the transaction runner
     */
    public @NotNull RetryPolicy retryPolicy() {
        return ctx.retryPolicy();
    }

    /**
     * The transaction runner: isolation {@link Isolation#DEFAULT}, read-write, this Latchkey's
     * retry policy. Derive variants with its {@code with...} methods.
     *
     * @return the shared runner
     */
    public @NotNull Transactions transactions() {
        return transactions;
    }

    // ---- atomic updates and optimistic versions -------------------------------------------

    /**
     * An atomic, conditional update of one row of a table: column arithmetic, guards, optimistic
     * version checks, returned values, in one statement on success.
     *
     * @param table the table, {@code name} or {@code schema.name}
     * @return a new, immutable builder
     * @throws IllegalArgumentException naming the bad input if the table name is not valid
     * @see Update
     */
    public @NotNull Update update(@NotNull String table) {
        return Update.table(ctx, table);
    }

    /**
     * An insert-or-update of one row with arithmetic on the existing values (counters, balances).
     *
     * @param table the table, {@code name} or {@code schema.name}
     * @return a new, immutable builder
     * @throws IllegalArgumentException naming the bad input if the table name is not valid
     * @see Upsert
     */
    public @NotNull Upsert upsert(@NotNull String table) {
        return Upsert.into(ctx, table);
    }

    /**
     * Updates of the same shape (e.g. optimistic updates of many rows, each at its own version)
     * run as one JDBC batch with a result per row.
     *
     * @param updates at least one update of this Latchkey, all of one table and shape
     * @return the batch
     * @throws IllegalArgumentException if the collection is empty or mixes Latchkeys or tables
     * @see BatchUpdate
     */
    public @NotNull BatchUpdate batch(
            @NotNull Collection<Update> updates) {
        return BatchUpdate.of(updates);
    }

    // ---- row locks ------------------------------------------------------------------------

    /**
     * A locking read of a table ({@code SELECT .. FOR UPDATE} and friends), to be refined and
     * run on a connection inside a transaction:
     * {@code latchkey.lock("product").keys(1, 2).nowait().fetch(tx)}.
     *
     * @param table the table, {@code name} or {@code schema.name}
     * @return an immutable query: all rows, {@code FOR UPDATE}, waiting, key column {@code id}
     * @throws IllegalArgumentException if the table name is not a valid identifier
     */
    public @NotNull RowLockQuery lock(@NotNull String table) {
        return RowLockQuery.of(ctx, table);
    }

    /**
     * A named lock held until the end of the caller's transaction
     * ({@code pg_advisory_xact_lock}; {@code GET_LOCK} released by the transaction runner).
     *
     * @param name the lock name, 1 to 64 characters
     * @return the lock
     * @throws IllegalArgumentException if the name is empty or too long
     * @throws UnsupportedOperationException on H2, which has no named locks
     */
    public @NotNull AdvisoryLock advisoryLock(@NotNull String name) {
        return AdvisoryLock.of(ctx, name);
    }

    // ---- idempotency ----------------------------------------------------------------------

    /**
     * The JDBC idempotency store on the table of the shipped schema files,
     * {@value JdbcIdempotencyStore#DEFAULT_TABLE}.
     *
     * @return the store (the table is not created; see
     *         {@link JdbcIdempotencyStore#createTableIfNotExists()})
     * @throws UnsupportedOperationException naming the dialect if the database cannot host it
     */
    public @NotNull JdbcIdempotencyStore idempotencyStore() {
        return JdbcIdempotencyStore.builder(ctx).build();
    }

    /**
     * The JDBC idempotency store on a table of your choosing.
     *
     * @param table {@code name} or {@code schema.name}
     * @return the store
     * @throws IllegalArgumentException naming the bad input if the name is not a valid identifier
     * @throws UnsupportedOperationException naming the dialect if the database cannot host it
     */
    public @NotNull JdbcIdempotencyStore idempotencyStore(@NotNull String table) {
        return JdbcIdempotencyStore.builder(ctx).table(table).build();
    }

    // ---- leases with fencing tokens ---------------------------------------------------------

    /**
     * A lease with a fencing token on the table of the shipped schema files,
     * {@value JdbcLeases#DEFAULT_TABLE}: {@code latchkey.lease("nightly-report").tryAcquire(..)}.
     * Same as {@code leases().lease(name)}.
     *
     * @param name 1 to 255 characters, not blank, no control characters (bound as a value)
     * @return an immutable request (the table is not created; see
     *         {@link JdbcLeases#createTableIfNotExists()})
     * @throws IllegalArgumentException if the name is invalid
     * @throws UnsupportedOperationException naming the dialect if the database cannot host leases
     */
    public @NotNull JdbcLeaseRequest lease(@NotNull String name) {
        return leases().lease(name);
    }

    /**
     * Leases on the default table, whose fenced transactions run on {@link #transactions()};
     * derive another table, owner id or scheduler with its {@code with..} methods.
     *
     * @return the leases
     * @throws UnsupportedOperationException naming the dialect if the database cannot host leases
     */
    public @NotNull JdbcLeases leases() {
        return JdbcLeases.of(ctx, transactions);
    }

    // ---- joining the caller's transactions ---------------------------------------------------

    /**
     * Binds a connection of yours, inside a transaction you run, so that Latchkey's operations on
     * this data source join it (and never take a second connection) until the binding is closed.
     *
     * @param connection your connection, with auto-commit off
     * @return the binding; close it on this thread after you commit or roll back
     * @throws IllegalArgumentException if the connection is in auto-commit mode
     * @throws dev.latchkey.jdbc.error.JdbcException if its mode cannot be read
     */
    public @NotNull BoundConnection bind(@NotNull Connection connection) {
        Objects.requireNonNull(connection, "connection");
        try {
            if (connection.getAutoCommit()) {
                throw new IllegalArgumentException("bind(connection) takes a connection inside a transaction "
                        + "(auto-commit off); this one is in auto-commit mode");
            }
        } catch (SQLException e) {
            throw ctx.errors().translate(e);
        }
        return new BoundConnection(TransactionScope.bind(ctx.key(), connection));
    }

    /**
     * A view of the data source for code that is not Latchkey (a {@code JdbcTemplate}, jOOQ, a
     * plain JDBC DAO): inside a transaction this thread runs on the data source it hands out that
     * transaction's connection (whose {@code close()} leaves it open), so that code writes in the
     * same transaction; outside one it is the data source itself. Like Spring's
     * {@code TransactionAwareDataSourceProxy}.
     *
     * @return the view; thread-safe
     */
    public @NotNull DataSource transactionAwareDataSource() {
        return new TransactionAwareDataSource(ctx);
    }

    /**
     * A builder for a JDBC idempotency store on this Latchkey's data source, to choose the table
     * and the retry policy of the store's own operations.
     *
     * @return a new builder
     */
    public @NotNull JdbcIdempotencyStore.Builder idempotencyStoreBuilder() {
        return JdbcIdempotencyStore.builder(ctx);
    }

    @Override
    public String toString() {
        return "Latchkey[" + ctx.dialect().name() + "]";
    }

    /** Builds a {@link Latchkey}. Not thread-safe; {@link #build()} yields an immutable value. */
    public static final class Builder {
        private final DataSource dataSource;
        private @Nullable Dialect dialect;
        private ConcurrencyListener listener = ConcurrencyListener.NONE;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private LongSupplier nanoClock = System::nanoTime;
        private ExternalTransactions external = ExternalTransactions.NONE;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * Fixes the dialect instead of detecting it.
         *
         * @param dialect the dialect
         * @return this builder
         */
        public @NotNull Builder dialect(@NotNull Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * Sets the listener told about retries, conflicts, lock waits and idempotency replays.
         *
         * @param listener a thread-safe listener
         * @return this builder
         */
        public @NotNull Builder listener(@NotNull ConcurrencyListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sets the default retry policy of the transaction runner.
         *
         * @param retryPolicy the policy
         * @return this builder
         */
        public @NotNull Builder retryPolicy(@NotNull RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * Joins a framework's transactions (e.g. latchkey-spring's for Spring's
         * {@code @Transactional}): every operation that would take a connection of its own runs
         * in the transaction the framework holds for this thread on the data source, if any.
         *
         * @param external the framework's transactions
         * @return this builder
         */
        public @NotNull Builder externalTransactions(@NotNull ExternalTransactions external) {
            this.external = Objects.requireNonNull(external, "external");
            return this;
        }

        /**
         * Sets the clock lock waits are timed with (the {@code waited()} of lock failures and
         * {@link ConcurrencyListener#onLockWait}); {@code System::nanoTime} by default. For tests.
         *
         * @param nanoClock a monotonic clock in nanoseconds
         * @return this builder
         */
        public @NotNull Builder nanoClock(@NotNull LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /**
         * Builds the Latchkey, detecting the dialect when none was set.
         *
         * @return a new Latchkey
         * @throws JdbcException if the dialect must be detected and no connection can be had
         * @throws UnsupportedOperationException if the database is not supported
         */
        public @NotNull Latchkey build() {
            Dialect d = dialect;
            if (d == null) {
                try (Connection c = dataSource.getConnection()) {
                    d = Dialect.detect(c);
                } catch (SQLException e) {
                    throw new JdbcException("could not detect the database dialect", e);
                }
            }
            return new Latchkey(this, d);
        }
    }
}

package dev.latchkey.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

import javax.sql.DataSource;

import dev.latchkey.ConcurrencyListener;
import dev.latchkey.jdbc.dialect.Dialect;
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
    private final DataSource dataSource;
    private final Dialect dialect;
    private final ConcurrencyListener listener;
    private final RetryPolicy retryPolicy;
    private final Transactions transactions;

    private Latchkey(Builder b, Dialect dialect) {
        this.dataSource = b.dataSource;
        this.dialect = dialect;
        this.listener = b.listener;
        this.retryPolicy = b.retryPolicy;
        this.transactions = new Transactions(dataSource, dialect.errors(), listener, Isolation.DEFAULT, false,
                retryPolicy);
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

    /** @return the data source */
    public @NotNull DataSource dataSource() {
        return dataSource;
    }

    /** @return the dialect in use */
    public @NotNull Dialect dialect() {
        return dialect;
    }

    /** @return the error translator of the dialect */
    public @NotNull SqlErrorTranslator errors() {
        return dialect.errors();
    }

    /** @return the listener told about retries, conflicts, lock waits and replays */
    public @NotNull ConcurrencyListener listener() {
        return listener;
    }

    /** @return the default retry policy of the transaction runner */
    public @NotNull RetryPolicy retryPolicy() {
        return retryPolicy;
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
     * @see dev.latchkey.jdbc.update.Update
     */
    public dev.latchkey.jdbc.update.@NotNull Update update(@NotNull String table) {
        return dev.latchkey.jdbc.update.Update.table(this, table);
    }

    /**
     * An insert-or-update of one row with arithmetic on the existing values (counters, balances).
     *
     * @param table the table, {@code name} or {@code schema.name}
     * @return a new, immutable builder
     * @throws IllegalArgumentException naming the bad input if the table name is not valid
     * @see dev.latchkey.jdbc.update.Upsert
     */
    public dev.latchkey.jdbc.update.@NotNull Upsert upsert(@NotNull String table) {
        return dev.latchkey.jdbc.update.Upsert.into(this, table);
    }

    /**
     * Updates of the same shape (e.g. optimistic updates of many rows, each at its own version)
     * run as one JDBC batch with a result per row.
     *
     * @param updates at least one update of this Latchkey, all of one table and shape
     * @return the batch
     * @throws IllegalArgumentException if the collection is empty or mixes Latchkeys or tables
     * @see dev.latchkey.jdbc.update.BatchUpdate
     */
    public dev.latchkey.jdbc.update.@NotNull BatchUpdate batch(
            java.util.@NotNull Collection<dev.latchkey.jdbc.update.Update> updates) {
        return dev.latchkey.jdbc.update.BatchUpdate.of(updates);
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
    public dev.latchkey.jdbc.lock.@NotNull RowLockQuery lock(@NotNull String table) {
        return dev.latchkey.jdbc.lock.RowLockQuery.of(dialect, listener, table);
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
    public dev.latchkey.jdbc.lock.@NotNull AdvisoryLock advisoryLock(@NotNull String name) {
        return dev.latchkey.jdbc.lock.AdvisoryLock.of(dialect, listener, name);
    }

    // ---- idempotency ----------------------------------------------------------------------

    /**
     * The JDBC idempotency store on the table of the shipped schema files,
     * {@value dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore#DEFAULT_TABLE}.
     *
     * @return the store (the table is not created; see
     *         {@link dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore#createTableIfNotExists()})
     * @throws UnsupportedOperationException naming the dialect if the database cannot host it
     */
    public @NotNull dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore idempotencyStore() {
        return dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore.builder(this).build();
    }

    /**
     * The JDBC idempotency store on a table of your choosing.
     *
     * @param table {@code name} or {@code schema.name}
     * @return the store
     * @throws IllegalArgumentException naming the bad input if the name is not a valid identifier
     * @throws UnsupportedOperationException naming the dialect if the database cannot host it
     */
    public @NotNull dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore idempotencyStore(@NotNull String table) {
        return dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore.builder(this).table(table).build();
    }

    @Override
    public String toString() {
        return "Latchkey[" + dialect.name() + "]";
    }

    /** Builds a {@link Latchkey}. Not thread-safe; {@link #build()} yields an immutable value. */
    public static final class Builder {
        private final DataSource dataSource;
        private @Nullable Dialect dialect;
        private ConcurrencyListener listener = ConcurrencyListener.NONE;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();

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

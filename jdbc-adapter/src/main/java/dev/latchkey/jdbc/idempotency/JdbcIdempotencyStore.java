// Over 400 lines on purpose: the store SPI in two forms per operation (own connection, caller's
// connection) plus its Builder, most of it Javadoc; the SQL and its binding live in IdempotencySql and
// IdempotencyTable.
package dev.latchkey.jdbc.idempotency;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyKeyInUseException;
import dev.latchkey.idempotency.IdempotencyKeyReusedException;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.FenceOutcome;
import dev.latchkey.idempotency.spi.IdempotencyRecord;
import dev.latchkey.idempotency.spi.IdempotencyState;
import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.idempotency.spi.OwnerToken;
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.error.SqlErrorTranslator;
import dev.latchkey.jdbc.internal.ConnectionWork;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.JoinedTransaction;
import dev.latchkey.jdbc.internal.OwnConnection;
import dev.latchkey.jdbc.internal.Participation;
import dev.latchkey.jdbc.internal.SchemaScript;
import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;

/**
 * An {@link IdempotencyStore} in a database table: PostgreSQL, MariaDB 10.5+ or H2 (the schema
 * files ship as resources; see {@link #schemaStatements()}). The statements, their parameters
 * and the columns they return are {@link IdempotencySql}'s; this class decides what they mean.
 *
 * <p>One statement per operation, the database's clock deciding every expiry:
 * <ul>
 *   <li><b>claim</b>: one upsert ({@code INSERT ... ON CONFLICT ... DO UPDATE ... WHERE <takeover
 *       allowed> RETURNING} on PostgreSQL, {@code INSERT ... ON DUPLICATE KEY UPDATE ...
 *       RETURNING} on MariaDB, {@code MERGE} in a {@code FINAL TABLE} on H2). It never raises a
 *       duplicate-key error, so it can run inside the caller's transaction without aborting it.
 *       When it did not claim, PostgreSQL and H2 read the record with the replay statement (two
 *       statements for a replay); MariaDB's upsert already returned it (one).</li>
 *   <li><b>complete</b>: one {@code UPDATE} fenced on the owner token and the in-progress state.</li>
 *   <li><b>replay</b> ({@link #find}): one {@code SELECT} of a record that has not expired.</li>
 *   <li><b>release</b>: one {@code DELETE} fenced on the owner token.</li>
 *   <li><b>purge</b>: one {@code DELETE} of at most {@code limit} expired rows per round, through
 *       the index on {@code expires_at}.</li>
 * </ul>
 *
 * <p>The {@link IdempotencyStore} methods take a connection of their own for each operation, in
 * auto-commit mode, and retry transient failures with the store's retry policy (a retried claim
 * keeps its owner token, so a claim whose commit was lost with the connection recognises itself;
 * a retried completion checks whether the lost attempt applied). The methods that take a
 * {@link Connection} run on the caller's transaction instead and never retry: that is the
 * building block of {@link TransactionalIdempotency}, where the claim, the work's writes and the
 * stored response commit together.
 *
 * <p>Immutable and thread-safe.
 */
public final class JdbcIdempotencyStore implements IdempotencyStore {
    /** The table name of the shipped schema files. */
    public static final String DEFAULT_TABLE = "latchkey_idempotency";

    /**
     * The largest response body the table holds (MariaDB's {@code MEDIUMBLOB}), in bytes. On
     * MariaDB the server's {@code max_allowed_packet} may allow less: see {@link #maxResponseBytes()}.
     */
    public static final int MAX_RESPONSE_BYTES = (1 << 24) - 1;

    private final JdbcContext latchkey;
    private final DataSource dataSource;
    private final Dialect dialect;
    private final SqlErrorTranslator errors;
    private final String table;
    private final RetryPolicy retryPolicy;
    private final IdempotencyTable statements;
    /** {@link #maxResponseBytes()} once read, else -1; racing first readers read the same value. */
    private volatile int maxResponseBytes = -1;

    private JdbcIdempotencyStore(Builder b) {
        this.latchkey = b.latchkey;
        this.dataSource = b.latchkey.dataSource();
        this.dialect = b.latchkey.dialect();
        this.errors = b.latchkey.errors();
        this.table = b.table;
        this.retryPolicy = b.retryPolicy;
        IdempotencySql sql = IdempotencySql.of(dialect);
        this.statements = new IdempotencyTable(sql, errors, table, dialect.identifier("table", table));
        if (sql.maxPacketQuery() == null) {
            this.maxResponseBytes = MAX_RESPONSE_BYTES; // only the column limits it: nothing to ask the server
        }
    }

    /**
     * A builder of a store on the Latchkey's data source and dialect.
     *
     * @param latchkey the Latchkey
     * @return a new builder: table {@value #DEFAULT_TABLE}, the default retry policy
     */
    public static @NotNull Builder builder(@NotNull JdbcContext latchkey) {
        return new Builder(Objects.requireNonNull(latchkey, "latchkey"));
    }

    /**
     * Returns the context (data source, dialect, listener) the store uses.
     *
     * @return the context (data source, dialect, listener) the store uses
     */
    public @NotNull JdbcContext context() {
        return latchkey;
    }

    /**
     * Returns the table name, as given.
     *
     * @return the table name, as given
     */
    public @NotNull String table() {
        return table;
    }

    /**
     * Returns the retry policy of operations on the store's own connections.
     *
     * @return the retry policy of operations on the store's own connections
     */
    public @NotNull RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * The DDL of this store's table for its database: the shipped schema file with the table
     * name (and the constraint and index names derived from it) replaced.
     *
     * @return the statements, in order
     */
    public @NotNull List<String> schemaStatements() {
        return SchemaScript.statements(JdbcIdempotencyStore.class, DEFAULT_TABLE, dialect, table);
    }

    /** Creates the table and its index unless they exist (every statement is {@code IF NOT EXISTS}). */
    public void createTableIfNotExists() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String ddl : schemaStatements()) {
                s.execute(ddl);
            }
        } catch (SQLException e) {
            throw errors.translate(e);
        }
    }

    /**
     * An executor on this store whose work runs outside the store's statements, telling the
     * Latchkey's listener about replays.
     *
     * @param policy the policy
     * @return the executor
     */
    @Override
    public @NotNull Idempotency executor(@NotNull IdempotencyPolicy policy) {
        return IdempotencyStore.super.executor(policy).withListener(latchkey.listener());
    }

    /**
     * An executor whose claim, work and stored response commit in one transaction of the
     * Latchkey's transaction runner.
     *
     * @param policy the policy
     * @return the executor
     */
    public @NotNull TransactionalIdempotency transactional(@NotNull IdempotencyPolicy policy) {
        return TransactionalIdempotency.of(this, policy);
    }

    /**
     * The largest response body a completion can store: {@link #MAX_RESPONSE_BYTES} on
     * PostgreSQL and H2; on MariaDB also at most {@code (@@max_allowed_packet - 64 KiB) / 2}
     * (the completion statement must fit one packet, and the driver may send every byte of the
     * body escaped), else the server refuses the statement (1153). Read from the server once, on
     * the first call (the first executor built on the store); a server whose
     * {@code max_allowed_packet} is lowered later is not noticed.
     *
     * @return the limit in bytes
     */
    @Override
    public int maxResponseBytes() {
        int max = maxResponseBytes;
        if (max < 0) {
            max = onOwnConnection(statements::maxResponseBytes);
            maxResponseBytes = max;
        }
        return max;
    }

    // ---- IdempotencyStore: own connection per operation ------------------------------------

    @Override
    public @NotNull ClaimResult claim(@NotNull IdempotencyKey key, @NotNull Fingerprint fingerprint,
                                      @NotNull Duration lease, @NotNull Duration retention) {
        checkClaim(key, fingerprint, lease, retention);
        ClaimResult result = onOwnConnection(new Claim(key, fingerprint, lease, retention, OwnerToken.random()));
        if (result == null) {
            throw new IdempotencyKeyInUseException(key.scope(), key.key());
        }
        return result;
    }

    @Override
    public @NotNull FenceOutcome complete(@NotNull IdempotencyKey key, @NotNull OwnerToken owner,
                                          @NotNull StoredResponse response, @NotNull Duration retention) {
        checkComplete(key, owner, response, retention);
        return onOwnConnection(new Complete(key, owner, response, retention));
    }

    @Override
    public @NotNull FenceOutcome release(@NotNull IdempotencyKey key, @NotNull OwnerToken owner) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(owner, "owner");
        return onOwnConnection(c -> statements.release(c, key, owner));
    }

    /**
     * Renews a key's lease: one {@code UPDATE} on a connection of the store's own (or in the
     * transaction this thread runs on the data source), fenced on the owner token.
     */
    @Override
    public @NotNull FenceOutcome renew(@NotNull IdempotencyKey key, @NotNull OwnerToken owner,
                                       @NotNull Duration lease) {
        IdempotencyStore.checkRenewal(key, owner, lease);
        return onOwnConnection(c -> statements.renew(c, key, owner, lease));
    }

    @Override
    public @NotNull Optional<IdempotencyRecord> find(@NotNull IdempotencyKey key) {
        Objects.requireNonNull(key, "key");
        return onOwnConnection(c -> statements.find(c, key));
    }

    @Override
    public int purgeExpired(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1: limit=" + limit);
        }
        return onOwnConnection(c -> statements.purge(c, limit));
    }

    // ---- on the caller's connection (its transaction) --------------------------------------

    /**
     * Claims a key on the caller's connection, inside its transaction if one is open. Never
     * raises a duplicate-key error into that transaction. Not retried.
     *
     * @param connection the connection
     * @param key the key
     * @param fingerprint the request's fingerprint
     * @param lease the lease, {@code > 0}
     * @param retention the retention if never completed, {@code >= lease}
     * @return what the claim found (see {@link IdempotencyStore#claim})
     * @throws IdempotencyKeyReusedException if a live record has a different fingerprint
     * @throws IdempotencyKeyInUseException if the key kept changing under the claim (released
     *         and claimed again by others between its statements) for several rounds
     * @throws dev.latchkey.ConcurrencyException a translated concurrency failure (e.g. a
     *         serialization failure under REPEATABLE READ: re-run the transaction)
     * @throws dev.latchkey.jdbc.error.JdbcException any other database error
     */
    public @NotNull ClaimResult claim(@NotNull Connection connection, @NotNull IdempotencyKey key,
                                      @NotNull Fingerprint fingerprint, @NotNull Duration lease,
                                      @NotNull Duration retention) {
        Objects.requireNonNull(connection, "connection");
        checkClaim(key, fingerprint, lease, retention);
        OwnerToken token = OwnerToken.random();
        ClaimResult result = onCallers(connection, c -> statements.claim(c, key, fingerprint, lease, retention, token));
        if (result == null) {
            throw new IdempotencyKeyInUseException(key.scope(), key.key());
        }
        return result;
    }

    /**
     * Completes a key on the caller's connection, fenced on the owner token. Not retried.
     *
     * @param connection the connection
     * @param key the key
     * @param owner the owner token of the claim
     * @param response the response to store
     * @param retention how long the completed record lives, {@code > 0}
     * @return {@link FenceOutcome#APPLIED} or {@link FenceOutcome#LEASE_LOST}
     * @throws IllegalArgumentException if the body exceeds {@link #maxResponseBytes()}
     */
    public @NotNull FenceOutcome complete(@NotNull Connection connection, @NotNull IdempotencyKey key,
                                          @NotNull OwnerToken owner, @NotNull StoredResponse response,
                                          @NotNull Duration retention) {
        Objects.requireNonNull(connection, "connection");
        checkComplete(key, owner, response, retention);
        return onCallers(connection, c -> statements.complete(c, key, owner, response, retention));
    }

    /**
     * Releases a key on the caller's connection, fenced on the owner token. Not retried.
     *
     * @param connection the connection
     * @param key the key
     * @param owner the owner token of the claim
     * @return {@link FenceOutcome#APPLIED} or {@link FenceOutcome#LEASE_LOST}
     */
    public @NotNull FenceOutcome release(@NotNull Connection connection, @NotNull IdempotencyKey key,
                                         @NotNull OwnerToken owner) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(owner, "owner");
        return onCallers(connection, c -> statements.release(c, key, owner));
    }

    /**
     * Reads a key's record on the caller's connection: the replay statement.
     *
     * @param connection the connection
     * @param key the key
     * @return the record, or empty when absent or expired
     */
    public @NotNull Optional<IdempotencyRecord> find(@NotNull Connection connection, @NotNull IdempotencyKey key) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(key, "key");
        return onCallers(connection, c -> statements.find(c, key));
    }

    // ---- internals --------------------------------------------------------------------------

    /** Runs statements on the caller's connection: translated, never retried. */
    private <T> T onCallers(Connection connection, ConnectionWork<T> op) {
        try {
            return op.apply(connection);
        } catch (SQLException e) {
            throw errors.translate(e);
        }
    }

    /**
     * Runs statements in the transaction this thread already runs on the data source (joined:
     * once, no retry), or else on a connection of the store's own under its retry policy.
     */
    private <T> T onOwnConnection(ConnectionWork<T> op) {
        return onOwnConnection(op, attempt -> OwnConnection.call(dataSource, errors, op));
    }

    /** {@link #onOwnConnection(ConnectionWork)} for a hot operation: one object is both the work and its attempt. */
    private <T> T onOwnConnection(Operation<T> op) {
        return onOwnConnection(op, op);
    }

    private <T> T onOwnConnection(ConnectionWork<T> op, RetryPolicy.Attempt<T> attempt) {
        JoinedTransaction tx = Participation.current(latchkey);
        if (tx != null) {
            return Participation.runJoined(latchkey, tx, session -> onCallers(session.connection(), op));
        }
        return retryPolicy.execute(attempt);
    }

    /**
     * An operation of the hot path (claim, complete) on the store's own connection: the work on a
     * connection and the retry policy's attempt that runs it on a fresh one, in one object per
     * call rather than a lambda per layer.
     */
    private abstract class Operation<T> implements ConnectionWork<T>, RetryPolicy.Attempt<T> {
        @Override
        public final T run(int attempt) {
            return OwnConnection.call(dataSource, errors, this);
        }
    }

    /** The claim; a retried claim keeps its owner token, so a claim whose commit was lost recognises itself. */
    private final class Claim extends Operation<ClaimResult> {
        private final IdempotencyKey key;
        private final Fingerprint fingerprint;
        private final Duration lease;
        private final Duration retention;
        private final OwnerToken token;

        Claim(IdempotencyKey key, Fingerprint fingerprint, Duration lease, Duration retention, OwnerToken token) {
            this.key = key;
            this.fingerprint = fingerprint;
            this.lease = lease;
            this.retention = retention;
            this.token = token;
        }

        @Override
        public ClaimResult apply(@NotNull Connection c) throws SQLException {
            return statements.claim(c, key, fingerprint, lease, retention, token);
        }
    }

    /** The completion; a retried one checks whether the attempt that lost its connection applied. */
    private final class Complete extends Operation<FenceOutcome> {
        private final IdempotencyKey key;
        private final OwnerToken owner;
        private final StoredResponse response;
        private final Duration retention;
        private int attempts;

        Complete(IdempotencyKey key, OwnerToken owner, StoredResponse response, Duration retention) {
            this.key = key;
            this.owner = owner;
            this.response = response;
            this.retention = retention;
        }

        @Override
        public FenceOutcome apply(@NotNull Connection c) throws SQLException {
            boolean retry = attempts++ > 0;
            FenceOutcome outcome = statements.complete(c, key, owner, response, retention);
            if (outcome == FenceOutcome.LEASE_LOST && retry) {
                // the attempt whose connection failed may have committed: it applied if we completed the record
                Optional<IdempotencyRecord> now = statements.find(c, key);
                if (now.isPresent() && now.get().state() == IdempotencyState.COMPLETED
                        && now.get().owner().equals(owner) && response.equals(now.get().response())) {
                    return FenceOutcome.APPLIED;
                }
            }
            return outcome;
        }
    }

    private static void checkClaim(IdempotencyKey key, Fingerprint fingerprint, Duration lease, Duration retention) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        IdempotencyStore.checkClaimDurations(lease, retention);
    }

    private void checkComplete(IdempotencyKey key, OwnerToken owner, StoredResponse response, Duration retention) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(response, "response");
        IdempotencyStore.checkRetention(retention);
        // the server's limit once an executor read it; never a connection of its own here (the
        // caller's transaction may hold the pool's last one)
        int known = maxResponseBytes;
        int max = known >= 0 ? known : MAX_RESPONSE_BYTES;
        if (response.size() > max) {
            throw new IllegalArgumentException("response body too large for the idempotency table: size="
                    + response.size() + ", max=" + max);
        }
    }

    @Override
    public @NotNull String toString() {
        return "JdbcIdempotencyStore[" + table + " on " + dialect.name() + "]";
    }

    /** Builds a {@link JdbcIdempotencyStore}. Not thread-safe; {@link #build()} yields an immutable value. */
    public static final class Builder {
        private final JdbcContext latchkey;
        private String table = DEFAULT_TABLE;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();

        private Builder(JdbcContext latchkey) {
            this.latchkey = latchkey;
        }

        /**
         * Sets the table.
         *
         * @param table {@code name} or {@code schema.name}: letters, digits and {@code _}
         * @return this builder
         * @throws IllegalArgumentException naming the bad input if it is not a valid identifier
         */
        public @NotNull Builder table(@NotNull String table) {
            latchkey.dialect().identifier("table", table);
            this.table = table;
            return this;
        }

        /**
         * Sets the retry policy of operations on the store's own connections (default
         * {@link RetryPolicy#defaults()}: transient failures, 5 attempts).
         *
         * @param retryPolicy the policy; {@link RetryPolicy#none()} for a single attempt
         * @return this builder
         */
        public @NotNull Builder retryPolicy(@NotNull RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * Builds the store. The table is not created; see
         * {@link JdbcIdempotencyStore#createTableIfNotExists()}.
         *
         * @return the store
         * @throws UnsupportedOperationException naming the dialect if the database cannot host it
         */
        public @NotNull JdbcIdempotencyStore build() {
            return new JdbcIdempotencyStore(this);
        }
    }
}

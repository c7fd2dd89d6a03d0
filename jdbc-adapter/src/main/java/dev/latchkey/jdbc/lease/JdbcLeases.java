package dev.latchkey.jdbc.lease;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;

import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.SchemaScript;
import dev.latchkey.jdbc.sql.TransactionRunner;
import dev.latchkey.lease.spi.LeaseBackend;
import dev.latchkey.lease.spi.LeaseEngine;
import org.jetbrains.annotations.NotNull;

/**
 * Leases with fencing tokens in a table of the database ({@value #DEFAULT_TABLE} by default; the
 * shipped schema files {@code postgresql.sql}, {@code mariadb.sql} and {@code h2.sql} sit beside
 * this class, see {@link #schemaStatements()}). Obtained from {@code latchkey.leases()};
 * {@code latchkey.lease(name)} is {@code latchkey.leases().lease(name)}.
 *
 * <p><b>Statements.</b> Every lease operation is one statement in auto-commit mode on a
 * connection of its own, with every time taken from the database's clock: acquisition (one upsert
 * that returns the row), extension and each heartbeat renewal (one statement), release (one
 * {@code UPDATE}). A fenced transaction adds one locking {@code SELECT} at its start. No
 * connection or transaction stays open while a lease is held.
 *
 * <p>Supported on PostgreSQL, MariaDB 10.5+ and H2 2.x; elsewhere building one throws
 * {@link UnsupportedOperationException} naming the dialect. Immutable and thread-safe; each
 * {@code with..} method returns a new value.
 */
public final class JdbcLeases {
    /** The table of the shipped schema files. */
    public static final String DEFAULT_TABLE = "latchkey_lease";

    private final JdbcContext ctx;
    private final TransactionRunner transactions;
    private final JdbcLeaseBackend backend;
    private final UnaryOperator<LeaseEngine.Builder> engineSettings;
    private final LeaseEngine engine;

    private JdbcLeases(JdbcContext ctx, TransactionRunner transactions, String table,
                       UnaryOperator<LeaseEngine.Builder> engineSettings) {
        this.ctx = ctx;
        this.transactions = transactions;
        this.backend = new JdbcLeaseBackend(ctx, LeaseSql.of(ctx.dialect()), table);
        this.engineSettings = engineSettings;
        this.engine = engineSettings.apply(LeaseEngine.builder(backend).nanoClock(ctx.nanoClock())).build();
    }

    /**
     * Leases on the default table, whose fenced transactions run on {@code transactions}.
     *
     * @param ctx the Latchkey's context
     * @param transactions the runner of fenced transactions ({@code latchkey.transactions()})
     * @return the leases
     * @throws UnsupportedOperationException naming the dialect if the database cannot host them
     * @throws NullPointerException if an argument is {@code null}
     */
    public static @NotNull JdbcLeases of(@NotNull JdbcContext ctx, @NotNull TransactionRunner transactions) {
        return new JdbcLeases(Objects.requireNonNull(ctx, "ctx"), Objects.requireNonNull(transactions, "transactions"),
                DEFAULT_TABLE, b -> b);
    }

    /**
     * Returns these leases on another table (create it with {@link #createTableIfNotExists()}).
     *
     * @param table {@code name} or {@code schema.name}: letters, digits and {@code _}
     * @return new leases
     * @throws IllegalArgumentException naming the bad input if it is not a valid identifier
     * @throws NullPointerException if {@code table} is {@code null}
     */
    public @NotNull JdbcLeases withTable(@NotNull String table) {
        ctx.dialect().identifier("table", table);
        return new JdbcLeases(ctx, transactions, table, engineSettings);
    }

    /**
     * Returns these leases acquired under another owner id (stored in the {@code holder} column
     * for operators; default {@code pid-<pid>-<random>}).
     *
     * @param owner 1 to 255 characters, no control characters
     * @return new leases
     * @throws IllegalArgumentException if the owner is invalid
     * @throws NullPointerException if {@code owner} is {@code null}
     */
    public @NotNull JdbcLeases withOwner(@NotNull String owner) {
        LeaseEngine.builder(backend).owner(owner); // checks it now
        return new JdbcLeases(ctx, transactions, backend.table(), b -> engineSettings.apply(b).owner(owner));
    }

    /**
     * Returns these leases with heartbeats, expiry timers and renewals on your scheduler instead
     * of the shared daemon threads (you own it; shutting it down kills the heartbeats, and the
     * leases then expire).
     *
     * @param scheduler the scheduler
     * @return new leases
     * @throws NullPointerException if {@code scheduler} is {@code null}
     */
    public @NotNull JdbcLeases withScheduler(@NotNull ScheduledExecutorService scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        return new JdbcLeases(ctx, transactions, backend.table(), b -> engineSettings.apply(b).scheduler(scheduler));
    }

    /**
     * Returns a request for the named lease, reusable for every acquisition of the name.
     *
     * @param name 1 to 255 characters, not blank, no control characters (bound as a value)
     * @return an immutable request without heartbeat or callback
     * @throws IllegalArgumentException if the name is invalid
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public @NotNull JdbcLeaseRequest lease(@NotNull String name) {
        return new JdbcLeaseRequest(engine.request(name, l -> new JdbcLease(l, backend, transactions)));
    }

    /**
     * Returns the backend these leases live in, for building a {@link LeaseEngine} of your own.
     *
     * @return the backend
     */
    public @NotNull LeaseBackend backend() {
        return backend;
    }

    /**
     * Returns the owner id acquisitions are made under.
     *
     * @return the owner id
     */
    public @NotNull String owner() {
        return engine.owner();
    }

    /**
     * Returns the table.
     *
     * @return the table name as given
     */
    public @NotNull String table() {
        return backend.table();
    }

    /**
     * Returns the DDL of the table for this database: the shipped schema file with the table name
     * (and the constraint names derived from it) replaced.
     *
     * @return the statements, in order
     */
    public @NotNull List<String> schemaStatements() {
        return SchemaScript.statements(JdbcLeases.class, DEFAULT_TABLE, ctx.dialect(), backend.table());
    }

    /**
     * Creates the table unless it exists (every statement is {@code IF NOT EXISTS}), on a
     * connection of its own.
     *
     * @throws dev.latchkey.jdbc.error.JdbcException (or another translated exception) if the
     *         database refuses
     */
    public void createTableIfNotExists() {
        try (Connection c = ctx.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String ddl : schemaStatements()) {
                s.execute(ddl);
            }
        } catch (SQLException e) {
            throw ctx.errors().translate(e);
        }
    }

    @Override
    public String toString() {
        return "JdbcLeases[" + backend.table() + " on " + ctx.dialect().name() + ", owner=" + engine.owner() + "]";
    }
}

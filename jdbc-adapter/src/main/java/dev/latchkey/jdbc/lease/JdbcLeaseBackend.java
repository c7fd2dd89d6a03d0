package dev.latchkey.jdbc.lease;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import dev.latchkey.DuplicateKeyException;
import dev.latchkey.LockNotAvailableException;
import dev.latchkey.jdbc.internal.ConnectionWork;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.OwnConnection;
import dev.latchkey.jdbc.internal.Participation;
import dev.latchkey.jdbc.internal.Statements;
import dev.latchkey.lease.spi.LeaseBackend;
import dev.latchkey.lease.spi.LeaseGrant;
import org.jetbrains.annotations.NotNull;

/**
 * Leases in a table: each operation is one statement on a connection of its own in auto-commit
 * mode (no transaction stays open while a lease is held), timed by the database's clock, run
 * under the Latchkey's retry policy (a deadlock or lost connection before the statement ran is
 * retried). The statements are rendered once per table. Immutable and thread-safe.
 */
final class JdbcLeaseBackend implements LeaseBackend {
    private final JdbcContext ctx;
    private final LeaseSql sql;
    private final String table;
    private final String acquireSql;
    private final String extendSql;
    private final String releaseSql;
    private final String fenceSql;

    JdbcLeaseBackend(JdbcContext ctx, LeaseSql sql, String table) {
        this.ctx = ctx;
        this.sql = sql;
        this.table = table;
        String rendered = ctx.dialect().identifier("table", table);
        this.acquireSql = sql.acquire(rendered);
        this.extendSql = sql.extend(rendered);
        this.releaseSql = sql.release(rendered);
        this.fenceSql = sql.fence(rendered);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A lock wait that times out (the holder's fenced transaction keeps the row locked) and,
     * on H2, losing the race to insert a new name's first row both mean the lease is held: empty.
     */
    @Override
    public @NotNull Optional<LeaseGrant> tryAcquire(@NotNull String name, @NotNull String owner,
                                                   @NotNull Duration atMostFor, @NotNull Duration atLeastFor) {
        String attempt = UUID.randomUUID().toString();
        List<Object> params = sql.acquireParams(name, owner, attempt, atMostFor.toMillis(), atLeastFor.toMillis());
        try {
            return own("acquisition of lease " + name, c -> first(Statements.query(c, acquireSql, params,
                    rs -> Optional.ofNullable(sql.acquired(rs, attempt)))));
        } catch (LockNotAvailableException | DuplicateKeyException held) {
            return Optional.empty();
        }
    }

    @Override
    public @NotNull Optional<LeaseGrant> extend(@NotNull String name, @NotNull String owner, long token,
                                                @NotNull Duration by) {
        List<Object> params = sql.extendParams(name, owner, token, by.toMillis());
        return own("extension of lease " + name, c -> first(Statements.query(c, extendSql, params,
                rs -> Optional.ofNullable(sql.extended(rs, token)))));
    }

    @Override
    public boolean release(@NotNull String name, @NotNull String owner, long token) {
        return own("release of lease " + name,
                c -> Statements.update(c, releaseSql, LeaseSql.releaseParams(name, owner, token)) == 1);
    }

    /**
     * The fence check, on the fenced transaction's connection: whether the acquisition is current
     * and unexpired, locking its row until the transaction ends.
     */
    boolean fence(Connection c, String name, long token) throws SQLException {
        return !Statements.query(c, fenceSql, LeaseSql.fenceParams(name, token), rs -> rs.getLong(1)).isEmpty();
    }

    String table() {
        return table;
    }

    private static Optional<LeaseGrant> first(List<Optional<LeaseGrant>> rows) {
        return rows.isEmpty() ? Optional.empty() : rows.get(0);
    }

    private <T> T own(String what, ConnectionWork<T> work) {
        requireNoTransaction(what);
        Objects.requireNonNull(work, "work");
        return ctx.retryPolicy().execute(attempt -> OwnConnection.call(ctx.dataSource(), ctx.errors(), work),
                ctx.listener());
    }

    /**
     * Refuses an operation that commits on its own connection while this thread runs a
     * transaction on the data source: it would need a second connection (on a pool of one it would
     * wait for the pool's timeout). Called before any state changes, so a refused release or
     * extension leaves the lease held.
     *
     * @param what the operation, e.g. "release of lease job"
     * @throws IllegalStateException if this thread runs a transaction on the data source
     */
    void requireNoTransaction(String what) {
        if (Participation.current(ctx) != null) {
            throw new IllegalStateException("the " + what + " commits on its own, but this thread runs a transaction on "
                    + "the data source, and Latchkey never takes a second connection from it: acquire, extend and "
                    + "release leases outside transactions (runFenced opens its own)");
        }
    }

    @Override
    public String toString() {
        return "JdbcLeaseBackend[" + table + " on " + ctx.dialect().name() + "]";
    }
}

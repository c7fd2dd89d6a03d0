package dev.latchkey.jdbc.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.dialect.DatabaseProduct;

/**
 * One test invocation's handle on a database: the shared pool, a {@link Latchkey} over it, and
 * helpers that keep concurrency tests short. Tables made with {@link #table(String, String)} get
 * unique names and are dropped after the test, so tests (and parallel builds against the same
 * external server) never see each other's rows.
 */
public final class TestDatabase {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Map<DbKind, Latchkey> LATCHKEYS = new ConcurrentHashMap<>();

    private final DatabaseServer server;
    private final List<String> tables = new ArrayList<>();

    /**
     * Wraps a running server.
     *
     * @param server the server
     */
    public TestDatabase(DatabaseServer server) {
        this.server = server;
    }

    /** @return which database this is */
    public DbKind kind() {
        return server.kind();
    }

    /** @return the database product */
    public DatabaseProduct product() {
        return server.kind().product();
    }

    /** @return the running server */
    public DatabaseServer server() {
        return server;
    }

    /** @return the shared pool: auto-commit connections */
    public DataSource dataSource() {
        return server.pool();
    }

    /** @return a Latchkey over the shared pool, created once per database */
    public Latchkey latchkey() {
        return LATCHKEYS.computeIfAbsent(kind(), k -> Latchkey.of(dataSource()));
    }

    /**
     * A new statement-counting wrapper around the shared pool.
     *
     * @return a counting data source
     */
    public CountingDataSource counting() {
        return new CountingDataSource(dataSource());
    }

    /**
     * A name no other test uses: the prefix, an underscore and a unique suffix, lower case.
     *
     * @param prefix a valid identifier prefix
     * @return the unique name
     */
    public String uniqueName(String prefix) {
        return (prefix + "_" + COUNTER.incrementAndGet() + "_" + Integer.toString(
                ThreadLocalRandom.current().nextInt(1 << 20), 36)).toLowerCase(Locale.ROOT);
    }

    /**
     * Creates a table with a unique name, dropped after the test.
     *
     * @param prefix the name prefix, e.g. {@code "product"}
     * @param columns the column definitions, e.g. {@code "id BIGINT PRIMARY KEY, stock INT NOT NULL"}
     * @return the table's name
     */
    public String table(String prefix, String columns) {
        String name = uniqueName(prefix);
        execute("CREATE TABLE " + name + " (" + columns + ")");
        tables.add(name);
        return name;
    }

    /**
     * Registers a table (created by the test itself) to drop after the test.
     *
     * @param name the table name
     */
    public void dropAfterTest(String name) {
        tables.add(name);
    }

    /**
     * Runs a statement in auto-commit mode with bound parameters.
     *
     * @param sql the SQL
     * @param params the parameters
     * @return the update count (0 for DDL)
     */
    public int execute(String sql, Object... params) {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("failed: " + sql, e);
        }
    }

    /**
     * Runs a query that returns one number.
     *
     * @param sql the SQL
     * @param params the parameters
     * @return the first column of the first row, as a long
     * @throws IllegalStateException if there is no row
     */
    public long queryLong(String sql, Object... params) {
        Object v = queryValue(sql, params);
        if (v == null) {
            throw new IllegalStateException("NULL from " + sql);
        }
        return ((Number) v).longValue();
    }

    /**
     * Runs a query that returns one value.
     *
     * @param sql the SQL
     * @param params the parameters
     * @return the first column of the first row, may be {@code null}
     * @throws IllegalStateException if there is no row
     */
    public Object queryValue(String sql, Object... params) {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row from " + sql);
                }
                return rs.getObject(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("failed: " + sql, e);
        }
    }

    /**
     * Opens a second connection, begins a transaction on it and runs a statement there (e.g.
     * {@code SELECT ... FOR UPDATE}), holding whatever it locks until the returned handle is
     * closed, which rolls back.
     *
     * @param sql the locking statement
     * @param params its parameters
     * @return the handle
     */
    public HeldLock holdLock(String sql, Object... params) {
        return HeldLock.open(dataSource(), sql, params);
    }

    /**
     * The server-side id of a connection's session: {@code pg_backend_pid()},
     * {@code CONNECTION_ID()} or H2's {@code SESSION_ID()}.
     *
     * @param c the connection
     * @return the session id
     * @throws SQLException on failure
     */
    public long sessionId(Connection c) throws SQLException {
        String sql;
        switch (product()) {
            case POSTGRESQL:
                sql = "SELECT pg_backend_pid()";
                break;
            case MARIADB:
            case MYSQL:
                sql = "SELECT CONNECTION_ID()";
                break;
            case H2:
                sql = "SELECT SESSION_ID()";
                break;
            default:
                throw new UnsupportedOperationException("no session id on " + kind());
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Kills a session from another connection, as an operator or a crash would:
     * {@code pg_terminate_backend}, {@code KILL CONNECTION} or H2's {@code ABORT_SESSION}. The
     * killed connection fails on its next use (or at once if it is running a statement) and is
     * evicted from its pool when it does. Returns once the server no longer lists the session,
     * so the kill cannot race with what the test does next.
     *
     * @param sessionId the id from {@link #sessionId(Connection)}
     * @throws IllegalStateException if the database did not find the session, or it is still
     *         listed after 10 seconds
     */
    public void killSession(long sessionId) {
        String listed;
        switch (product()) {
            case POSTGRESQL:
                require(Boolean.TRUE.equals(queryValue("SELECT pg_terminate_backend(?)", (int) sessionId)), sessionId);
                listed = "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ?";
                break;
            case MARIADB:
            case MYSQL:
                execute("KILL CONNECTION " + sessionId);
                listed = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?";
                break;
            case H2:
                require(Boolean.TRUE.equals(queryValue("SELECT ABORT_SESSION(?)", (int) sessionId)), sessionId);
                listed = "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = ?";
                break;
            default:
                throw new UnsupportedOperationException("cannot kill a session on " + kind());
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (queryLong(listed, sessionId) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("session " + sessionId + " still listed 10 s after it was killed on "
                        + kind());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for session " + sessionId + " to end", e);
            }
        }
    }

    private void require(boolean killed, long sessionId) {
        if (!killed) {
            throw new IllegalStateException("session " + sessionId + " not found on " + kind());
        }
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    /** Drops the tables this invocation created. */
    void cleanUp() {
        for (String t : tables) {
            try {
                execute("DROP TABLE IF EXISTS " + t);
            } catch (RuntimeException e) {
                // a failed drop must not hide the test's own outcome; names are unique anyway
            }
        }
        tables.clear();
    }

    @Override
    public String toString() {
        return kind().id();
    }
}

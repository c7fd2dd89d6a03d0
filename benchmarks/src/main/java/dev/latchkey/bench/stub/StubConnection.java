package dev.latchkey.bench.stub;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A connection to no database: every statement is answered by a {@link Script} without I/O.
 * It keeps the state a real connection keeps (auto-commit, isolation, read-only) and, while
 * {@linkplain #record() recording}, a log of what it was asked to do, so a benchmark can check
 * that Latchkey and its hand-written baseline send the same statements. Closing it does nothing
 * (it plays a pooled connection going back to its pool). Confined to one thread.
 */
public final class StubConnection extends NoConnection {
    private final StubProduct product;
    private final StubDatabaseMetaData metaData;
    private final Map<String, StubPreparedStatement> statements = new HashMap<>();
    private final StubPreparedStatement plain = new StubPreparedStatement(this, null);
    private Script script;
    private List<String> log;
    private boolean autoCommit = true;
    private boolean readOnly;
    private int isolation = Connection.TRANSACTION_READ_COMMITTED;
    private long executed;
    private long commits;

    StubConnection(StubProduct product, Script script) {
        this.product = product;
        this.metaData = new StubDatabaseMetaData(this, product);
        this.script = Objects.requireNonNull(script, "script");
    }

    /**
     * Returns the product the connection claims to be.
     *
     * @return the product
     */
    public StubProduct product() {
        return product;
    }

    /**
     * Answers the statements from now on with another script.
     *
     * @param next the script
     */
    public void script(Script next) {
        this.script = Objects.requireNonNull(next, "script");
    }

    /** Starts a new log of statements, commits, rollbacks and auto-commit changes. */
    public void record() {
        log = new ArrayList<>();
    }

    /**
     * Stops recording and returns what was recorded.
     *
     * @return the log, one entry per statement or transaction event
     */
    public List<String> stopRecording() {
        List<String> l = log == null ? List.of() : log;
        log = null;
        return l;
    }

    /**
     * Returns how many statements ran (a batch counts each of its rows).
     *
     * @return the count
     */
    public long executed() {
        return executed;
    }

    /**
     * Returns how many commits ran.
     *
     * @return the count
     */
    public long commits() {
        return commits;
    }

    Answer execute(String sql, Object[] params) {
        executed++;
        if (log != null) {
            log.add(sql);
        }
        return script.answer(sql, params);
    }

    private void event(String what) {
        if (log != null) {
            log.add(what);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql) {
        StubPreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = new StubPreparedStatement(this, sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    @Override
    public Statement createStatement() {
        return plain;
    }

    @Override
    public DatabaseMetaData getMetaData() {
        return metaData;
    }

    @Override
    public boolean getAutoCommit() {
        return autoCommit;
    }

    @Override
    public void setAutoCommit(boolean on) {
        if (on != autoCommit) {
            event(on ? "autocommit on" : "autocommit off");
            if (on) {
                commits++;
            }
        }
        autoCommit = on;
    }

    @Override
    public void commit() throws SQLException {
        if (autoCommit) {
            throw new SQLException("commit in auto-commit mode");
        }
        commits++;
        event("commit");
    }

    @Override
    public void rollback() throws SQLException {
        if (autoCommit) {
            throw new SQLException("rollback in auto-commit mode");
        }
        event("rollback");
    }

    @Override
    public int getTransactionIsolation() {
        return isolation;
    }

    @Override
    public void setTransactionIsolation(int level) {
        event("isolation " + level);
        isolation = level;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public void setReadOnly(boolean on) {
        event("read-only " + on);
        readOnly = on;
    }

    @Override
    public void close() {
        // a pooled connection going back: the pool keeps it open
    }

    @Override
    public boolean isClosed() {
        return false;
    }

    @Override
    public boolean isValid(int timeout) {
        return true;
    }

    @Override
    public SQLWarning getWarnings() {
        return null;
    }

    @Override
    public void clearWarnings() {
    }

    @Override
    public int getHoldability() {
        return ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public String getSchema() {
        return "public";
    }

    @Override
    public String getCatalog() {
        return "stub";
    }

    @Override
    public String toString() {
        return "StubConnection[" + product + "]";
    }
}

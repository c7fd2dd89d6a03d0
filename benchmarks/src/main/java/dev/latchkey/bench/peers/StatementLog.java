package dev.latchkey.bench.peers;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A data source that records, in order, what every peer hands to the JDBC driver: each statement
 * execution with its SQL (a batch counts once), each commit and rollback, and each change of
 * connection state that a driver may send as a statement of its own (auto-commit, isolation,
 * read-only; MariaDB's driver does, pgjdbc folds auto-commit into the next {@code BEGIN}). Used by
 * {@link PeerStatements} only, never while a benchmark is timed. Thread-safe (one lock).
 */
final class StatementLog implements DataSource {
    /** What reached the driver. */
    enum Kind {
        /** A statement execution. */
        SQL,
        /** {@code Connection.commit()}. */
        COMMIT,
        /** {@code Connection.rollback()} (not to a savepoint). */
        ROLLBACK,
        /** {@code setAutoCommit}, {@code setTransactionIsolation}, {@code setReadOnly}, savepoints. */
        STATE
    }

    /**
     * One recorded call.
     *
     * @param kind what it was
     * @param text the SQL, or the call with its argument
     */
    record Event(Kind kind, String text) {
        @Override
        public String toString() {
            return kind == Kind.SQL ? text : kind + (text.isEmpty() ? "" : " " + text);
        }
    }

    private final DataSource delegate;
    private final List<Event> events = new ArrayList<>();

    StatementLog(DataSource delegate) {
        this.delegate = delegate;
    }

    /** @return the calls recorded since the last {@link #clear()}, in order */
    synchronized List<Event> events() {
        return new ArrayList<>(events);
    }

    /** Forgets what was recorded. */
    synchronized void clear() {
        events.clear();
    }

    private synchronized void record(Kind kind, String text) {
        events.add(new Event(kind, text));
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connection(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return connection(delegate.getConnection(username, password));
    }

    private Connection connection(Connection target) {
        return (Connection) Proxy.newProxyInstance(StatementLog.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new OnConnection(target));
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private final class OnConnection implements InvocationHandler {
        private final Connection target;

        OnConnection(Connection target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            switch (name) {
                case "commit" -> record(Kind.COMMIT, "");
                case "rollback" -> record(args == null ? Kind.ROLLBACK : Kind.STATE, args == null ? "" : "rollback to savepoint");
                case "setAutoCommit", "setTransactionIsolation", "setReadOnly" -> {
                    if (!String.valueOf(args[0]).equals(String.valueOf(call(target, getter(name), null)))) {
                        record(Kind.STATE, name + "(" + args[0] + ")");
                    }
                }
                case "setSavepoint", "releaseSavepoint" -> record(Kind.STATE, name);
                case "unwrap", "isWrapperFor" -> {
                    return call(target, method, args);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                default -> {
                }
            }
            Object result = call(target, method, args);
            if (result instanceof Statement statement) {
                String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
                Class<?> type = result instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                return Proxy.newProxyInstance(StatementLog.class.getClassLoader(), new Class<?>[] {type},
                        new OnStatement(statement, sql, proxy));
            }
            return result;
        }

        private Method getter(String setter) throws NoSuchMethodException {
            return Connection.class.getMethod(switch (setter) {
                case "setAutoCommit" -> "getAutoCommit";
                case "setTransactionIsolation" -> "getTransactionIsolation";
                default -> "isReadOnly";
            });
        }
    }

    private final class OnStatement implements InvocationHandler {
        private final Statement target;
        private final String prepared;
        private final Object connection;

        OnStatement(Statement target, String prepared, Object connection) {
            this.target = target;
            this.prepared = prepared;
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("getConnection")) {
                return connection;
            }
            if (name.startsWith("execute")) {
                String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : prepared;
                record(Kind.SQL, name.contains("Batch") ? "BATCH " + sql : sql);
            }
            return call(target, method, args);
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}

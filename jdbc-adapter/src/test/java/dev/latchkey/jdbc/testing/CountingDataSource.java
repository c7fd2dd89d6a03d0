package dev.latchkey.jdbc.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

/**
 * A {@link DataSource} wrapper that counts what reaches the database: statement executions
 * ({@code execute*}, each batch counted once), commits and rollbacks, and records the SQL of each
 * execution. Used to assert that an operation costs one round trip. Thread-safe.
 */
public final class CountingDataSource extends DataSourceAdapter {
    private final DataSource delegate;
    private final AtomicInteger statements = new AtomicInteger();
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger rollbacks = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> executed = new ConcurrentLinkedQueue<>();

    /**
     * Wraps a data source.
     *
     * @param delegate the real data source
     */
    public CountingDataSource(DataSource delegate) {
        super(delegate);
        this.delegate = delegate;
    }

    /** @return statement executions since the last reset (a batch counts once) */
    public int statements() {
        return statements.get();
    }

    /** @return commits since the last reset */
    public int commits() {
        return commits.get();
    }

    /** @return rollbacks since the last reset */
    public int rollbacks() {
        return rollbacks.get();
    }

    /** @return statements + commits + rollbacks: the round trips since the last reset */
    public int roundTrips() {
        return statements() + commits() + rollbacks();
    }

    /** @return the SQL of each execution since the last reset, in order */
    public List<String> executedSql() {
        return new ArrayList<>(executed);
    }

    /** Sets every counter to zero and forgets the recorded SQL. */
    public void reset() {
        statements.set(0);
        commits.set(0);
        rollbacks.set(0);
        executed.clear();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    private Connection wrap(Connection c) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                new ConnectionHandler(c));
    }

    private static Object call(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private final class ConnectionHandler implements InvocationHandler {
        private final Connection target;

        ConnectionHandler(Connection target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            switch (m.getName()) {
                case "commit":
                    commits.incrementAndGet();
                    break;
                case "rollback":
                    if (args == null || args.length == 0) {
                        rollbacks.incrementAndGet();
                    }
                    break;
                case "unwrap":
                    if (args[0] == Connection.class) {
                        return proxy;
                    }
                    break;
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                default:
                    break;
            }
            Object result = call(target, m, args);
            if (result instanceof Statement) {
                String sql = args != null && args.length > 0 && args[0] instanceof String ? (String) args[0] : null;
                Class<?> type = result instanceof CallableStatement ? CallableStatement.class
                        : result instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                        new StatementHandler((Statement) result, sql, proxy));
            }
            return result;
        }
    }

    private final class StatementHandler implements InvocationHandler {
        private final Statement target;
        private final String preparedSql;
        private final Object connectionProxy;

        StatementHandler(Statement target, String preparedSql, Object connectionProxy) {
            this.target = target;
            this.preparedSql = preparedSql;
            this.connectionProxy = connectionProxy;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            if (name.equals("getConnection")) {
                return connectionProxy;
            }
            if (name.startsWith("execute")) {
                statements.incrementAndGet();
                String sql = args != null && args.length > 0 && args[0] instanceof String ? (String) args[0] : preparedSql;
                executed.add(name.equals("executeBatch") || name.equals("executeLargeBatch") ? "BATCH " + sql : sql);
            }
            return call(target, m, args);
        }
    }

}

package dev.latchkey.jdbc.idempotency;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import javax.sql.DataSource;

import dev.latchkey.jdbc.testing.DataSourceAdapter;

/**
 * A data source that fails on demand: the execution of a statement whose SQL matches a
 * predicate, or the next commit. The fault is raised before the call reaches the database,
 * as a generic (non-transient) {@link SQLException}. Thread-safe.
 */
final class FaultInjectingDataSource extends DataSourceAdapter {
    /** SQLSTATE of injected faults: classifies as nothing in particular. */
    static final String FAULT_STATE = "HY000";

    private final DataSource delegate;
    /** The statement filter; volatile via AtomicReference. */
    private final AtomicReference<Predicate<String>> failStatement = new AtomicReference<>(sql -> false);
    /** Whether the next commit fails; consumed by CAS. */
    private final AtomicBoolean failNextCommit = new AtomicBoolean();

    FaultInjectingDataSource(DataSource delegate) {
        super(delegate);
        this.delegate = delegate;
    }

    /** Fails every execution of a statement whose SQL matches, until {@link #clear()}. */
    void failStatements(Predicate<String> which) {
        failStatement.set(which);
    }

    /** Fails the next commit. */
    void failNextCommit() {
        failNextCommit.set(true);
    }

    /** Stops failing. */
    void clear() {
        failStatement.set(sql -> false);
        failNextCommit.set(false);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    private Connection wrap(Connection target) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                new ConnectionHandler(target));
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
                    if (failNextCommit.compareAndSet(true, false)) {
                        throw new SQLException("injected fault at COMMIT", FAULT_STATE);
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
            if (result instanceof PreparedStatement && args != null && args[0] instanceof String) {
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class},
                        new StatementHandler((Statement) result, (String) args[0], proxy));
            }
            return result;
        }
    }

    private final class StatementHandler implements InvocationHandler {
        private final Statement target;
        private final String sql;
        private final Object connection;

        StatementHandler(Statement target, String sql, Object connection) {
            this.target = target;
            this.sql = sql;
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            if (m.getName().equals("getConnection")) {
                return connection;
            }
            if (m.getName().startsWith("execute") && failStatement.get().test(sql)) {
                throw new SQLException("injected fault executing: " + sql, FAULT_STATE);
            }
            return call(target, m, args);
        }
    }

}

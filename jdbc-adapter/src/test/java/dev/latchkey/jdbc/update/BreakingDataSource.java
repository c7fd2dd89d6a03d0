package dev.latchkey.jdbc.update;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import javax.sql.DataSource;

/**
 * A data source whose connections fail once, on the first {@link Connection} call that matches a
 * predicate, with a connection-failure SQLSTATE ({@code 08006}) and before the call reaches the
 * database: for the moments after a write committed (restoring auto-commit, closing). Thread-safe.
 */
final class BreakingDataSource {
    /** Whether the fault is still to come; consumed by CAS. */
    private final AtomicBoolean armed = new AtomicBoolean(true);
    private final DataSource dataSource;

    private BreakingDataSource(DataSource delegate, Predicate<CallOf> breaksOn) {
        this.dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (ds, m, args) -> {
                    Object result = invoke(delegate, m, args);
                    if (!m.getName().equals("getConnection")) {
                        return result;
                    }
                    Connection target = (Connection) result;
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                            (c, cm, cargs) -> {
                                if (breaksOn.test(new CallOf(cm, cargs)) && armed.compareAndSet(true, false)) {
                                    if (cm.getName().equals("close")) {
                                        target.close();
                                    }
                                    throw new SQLException("injected: connection reset", "08006");
                                }
                                return invoke(target, cm, cargs);
                            });
                });
    }

    /** Breaks on the first {@code setAutoCommit(true)}. */
    static BreakingDataSource onRestoringAutoCommit(DataSource delegate) {
        return new BreakingDataSource(delegate, call -> call.method.getName().equals("setAutoCommit")
                && Boolean.TRUE.equals(call.args[0]));
    }

    /** Breaks on the first {@code close()} (after really closing the connection). */
    static BreakingDataSource onClose(DataSource delegate) {
        return new BreakingDataSource(delegate, call -> call.method.getName().equals("close"));
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** @return whether the fault was raised */
    boolean broke() {
        return !armed.get();
    }

    /** One call on a connection. */
    static final class CallOf {
        final Method method;
        final Object[] args;

        CallOf(Method method, Object[] args) {
            this.method = method;
            this.args = args == null ? new Object[0] : args;
        }
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

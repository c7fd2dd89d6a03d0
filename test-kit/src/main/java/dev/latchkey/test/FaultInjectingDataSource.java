package dev.latchkey.test;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * A {@link DataSource} wrapper that makes the failures of a contended database happen on
 * demand: deadlocks, serialization failures, refused and timed-out lock waits, cancelled
 * statements, lost connections and lost COMMIT replies, each with the database's real SQLSTATE,
 * vendor code and message ({@link Database}), as a {@link FaultPlan} says. Wrap the data source
 * the code under test uses (a pool is fine) and run it: the code sees what production would show
 * it, and the test sees whether it copes (retries what is safe to retry, never repeats a
 * transaction whose COMMIT may have happened, leaks no connection).
 *
 * <p>Injection happens in the connections this data source hands out: before an
 * {@code execute*} call of any of their statements is sent (the statement is then not executed)
 * and at {@link Connection#commit()}. What a fault does to the real transaction is described by
 * {@link Fault}; in short, the real database ends up in the state the imitated error implies.
 * Code that unwraps a connection to the driver's own class bypasses the injector.
 *
 * <p>Thread-safe: statements and commits are numbered over all connections, in the order they
 * arrive; with several threads the numbering depends on scheduling, but a single thread's run is
 * repeatable exactly, and a seed fixes which numbers a probability trigger fails. Costs one
 * {@code getAutoCommit()} call (answered by the driver, no round trip in pgjdbc, MariaDB
 * Connector/J or H2) per statement.
 */
public final class FaultInjectingDataSource implements DataSource {
    private final DataSource delegate;
    private final FaultPlan plan;
    /** Statement numbers handed out; atomic. */
    private final AtomicLong statements = new AtomicLong();
    /** Commit numbers handed out; atomic. */
    private final AtomicLong commits = new AtomicLong();
    /** [rule]: how many times it fired; atomic. */
    private final AtomicIntegerArray fired;
    private final ConcurrentLinkedQueue<InjectedFault> injected = new ConcurrentLinkedQueue<>();
    /** The database, once known; volatile, set at most once per value (a racy detection finds the same). */
    private volatile @Nullable Database database;

    private FaultInjectingDataSource(DataSource delegate, FaultPlan plan) {
        this.delegate = delegate;
        this.plan = plan;
        this.fired = new AtomicIntegerArray(plan.rules().size());
        this.database = plan.database();
    }

    /**
     * Wraps a data source. Nothing is injected until a connection is used.
     *
     * @param delegate the real data source
     * @param plan what to inject, when
     * @return the wrapper
     * @throws NullPointerException if an argument is {@code null}
     */
    public static @NotNull FaultInjectingDataSource wrap(@NotNull DataSource delegate, @NotNull FaultPlan plan) {
        return new FaultInjectingDataSource(Objects.requireNonNull(delegate, "delegate"),
                Objects.requireNonNull(plan, "plan"));
    }

    /**
     * Returns the plan.
     *
     * @return the plan this data source follows
     */
    public @NotNull FaultPlan plan() {
        return plan;
    }

    /**
     * Returns the wrapped data source.
     *
     * @return the real data source
     */
    public @NotNull DataSource delegate() {
        return delegate;
    }

    /**
     * Returns the faults injected so far, in the order they were injected.
     *
     * @return a snapshot
     */
    public @NotNull List<InjectedFault> injected() {
        return List.copyOf(injected);
    }

    /**
     * Returns how many statements reached this data source's connections (failed ones included).
     *
     * @return the number of the last statement
     */
    public long statements() {
        return statements.get();
    }

    /**
     * Returns how many commits reached this data source's connections (failed ones included).
     *
     * @return the number of the last commit
     */
    public long commits() {
        return commits.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
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
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "FaultInjectingDataSource[" + plan + ", " + injected.size() + " injected]";
    }

    private Connection wrap(Connection real) {
        ConnectionFaults handler = new ConnectionFaults(real);
        Connection proxy = (Connection) Proxy.newProxyInstance(FaultInjectingDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
        handler.proxy = proxy;
        return proxy;
    }

    private Database database(Connection real) throws SQLException {
        Database d = database;
        if (d == null) {
            String product = real.getMetaData().getDatabaseProductName();
            try {
                d = Database.fromProductName(product);
            } catch (IllegalArgumentException unknown) {
                throw new IllegalStateException(unknown.getMessage() + "; name the database with FaultPlan.database",
                        unknown);
            }
            database = d;
        }
        return d;
    }

    /** The first rule that fires for the call and has firings left, or {@code null}. */
    private @Nullable Fault fault(Trigger.Point point, long number, Iterable<String> sql) {
        List<FaultPlan.Rule> rules = plan.rules();
        for (int i = 0; i < rules.size(); i++) {
            FaultPlan.Rule rule = rules.get(i);
            if (rule.trigger().point() == point && rule.trigger().fires(number, sql, plan.draw(i, number, point))
                    && take(i, rule.times())) {
                return rule.fault();
            }
        }
        return null;
    }

    private boolean take(int rule, int times) {
        while (true) {
            int n = fired.get(rule);
            if (n >= times) {
                return false;
            }
            if (fired.compareAndSet(rule, n, n + 1)) {
                return true;
            }
        }
    }

    /** What {@link #proxyMethod} returns for a method the proxy does not answer itself. */
    private static final Object NOT_OWN = new Object();

    /**
     * Answers the methods every proxy of this class answers itself: identity {@code equals} and
     * {@code hashCode}, {@code toString}, and {@code unwrap} to an interface the proxy implements.
     */
    private static @Nullable Object proxyMethod(Object self, Object real, Method m, @Nullable Object[] args)
            throws Throwable {
        switch (m.getName()) {
            case "equals":
                return self == Objects.requireNonNull(args)[0];
            case "hashCode":
                return System.identityHashCode(self);
            case "toString":
                return "FaultInjecting[" + real + "]";
            case "unwrap":
                Class<?> iface = (Class<?>) Objects.requireNonNull(args)[0];
                return iface.isInstance(self) ? self : call(real, m, args);
            default:
                return NOT_OWN;
        }
    }

    private static Object call(Object target, Method m, @Nullable Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** One connection's proxy: its transaction's fate and the SQL its transaction ran. */
    private final class ConnectionFaults implements InvocationHandler {
        private final Connection real;
        /** Set once, right after the proxy is created and before it is handed out. */
        @Nullable Connection proxy;
        /** Guarded by this: the connection was declared lost; every later call fails. */
        private boolean lost;
        /** Guarded by this: PostgreSQL-style aborted transaction; statements fail until a rollback. */
        private boolean aborted;
        /** Guarded by this: the SQL of the current transaction's statements. */
        private final List<String> transactionSql = new ArrayList<>();

        ConnectionFaults(Connection real) {
            this.real = real;
        }

        @Override
        public Object invoke(Object self, Method m, @Nullable Object[] args) throws Throwable {
            Object own = proxyMethod(self, real, m, args);
            if (own != NOT_OWN) {
                return own;
            }
            switch (m.getName()) {
                case "close":
                case "isClosed":
                case "abort":
                    return call(real, m, args);
                case "isValid":
                    return !isLost() && (Boolean) call(real, m, args);
                case "isWrapperFor":
                    return ((Class<?>) Objects.requireNonNull(args)[0]).isInstance(self) || (Boolean) call(real, m, args);
                default:
                    break;
            }
            failIfLost();
            switch (m.getName()) {
                case "commit":
                    commit();
                    return null;
                case "rollback":
                    synchronized (this) {
                        aborted = false;
                        if (args == null || args.length == 0) {
                            transactionSql.clear();
                        }
                    }
                    return call(real, m, args);
                case "setAutoCommit":
                    synchronized (this) {
                        aborted = false;
                        transactionSql.clear();
                    }
                    return call(real, m, args);
                case "createStatement":
                    return statement(Statement.class, (Statement) call(real, m, args), null);
                case "prepareStatement":
                    return statement(PreparedStatement.class, (Statement) call(real, m, args),
                            (String) Objects.requireNonNull(args)[0]);
                case "prepareCall":
                    return statement(CallableStatement.class, (Statement) call(real, m, args),
                            (String) Objects.requireNonNull(args)[0]);
                default:
                    return call(real, m, args);
            }
        }

        private synchronized boolean isLost() {
            return lost;
        }

        private void failIfLost() throws SQLException {
            if (isLost()) {
                throw database(real).error(Fault.CONNECTION_LOST);
            }
        }

        private Object statement(Class<? extends Statement> type, Statement statement, @Nullable String sql) {
            return Proxy.newProxyInstance(FaultInjectingDataSource.class.getClassLoader(), new Class<?>[] {type},
                    new StatementFaults(this, statement, sql));
        }

        /** Called before a statement is sent; throws the injected fault instead of sending it. */
        void beforeStatement(String sql) throws SQLException {
            Fault fault;
            boolean inTransaction = !real.getAutoCommit();
            synchronized (this) {
                failIfLost();
                if (aborted) {
                    throw database(real).transactionAborted();
                }
                long number = statements.incrementAndGet();
                fault = fault(Trigger.Point.STATEMENT, number, List.of(sql));
                if (fault == null) {
                    if (inTransaction) {
                        transactionSql.add(sql);
                    }
                    return;
                }
                Database db = database(real);
                SQLException error = db.error(fault);
                injected.add(new InjectedFault(fault, false, number, sql, Thread.currentThread().getName()));
                boolean endsTransaction = fault == Fault.CONNECTION_LOST || fault == Fault.DEADLOCK
                        || fault == Fault.SERIALIZATION_FAILURE || db.abortsTransactionOnError();
                if (inTransaction && endsTransaction) {
                    real.rollback();
                    transactionSql.clear();
                    aborted = fault != Fault.CONNECTION_LOST && db.abortsTransactionOnError();
                }
                lost = fault == Fault.CONNECTION_LOST;
                throw error;
            }
        }

        private void commit() throws SQLException {
            Fault fault;
            long number;
            synchronized (this) {
                if (aborted) {
                    // the real transaction was rolled back when the fault struck: nothing to commit
                    aborted = false;
                }
                number = commits.incrementAndGet();
                fault = fault(Trigger.Point.COMMIT, number, List.copyOf(transactionSql));
                transactionSql.clear();
                if (fault == null) {
                    real.commit();
                    return;
                }
                injected.add(new InjectedFault(fault, true, number, "COMMIT", Thread.currentThread().getName()));
                SQLException error = database(real).error(fault);
                if (fault == Fault.COMMIT_REPLY_LOST) {
                    real.commit();
                } else {
                    real.rollback();
                }
                lost = fault == Fault.CONNECTION_LOST || fault == Fault.COMMIT_REPLY_LOST;
                throw error;
            }
        }
    }

    /** One statement's proxy: fails {@code execute*} calls as the connection's plan says. */
    private static final class StatementFaults implements InvocationHandler {
        private final ConnectionFaults connection;
        private final Statement real;
        private final @Nullable String preparedSql;
        /** The SQL added with {@code addBatch(String)}; used by one thread at a time, like the statement. */
        private final List<String> batch = new ArrayList<>();

        StatementFaults(ConnectionFaults connection, Statement real, @Nullable String preparedSql) {
            this.connection = connection;
            this.real = real;
            this.preparedSql = preparedSql;
        }

        @Override
        public Object invoke(Object self, Method m, @Nullable Object[] args) throws Throwable {
            Object own = proxyMethod(self, real, m, args);
            if (own != NOT_OWN) {
                return own;
            }
            String name = m.getName();
            switch (name) {
                case "getConnection":
                    return connection.proxy;
                case "addBatch":
                    if (args != null && args.length == 1 && args[0] instanceof String) {
                        batch.add((String) args[0]);
                    }
                    return call(real, m, args);
                case "clearBatch":
                    batch.clear();
                    return call(real, m, args);
                default:
                    break;
            }
            if (name.startsWith("execute")) {
                connection.beforeStatement(sql(name, args));
                if (name.endsWith("Batch")) {
                    batch.clear();
                }
            }
            return call(real, m, args);
        }

        private String sql(String method, @Nullable Object[] args) {
            if (args != null && args.length > 0 && args[0] instanceof String) {
                return (String) args[0];
            }
            if (preparedSql != null) {
                return preparedSql;
            }
            return method.endsWith("Batch") ? String.join(";\n", batch) : "";
        }
    }
}

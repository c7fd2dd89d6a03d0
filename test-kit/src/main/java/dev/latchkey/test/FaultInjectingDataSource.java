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
import java.util.concurrent.atomic.AtomicLongArray;
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
 * <p>Injection happens at the {@link Trigger.Point points} of the connections this data source
 * hands out: before an {@code execute*} call of any of their statements is sent (the statement
 * is then not executed), at {@link Connection#commit()}, {@link Connection#rollback()},
 * {@code setAutoCommit(true)} ending a transaction and {@link Connection#close()}; and at
 * {@link #getConnection()} itself. What a fault does to the real transaction is described by
 * {@link Fault}; in short, the real database ends up in the state the imitated error implies.
 * Code that unwraps a connection to the driver's own class bypasses the injector.
 *
 * <p>The plan can be replaced while the data source is in use ({@link #plan(FaultPlan)},
 * {@link #clear()}), e.g. to let a test's setup run unharmed and fail only the step under test.
 *
 * <p>Thread-safe: the calls of each point are numbered over all connections, in the order they
 * arrive; with several threads the numbering depends on scheduling, but a single thread's run is
 * repeatable exactly, and a seed fixes which numbers a probability trigger fails. Costs one
 * {@code getAutoCommit()} call (answered by the driver, no round trip in pgjdbc, MariaDB
 * Connector/J or H2) per statement.
 */
public final class FaultInjectingDataSource implements DataSource {
    private final DataSource delegate;
    /** The plan with its call numbers and firing counts, replaced as one; volatile. */
    private volatile Schedule schedule;
    private final ConcurrentLinkedQueue<InjectedFault> injected = new ConcurrentLinkedQueue<>();
    /** The database detected from a connection; volatile, set at most once per value (a racy detection finds the same). */
    private volatile @Nullable Database detected;

    private FaultInjectingDataSource(DataSource delegate, FaultPlan plan) {
        this.delegate = delegate;
        this.schedule = new Schedule(plan);
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
     * @return the plan this data source follows now
     */
    public @NotNull FaultPlan plan() {
        return schedule.plan;
    }

    /**
     * Replaces the plan, atomically: a call that already started finishes under the old plan,
     * every later call follows the new one, on every connection (those open already included).
     * The new plan starts afresh, as if the data source had just been wrapped with it: the calls
     * of each point are numbered from 1 again and its rules have fired zero times.
     * {@link #injected()} keeps what was injected before.
     *
     * @param plan what to inject from now on
     * @throws NullPointerException if {@code plan} is {@code null}
     */
    public void plan(@NotNull FaultPlan plan) {
        schedule = new Schedule(Objects.requireNonNull(plan, "plan"));
    }

    /**
     * Stops injecting: the same as {@code plan(FaultPlan.none())}. A connection already lost
     * stays lost; a PostgreSQL-style aborted transaction stays aborted until rolled back.
     */
    public void clear() {
        plan(FaultPlan.none());
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
     * Returns how many statements reached this data source's connections (failed ones included)
     * since the current plan was set.
     *
     * @return the number of the last statement
     */
    public long statements() {
        return calls(Trigger.Point.STATEMENT);
    }

    /**
     * Returns how many commits reached this data source's connections (failed ones included)
     * since the current plan was set.
     *
     * @return the number of the last commit
     */
    public long commits() {
        return calls(Trigger.Point.COMMIT);
    }

    /**
     * Returns how many calls of a point were made (failed ones included) since the current plan
     * was set.
     *
     * @param point the calls
     * @return the number of the last call of that point
     * @throws NullPointerException if {@code point} is {@code null}
     */
    public long calls(Trigger.@NotNull Point point) {
        return schedule.calls.get(Objects.requireNonNull(point, "point").ordinal());
    }

    @Override
    public Connection getConnection() throws SQLException {
        failIfUnreachable();
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        failIfUnreachable();
        return wrap(delegate.getConnection(username, password));
    }

    private void failIfUnreachable() throws SQLException {
        Injection connect = inject(Trigger.Point.CONNECT, List.of(), "getConnection", null);
        if (connect != null) {
            throw connect.error;
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
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "FaultInjectingDataSource[" + schedule.plan + ", " + injected.size() + " injected]";
    }

    private Connection wrap(Connection real) {
        ConnectionFaults handler = new ConnectionFaults(real);
        Connection proxy = (Connection) Proxy.newProxyInstance(FaultInjectingDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
        handler.proxy = proxy;
        return proxy;
    }

    /**
     * The database whose codes to use: the plan's, else the one detected from the connection (at
     * connect, from a connection opened and closed for the purpose).
     */
    private Database database(FaultPlan plan, @Nullable Connection real) throws SQLException {
        Database d = plan.database();
        if (d == null) {
            d = detected;
        }
        if (d == null) {
            if (real == null) {
                try (Connection probe = delegate.getConnection()) {
                    d = detect(probe);
                }
            } else {
                d = detect(real);
            }
            detected = d;
        }
        return d;
    }

    private static Database detect(Connection real) throws SQLException {
        String product = real.getMetaData().getDatabaseProductName();
        try {
            return Database.fromProductName(product);
        } catch (IllegalArgumentException unknown) {
            throw new IllegalStateException(unknown.getMessage() + "; name the database with FaultPlan.database",
                    unknown);
        }
    }

    /**
     * Numbers a call of a point and, when a rule fires for it, records the fault and returns it
     * with the database's error for it.
     *
     * @param sql what triggers matching SQL look at
     * @param what the SQL or the call's name, for {@link InjectedFault#sql()}
     * @param real the connection the call is made on, {@code null} at connect
     */
    private @Nullable Injection inject(Trigger.Point point, Iterable<String> sql, String what,
                                       @Nullable Connection real) throws SQLException {
        Schedule s = schedule;
        long number = s.calls.incrementAndGet(point.ordinal());
        Fault fault = s.fault(point, number, sql);
        if (fault == null) {
            return null;
        }
        Database db = database(s.plan, real);
        injected.add(new InjectedFault(fault, point, number, what, Thread.currentThread().getName()));
        return new Injection(fault, db, db.error(fault));
    }

    /** A fault about to be thrown: which, on which database, and the error to throw. */
    private record Injection(Fault fault, Database database, SQLException error) {
    }

    /** A plan with its own call numbers and firing counts. */
    private static final class Schedule {
        final FaultPlan plan;
        /** [rule]: how many times it fired; atomic. */
        final AtomicIntegerArray fired;
        /** [point ordinal]: the calls numbered so far; atomic. */
        final AtomicLongArray calls = new AtomicLongArray(Trigger.Point.values().length);

        Schedule(FaultPlan plan) {
            this.plan = plan;
            this.fired = new AtomicIntegerArray(plan.rules().size());
        }

        /** The first rule that fires for the call and has firings left, or {@code null}. */
        @Nullable Fault fault(Trigger.Point point, long number, Iterable<String> sql) {
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
                    close();
                    return null;
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
                    boolean wholeTransaction = args == null || args.length == 0;
                    if (wholeTransaction) {
                        dieIfPlanned(Trigger.Point.ROLLBACK, "ROLLBACK");
                    }
                    synchronized (this) {
                        aborted = false;
                        if (wholeTransaction) {
                            transactionSql.clear();
                        }
                    }
                    return call(real, m, args);
                case "setAutoCommit":
                    if (Boolean.TRUE.equals(Objects.requireNonNull(args)[0]) && !real.getAutoCommit()) {
                        dieIfPlanned(Trigger.Point.RESTORE_AUTO_COMMIT, "setAutoCommit(true)");
                    }
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
                throw database(schedule.plan, real).error(Fault.CONNECTION_LOST);
            }
        }

        /**
         * At a call where only the connection can die (ROLLBACK, restoring auto-commit): if a rule
         * fires, rolls the real transaction back, as the server does for a dead connection, and
         * throws with the connection lost.
         */
        private void dieIfPlanned(Trigger.Point point, String call) throws SQLException {
            Injection death = inject(point, List.of(), call, real);
            if (death != null) {
                synchronized (this) {
                    if (!real.getAutoCommit()) {
                        real.rollback();
                    }
                    transactionSql.clear();
                    aborted = false;
                    lost = true;
                }
                throw death.error;
            }
        }

        /** Really closes an open connection, then fails if a CLOSE rule fires. */
        private void close() throws SQLException {
            if (real.isClosed()) {
                return;
            }
            Injection death = inject(Trigger.Point.CLOSE, List.of(), "close", real); // before: it may read metadata
            real.close();
            if (death != null) {
                synchronized (this) {
                    lost = true;
                }
                throw death.error;
            }
        }

        private Object statement(Class<? extends Statement> type, Statement statement, @Nullable String sql) {
            return Proxy.newProxyInstance(FaultInjectingDataSource.class.getClassLoader(), new Class<?>[] {type},
                    new StatementFaults(this, statement, sql));
        }

        /** Called before a statement is sent; throws the injected fault instead of sending it. */
        void beforeStatement(String sql) throws SQLException {
            boolean inTransaction = !real.getAutoCommit();
            synchronized (this) {
                failIfLost();
                if (aborted) {
                    throw database(schedule.plan, real).transactionAborted();
                }
                Injection i = inject(Trigger.Point.STATEMENT, List.of(sql), sql, real);
                if (i == null) {
                    if (inTransaction) {
                        transactionSql.add(sql);
                    }
                    return;
                }
                Fault fault = i.fault;
                boolean endsTransaction = fault == Fault.CONNECTION_LOST || fault == Fault.DEADLOCK
                        || fault == Fault.SERIALIZATION_FAILURE || i.database.abortsTransactionOnError();
                if (inTransaction && endsTransaction) {
                    real.rollback();
                    transactionSql.clear();
                    aborted = fault != Fault.CONNECTION_LOST && i.database.abortsTransactionOnError();
                }
                lost = fault == Fault.CONNECTION_LOST;
                throw i.error;
            }
        }

        private void commit() throws SQLException {
            synchronized (this) {
                // if aborted, the real transaction was rolled back when the fault struck: nothing to commit
                aborted = false;
                Injection i = inject(Trigger.Point.COMMIT, List.copyOf(transactionSql), "COMMIT", real);
                transactionSql.clear();
                if (i == null) {
                    real.commit();
                    return;
                }
                if (i.fault == Fault.COMMIT_REPLY_LOST) {
                    real.commit();
                } else {
                    real.rollback();
                }
                lost = i.fault == Fault.CONNECTION_LOST || i.fault == Fault.COMMIT_REPLY_LOST;
                throw i.error;
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

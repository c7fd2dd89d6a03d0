package dev.latchkey.jdbc.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.jetbrains.annotations.NotNull;

/**
 * A view of a Latchkey's data source for other code (a {@code JdbcTemplate}, jOOQ, a plain JDBC
 * DAO): inside a transaction this thread runs on the data source (Latchkey's, a bound connection,
 * a joined framework's), {@link #getConnection()} hands out that transaction's connection, so the
 * code writes in the same transaction; its {@code close()} does not close it, and
 * {@code commit()}/{@code rollback()} are refused (the transaction's boundary decides).
 * Outside one it is the data source itself. Thread-safe.
 */
public final class TransactionAwareDataSource implements DataSource {
    private final JdbcContext ctx;

    /**
     * The view of a context's data source.
     *
     * @param ctx the context
     */
    public TransactionAwareDataSource(@NotNull JdbcContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
    }

    @Override
    public Connection getConnection() throws SQLException {
        JoinedTransaction tx = Participation.current(ctx);
        return tx == null ? ctx.dataSource().getConnection() : joined(ctx, tx.connection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        JoinedTransaction tx = Participation.current(ctx);
        return tx == null ? ctx.dataSource().getConnection(username, password) : joined(ctx, tx.connection());
    }

    private static Connection joined(JdbcContext ctx, Connection target) {
        return (Connection) Proxy.newProxyInstance(TransactionAwareDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new Joined(ctx, target));
    }

    /**
     * The transaction's connection, lent out: closing it only stops this handle, and so does the
     * end of the transaction (or use on another thread), so that a handle kept too long never runs
     * statements on a connection outside the transaction it was lent for.
     */
    private static final class Joined implements InvocationHandler {
        private final JdbcContext ctx;
        private final Connection target;
        private boolean closed;

        Joined(JdbcContext ctx, Connection target) {
            this.ctx = ctx;
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close":
                    closed = true;
                    return null;
                case "isClosed":
                    return closed || !inTransaction() || target.isClosed();
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "transaction-bound " + target;
                case "commit":
                case "rollback":
                    throw new SQLException(method.getName() + "() on a connection of a transaction Latchkey joined: "
                            + "the transaction's boundary commits or rolls back", "25000");
                case "setAutoCommit":
                    if (Boolean.TRUE.equals(args[0]) != target.getAutoCommit()) {
                        throw new SQLException("setAutoCommit(" + args[0] + ") on a connection of a running "
                                + "transaction", "25000");
                    }
                    return null;
                default:
                    if (closed && !method.getName().equals("isValid")) {
                        throw new SQLException("this handle of the transaction's connection is closed", "08003");
                    }
                    if (!inTransaction()) {
                        throw new SQLException("this handle was lent for a transaction that has ended (or is "
                                + "used on another thread); take a new connection from the data source", "08003");
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
            }
        }

        private boolean inTransaction() {
            JoinedTransaction tx = Participation.current(ctx);
            return tx != null && tx.connection() == target;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return ctx.dataSource().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        ctx.dataSource().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        ctx.dataSource().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return ctx.dataSource().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return ctx.dataSource().getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : ctx.dataSource().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || ctx.dataSource().isWrapperFor(iface);
    }
}

package dev.latchkey.jdbc.testing;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.h2.tools.Server;

/**
 * A test database reached through a {@link CuttingProxy}: a data source without a pool (each
 * {@code getConnection()} opens a new physical connection through the proxy, so every
 * {@code COMMIT} travels as text) that counts the connections it handed out and that are not
 * closed yet. PostgreSQL and MariaDB are proxied at the port of their JDBC URL; H2 in memory has no
 * network, so an H2 TCP server is started in this JVM over the same in-memory database and the
 * proxy goes in front of it.
 */
public final class ProxiedDatabase implements AutoCloseable {
    private static final Pattern HOST_PORT = Pattern.compile("^(jdbc:[a-z0-9]+://)([^/:?]+)(?::(\\d+))?(.*)$");
    private static Server h2Server;

    private final CuttingProxy proxy;
    private final String url;
    private final AtomicInteger open = new AtomicInteger();
    private final DataSource dataSource = new DataSourceAdapter(null) {
        @Override
        public Connection getConnection() throws SQLException {
            return track(DriverManager.getConnection(url));
        }
    };

    private ProxiedDatabase(CuttingProxy proxy, String url) {
        this.proxy = proxy;
        this.url = url;
    }

    /**
     * Puts a proxy in front of a test database.
     *
     * @param db the database
     * @return the proxied database; close it after the test
     * @throws IOException if the proxy or H2's TCP server cannot listen
     * @throws SQLException if H2's TCP server cannot start
     */
    public static ProxiedDatabase of(TestDatabase db) throws IOException, SQLException {
        if (db.kind() == DbKind.H2) {
            int port = h2Port();
            CuttingProxy proxy = CuttingProxy.start("127.0.0.1", port);
            return new ProxiedDatabase(proxy, "jdbc:h2:tcp://127.0.0.1:" + proxy.port() + "/mem:latchkey");
        }
        Matcher m = HOST_PORT.matcher(db.server().jdbcUrl());
        if (!m.matches()) {
            throw new IllegalStateException("cannot find host and port in " + db.server().jdbcUrl());
        }
        int port = m.group(3) != null ? Integer.parseInt(m.group(3)) : db.kind().isPostgres() ? 5432 : 3306;
        CuttingProxy proxy = CuttingProxy.start(m.group(2), port);
        return new ProxiedDatabase(proxy, m.group(1) + "127.0.0.1:" + proxy.port() + m.group(4));
    }

    private static synchronized int h2Port() throws IOException, SQLException {
        if (h2Server == null) {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            h2Server = Server.createTcpServer("-tcpPort", Integer.toString(port)).start();
        }
        return h2Server.getPort();
    }

    /** @return the proxy */
    public CuttingProxy proxy() {
        return proxy;
    }

    /** @return the data source through the proxy, without a pool */
    public DataSource dataSource() {
        return dataSource;
    }

    /** @return connections handed out by {@link #dataSource()} and not closed yet */
    public int openConnections() {
        return open.get();
    }

    private Connection track(Connection c) {
        open.incrementAndGet();
        AtomicBoolean closed = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (p, method, args) -> {
                    if (method.getName().equals("close") && closed.compareAndSet(false, true)) {
                        open.decrementAndGet();
                    }
                    if (method.getName().equals("unwrap") && args[0] == Connection.class) {
                        return p;
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public void close() throws IOException {
        proxy.close();
    }
}

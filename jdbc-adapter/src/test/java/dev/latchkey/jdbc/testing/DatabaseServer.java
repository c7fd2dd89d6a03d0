package dev.latchkey.jdbc.testing;

import com.zaxxer.hikari.HikariDataSource;

/** One running database and its shared connection pool. */
public final class DatabaseServer {
    private final DbKind kind;
    private final HikariDataSource pool;

    DatabaseServer(DbKind kind, HikariDataSource pool) {
        this.kind = kind;
        this.pool = pool;
    }

    /** @return which database this is */
    public DbKind kind() {
        return kind;
    }

    /** @return the shared pool (auto-commit connections) */
    public HikariDataSource pool() {
        return pool;
    }

    /** @return the JDBC URL of the pool */
    public String jdbcUrl() {
        return pool.getJdbcUrl();
    }

    /**
     * A new, separate pool to the same database, e.g. for a test that needs its own size.
     * The caller closes it.
     *
     * @param maxSize the pool's maximum size
     * @return a new pool
     */
    public HikariDataSource newPool(int maxSize) {
        return DatabaseServers.pool(kind, pool.getJdbcUrl(), maxSize);
    }
}

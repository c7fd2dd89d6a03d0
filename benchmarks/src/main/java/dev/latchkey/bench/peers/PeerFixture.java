package dev.latchkey.bench.peers;

import dev.latchkey.bench.db.BenchDatabase;
import dev.latchkey.jdbc.dialect.DatabaseProduct;

/**
 * The tables every side works on, made once per trial with unique names (the servers are shared):
 * {@code items (id, stock, version)} with {@code rows} rows of a stock so large it never runs out,
 * ShedLock's lock table, in the layout ShedLock's README gives, and the name of Latchkey's lease
 * table. PostgreSQL and MariaDB/MySQL
 * only: ShedLock's {@code usingDbTime()} and Latchkey's advisory lock have no H2 form.
 */
final class PeerFixture implements AutoCloseable {
    /** Every row's initial stock: decremented for hours without running out. */
    static final long STOCK = 1_000_000_000_000L;

    final BenchDatabase database;
    final String items;
    final String shedlock;
    /** Latchkey's lease table: named here, created by Latchkey's side from its shipped schema. */
    final String leases;
    final int rows;

    private PeerFixture(BenchDatabase database, String items, String shedlock, String leases, int rows) {
        this.database = database;
        this.items = items;
        this.shedlock = shedlock;
        this.leases = leases;
        this.rows = rows;
    }

    /**
     * Opens the database and creates the tables.
     *
     * @param db a name {@link BenchDatabase#open(String, int)} accepts
     * @param poolSize connections in the pool
     * @param rows rows in {@code items}, ids {@code 1..rows}
     * @return the fixture
     * @throws IllegalArgumentException on H2
     */
    static PeerFixture open(String db, int poolSize, int rows) {
        BenchDatabase database = BenchDatabase.open(db, poolSize);
        try {
            if (database.product() == DatabaseProduct.H2) {
                throw new IllegalArgumentException("the peer benchmarks run on PostgreSQL and MariaDB/MySQL only"
                        + " (ShedLock's usingDbTime() and advisory locks have no H2 form): db=" + db);
            }
            String items = database.createTable("lkb_peer_item",
                    "id BIGINT PRIMARY KEY, stock BIGINT NOT NULL, version BIGINT NOT NULL");
            database.fillStock(items, rows, STOCK);
            String timestamp = database.product() == DatabaseProduct.POSTGRESQL ? "TIMESTAMP" : "TIMESTAMP(3)";
            String shedlock = database.createTable("lkb_peer_shedlock", "name VARCHAR(64) NOT NULL, lock_until "
                    + timestamp + " NOT NULL, locked_at " + timestamp + " NOT NULL, locked_by VARCHAR(255) NOT NULL, "
                    + "PRIMARY KEY (name)");
            return new PeerFixture(database, items, shedlock, database.uniqueTable("lkb_peer_lease"), rows);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** @return the product of the database */
    DatabaseProduct product() {
        return database.product();
    }

    /** Drops the tables and closes the pool. */
    @Override
    public void close() {
        database.close();
    }
}

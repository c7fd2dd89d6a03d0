package dev.latchkey.bench.lab;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

/**
 * The shop's tables: products with a stock count and a version, and orders (one row per charge).
 * Orders deliberately have no unique constraint on the request key, so that a duplicate charge
 * is possible and can be counted: it is the idempotency layer's job to prevent it. Table names
 * are unique per lab run and dropped by {@link #drop()}.
 */
final class Shop {
    private final DataSource dataSource;
    private final String products;
    private final String orders;
    private final String suffix;
    private final int productCount;
    private final int initialStock;

    private Shop(DataSource dataSource, String suffix, int productCount, int initialStock) {
        this.dataSource = dataSource;
        this.suffix = suffix;
        this.products = "lab_product_" + suffix;
        this.orders = "lab_order_" + suffix;
        this.productCount = productCount;
        this.initialStock = initialStock;
    }

    /**
     * Creates the tables and the products.
     *
     * @param dataSource auto-commit connections
     * @param productCount how many products, ids {@code 1..productCount}
     * @param initialStock units of each
     * @return the shop
     * @throws SQLException on a database error
     */
    static Shop create(DataSource dataSource, int productCount, int initialStock) throws SQLException {
        String suffix = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36).toLowerCase(Locale.ROOT);
        Shop shop = new Shop(dataSource, suffix, productCount, initialStock);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + shop.products + " (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, "
                    + "stock BIGINT NOT NULL, version BIGINT NOT NULL)");
            s.execute("CREATE TABLE " + shop.orders + " (request_key VARCHAR(100) NOT NULL, "
                    + "product_id BIGINT NOT NULL, qty INT NOT NULL)");
            s.execute("CREATE INDEX lab_order_key_" + suffix + " ON " + shop.orders + " (request_key)");
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + shop.products
                     + " (id, name, stock, version) VALUES (?, ?, ?, 0)")) {
            for (int id = 1; id <= productCount; id++) {
                ps.setLong(1, id);
                ps.setString(2, "product " + id);
                ps.setLong(3, initialStock);
                ps.executeUpdate();
            }
        }
        return shop;
    }

    /** @return the products table: {@code id, name, stock, version} */
    String products() {
        return products;
    }

    /** @return the orders table: {@code request_key, product_id, qty} */
    String orders() {
        return orders;
    }

    /** @return a suffix unique to this lab run, for other names (e.g. the idempotency table) */
    String suffix() {
        return suffix;
    }

    /** @return how many products are on sale */
    int productCount() {
        return productCount;
    }

    /** @return the units each product starts with */
    int initialStock() {
        return initialStock;
    }

    /** @return the SQL that records a charge: parameters key, product id, quantity */
    String insertOrderSql() {
        return "INSERT INTO " + orders + " (request_key, product_id, qty) VALUES (?, ?, ?)";
    }

    /**
     * Records a charge on the caller's connection (inside its transaction).
     *
     * @param c the connection
     * @param p the purchase
     * @throws SQLException on a database error
     */
    void insertOrder(Connection c, Purchase p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertOrderSql())) {
            ps.setString(1, p.key());
            ps.setLong(2, p.productId());
            ps.setInt(3, p.qty());
            ps.executeUpdate();
        }
    }

    /**
     * Restocks every product and deletes every order, for the next strategy.
     *
     * @throws SQLException on a database error
     */
    void reset() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM " + orders);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + products + " SET stock = ?, version = 0")) {
                ps.setLong(1, initialStock);
                ps.executeUpdate();
            }
        }
    }

    /**
     * Counts what the database says happened: the truth the lab's invariants are checked on.
     *
     * @return the audit
     * @throws SQLException on a database error
     */
    Audit audit() throws SQLException {
        long orderRows;
        long distinctKeys;
        long unitsSold = 0;
        long oversold = 0;
        long lostUpdates = 0;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT request_key) FROM " + orders)) {
                rs.next();
                orderRows = rs.getLong(1);
                distinctKeys = rs.getLong(2);
            }
            try (ResultSet rs = s.executeQuery("SELECT p.id, p.stock, (SELECT COALESCE(SUM(o.qty), 0) FROM "
                    + orders + " o WHERE o.product_id = p.id) FROM " + products + " p ORDER BY p.id")) {
                while (rs.next()) {
                    long finalStock = rs.getLong(2);
                    long sold = rs.getLong(3);
                    unitsSold += sold;
                    oversold += Math.max(0, sold - initialStock);
                    // stock the counter should show, minus what it shows: decrements that were lost
                    lostUpdates += Math.abs(initialStock - sold - finalStock);
                }
            }
        }
        return new Audit(orderRows, unitsSold, (long) productCount * initialStock, oversold,
                orderRows - distinctKeys, lostUpdates);
    }

    /**
     * Drops the tables; failures are ignored (the names are unique).
     *
     * @param others more tables of this lab run to drop (e.g. the idempotency store's)
     */
    void drop(String... others) {
        List<String> tables = new ArrayList<>(List.of(others));
        tables.add(orders);
        tables.add(products);
        for (String table : tables) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
            } catch (SQLException ignored) {
                // a leftover uniquely named table harms no one
            }
        }
    }

    /**
     * What the database holds after a sale.
     *
     * @param orders rows in the orders table: charges made
     * @param unitsSold units in those orders
     * @param unitsAvailable units on sale at the start
     * @param oversold units sold beyond a product's stock, summed over products
     * @param duplicateCharges charges beyond the first for the same request key
     * @param lostStockUpdates units by which the stock counters disagree with the orders
     */
    record Audit(long orders, long unitsSold, long unitsAvailable, long oversold, long duplicateCharges,
                 long lostStockUpdates) {
        /** @return whether nothing was oversold, charged twice or lost */
        boolean clean() {
            return oversold == 0 && duplicateCharges == 0 && lostStockUpdates == 0;
        }
    }
}

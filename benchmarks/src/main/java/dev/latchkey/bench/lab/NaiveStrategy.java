package dev.latchkey.bench.lab;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * The control, written the way it usually is the first time, without Latchkey: in a transaction
 * at the database's default isolation, look for an order with the request key (if there is one,
 * answer "already done"), read the stock, and if it is enough write back {@code stock - qty} and
 * insert the order. Two buyers can read the same stock and both write back their own result (a
 * lost update, so units are sold twice), and two sends of one key can both find no order and
 * both charge.
 */
final class NaiveStrategy implements Strategy {
    private final DataSource dataSource;
    private final Shop shop;
    private final String findOrder;
    private final String readStock;
    private final String writeStock;

    NaiveStrategy(LabContext context) {
        this.dataSource = context.dataSource();
        this.shop = context.shop();
        this.findOrder = "SELECT 1 FROM " + shop.orders() + " WHERE request_key = ?";
        this.readStock = "SELECT stock FROM " + shop.products() + " WHERE id = ?";
        this.writeStock = "UPDATE " + shop.products() + " SET stock = ? WHERE id = ?";
    }

    @Override
    public String id() {
        return "naive";
    }

    @Override
    public String title() {
        return "naive read-then-write";
    }

    @Override
    public String description() {
        return "the control, no Latchkey: SELECT order by key; SELECT stock; UPDATE SET stock = <read - qty>; "
                + "INSERT order";
    }

    @Override
    public boolean latchkey() {
        return false;
    }

    @Override
    public Outcome purchase(Purchase p) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Outcome outcome = buy(c, p);
                c.commit();
                return outcome;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private Outcome buy(Connection c, Purchase p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(findOrder)) {
            ps.setString(1, p.key());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return Outcome.REPLAYED;
                }
            }
        }
        long stock;
        try (PreparedStatement ps = c.prepareStatement(readStock)) {
            ps.setLong(1, p.productId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                stock = rs.getLong(1);
            }
        }
        if (stock < p.qty()) {
            return Outcome.SOLD_OUT;
        }
        try (PreparedStatement ps = c.prepareStatement(writeStock)) {
            ps.setLong(1, stock - p.qty());
            ps.setLong(2, p.productId());
            ps.executeUpdate();
        }
        shop.insertOrder(c, p);
        return Outcome.ACCEPTED;
    }
}

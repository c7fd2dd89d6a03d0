package dev.latchkey.samples.shop;

import static dev.latchkey.jdbc.update.Expressions.col;

import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.update.UpdateResult;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The shop's writes: the auto-configured Latchkey and Boot's JdbcTemplate in the same Spring transactions. */
@Service
public class ShopService {
    private final Latchkey latchkey;
    private final JdbcTemplate jdbc;

    ShopService(Latchkey latchkey, JdbcTemplate jdbc) {
        this.latchkey = latchkey;
        this.jdbc = jdbc;
    }

    /** A product as read. */
    public record Product(long id, String name, int stock, long priceCents, long version) {
    }

    /** An order as placed. */
    public record Order(long orderId, long productId, int quantity) {
    }

    /** The product ran out: the guarded decrement matched no row. */
    public static final class OutOfStockException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutOfStockException(long productId, int quantity) {
            super("product " + productId + " has fewer than " + quantity + " in stock");
        }
    }

    /** No such product. */
    public static final class NoSuchProductException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoSuchProductException(long productId) {
            super("no product " + productId);
        }
    }

    public Product product(long id) {
        return jdbc.query("SELECT id, name, stock, price_cents, version FROM product WHERE id = ?",
                rs -> rs.next() ? new Product(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getLong(5))
                        : null, id);
    }

    /**
     * Takes {@code quantity} from the stock in one statement that cannot oversell:
     * {@code UPDATE product SET stock = stock - ? WHERE id = ? AND stock >= ?}.
     */
    public int reserve(long productId, int quantity) {
        UpdateResult result = latchkey.update("product").set("stock", col("stock").minus(quantity))
                .whereId(productId).require(col("stock").ge(quantity)).returning("stock").execute();
        if (result.notFound()) {
            throw new NoSuchProductException(productId);
        }
        if (result.guardFailed()) {
            throw new OutOfStockException(productId, quantity);
        }
        return (int) result.getLong("stock");
    }

    /**
     * Sets the price if nobody changed the product since the caller read {@code version}:
     * {@code UPDATE product SET price_cents = ?, version = version + 1 WHERE id = ? AND version = ?};
     * a lost race throws {@link dev.latchkey.StaleVersionException}.
     */
    public long changePrice(long productId, long priceCents, long version) {
        UpdateResult result = latchkey.update("product").set("price_cents", priceCents)
                .whereId(productId).expectVersion(version).execute();
        if (result.notFound()) {
            throw new NoSuchProductException(productId);
        }
        Object newVersion = result.newVersion();
        return newVersion == null ? version + 1 : ((Number) newVersion).longValue();
    }

    /** Reserves the stock and records the order in one transaction. */
    @Transactional
    public Order placeOrder(long productId, int quantity) {
        reserve(productId, quantity);
        Long id = jdbc.queryForObject("INSERT INTO orders (product_id, quantity) VALUES (?, ?) RETURNING id",
                Long.class, productId, quantity);
        return new Order(id == null ? -1 : id, productId, quantity);
    }

    public long orderCount() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM orders", Long.class);
        return n == null ? 0 : n;
    }
}

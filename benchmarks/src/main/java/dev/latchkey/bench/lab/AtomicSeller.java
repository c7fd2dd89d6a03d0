package dev.latchkey.bench.lab;

import static dev.latchkey.jdbc.update.Expressions.col;

import java.sql.Connection;
import java.sql.SQLException;

import dev.latchkey.jdbc.update.Update;

/**
 * One guarded decrement, {@code UPDATE product SET stock = stock - ? WHERE id = ? AND stock >= ?}:
 * the database checks and takes the stock in one statement, so two buyers can never both take
 * the last unit. Applied: record the order; guard failed: sold out.
 */
final class AtomicSeller implements Seller {
    private final Shop shop;
    private final Update update;

    AtomicSeller(LabContext context) {
        this.shop = context.shop();
        this.update = context.latchkey().update(shop.products());
    }

    @Override
    public Outcome sell(Connection tx, Purchase p) throws SQLException {
        long qty = p.qty();
        boolean taken = update.set("stock", col("stock").minus(qty))
                .whereId(p.productId())
                .require(col("stock").ge(qty))
                .execute(tx)
                .applied();
        if (!taken) {
            return Outcome.SOLD_OUT;
        }
        shop.insertOrder(tx, p);
        return Outcome.ACCEPTED;
    }
}

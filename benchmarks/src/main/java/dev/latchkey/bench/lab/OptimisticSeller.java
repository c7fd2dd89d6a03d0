package dev.latchkey.bench.lab;

import static dev.latchkey.jdbc.update.Expressions.col;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import dev.latchkey.jdbc.update.ReadModifyWrite;
import dev.latchkey.jdbc.update.UpdateResult;

/**
 * Read the stock and its version, compute the new stock in Java, write it back only at the
 * version read ({@code UPDATE .. SET stock = ?, version = version + 1 WHERE id = ? AND version = ?
 * AND stock >= ?}). A buyer who loses the race gets {@link dev.latchkey.StaleVersionException};
 * inside a transaction Latchkey does not re-read (the snapshot may be stale), so the transaction
 * runner re-runs the whole purchase, idempotency claim included.
 */
final class OptimisticSeller implements Seller {
    private final Shop shop;
    private final LabContext context;

    OptimisticSeller(LabContext context) {
        this.shop = context.shop();
        this.context = context;
    }

    @Override
    public Outcome sell(Connection tx, Purchase p) throws SQLException {
        long qty = p.qty();
        ReadModifyWrite take = context.latchkey().update(shop.products())
                .whereId(p.productId())
                .require(col("stock").ge(qty))
                .modify(row -> Map.of("stock", row.getLong("stock") - qty))
                .reading("stock");
        UpdateResult r = take.execute(tx);
        if (!r.applied()) {
            return Outcome.SOLD_OUT;
        }
        shop.insertOrder(tx, p);
        return Outcome.ACCEPTED;
    }
}

package dev.latchkey.bench.lab;

import java.sql.Connection;
import java.sql.SQLException;

import dev.latchkey.jdbc.lock.LockedRow;
import dev.latchkey.jdbc.lock.RowLockQuery;
import dev.latchkey.jdbc.update.Update;

/**
 * Lock the product's row ({@code SELECT id, stock FROM product WHERE id = ? FOR UPDATE}), decide
 * in Java, write the new stock and record the order, all while holding the lock: other buyers of
 * the product wait for the row until this transaction ends, then read the stock it left.
 */
final class PessimisticSeller implements Seller {
    private final Shop shop;
    private final RowLockQuery lock;
    private final Update update;

    PessimisticSeller(LabContext context) {
        this.shop = context.shop();
        this.lock = context.latchkey().lock(shop.products()).columns("stock").forUpdate();
        this.update = context.latchkey().update(shop.products());
    }

    @Override
    public Outcome sell(Connection tx, Purchase p) throws SQLException {
        LockedRow row = lock.key(p.productId()).fetchOne(tx)
                .orElseThrow(() -> new IllegalStateException("no product " + p.productId()));
        long stock = row.getLong("stock");
        if (stock < p.qty()) {
            return Outcome.SOLD_OUT;
        }
        update.set("stock", stock - p.qty()).whereId(p.productId()).execute(tx);
        shop.insertOrder(tx, p);
        return Outcome.ACCEPTED;
    }
}

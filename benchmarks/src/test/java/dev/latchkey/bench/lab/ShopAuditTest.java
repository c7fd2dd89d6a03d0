package dev.latchkey.bench.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;

import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.DbKind;
import dev.latchkey.jdbc.testing.TestDatabase;

/** The audit the lab's verdicts rest on really sees each kind of damage. */
class ShopAuditTest {

    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.H2})
    void aCleanSaleIsClean(TestDatabase db) throws SQLException {
        Shop shop = Shop.create(db.dataSource(), 2, 5);
        try {
            sell(db, shop, new Purchase("k1", 1, 2), 3);
            sell(db, shop, new Purchase("k2", 2, 5), 0);

            Shop.Audit audit = shop.audit();

            assertThat(audit).isEqualTo(new Shop.Audit(2, 7, 10, 0, 0, 0));
            assertThat(audit.clean()).isTrue();
        } finally {
            shop.drop();
        }
    }

    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.H2})
    void oversellingDuplicateChargesAndLostUpdatesAreCounted(TestDatabase db) throws SQLException {
        Shop shop = Shop.create(db.dataSource(), 1, 3);
        try {
            // two buyers both read stock 3 and wrote back 3 - 2 = 1: one decrement lost, 4 units sold of 3
            sell(db, shop, new Purchase("a", 1, 2), 1);
            sell(db, shop, new Purchase("b", 1, 2), 1);
            // a retry of "b" charged again
            sell(db, shop, new Purchase("b", 1, 1), 0);

            Shop.Audit audit = shop.audit();

            assertThat(audit.orders()).isEqualTo(3);
            assertThat(audit.unitsSold()).isEqualTo(5);
            assertThat(audit.oversold()).isEqualTo(2);
            assertThat(audit.duplicateCharges()).isEqualTo(1);
            assertThat(audit.lostStockUpdates()).isEqualTo(2);
            assertThat(audit.clean()).isFalse();
        } finally {
            shop.drop();
        }
    }

    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.H2})
    void resetRestocksAndForgetsOrders(TestDatabase db) throws SQLException {
        Shop shop = Shop.create(db.dataSource(), 1, 3);
        try {
            sell(db, shop, new Purchase("a", 1, 3), 0);
            shop.reset();

            assertThat(shop.audit()).isEqualTo(new Shop.Audit(0, 0, 3, 0, 0, 0));
            assertThat(db.queryLong("SELECT stock FROM " + shop.products() + " WHERE id = 1")).isEqualTo(3);
        } finally {
            shop.drop();
        }
    }

    private static void sell(TestDatabase db, Shop shop, Purchase p, long stockAfter) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            shop.insertOrder(c, p);
        }
        db.execute("UPDATE " + shop.products() + " SET stock = ? WHERE id = ?", stockAfter, p.productId());
    }
}

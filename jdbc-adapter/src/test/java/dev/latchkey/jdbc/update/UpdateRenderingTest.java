package dev.latchkey.jdbc.update;

import static dev.latchkey.jdbc.update.Expressions.coalesce;
import static dev.latchkey.jdbc.update.Expressions.col;
import static dev.latchkey.jdbc.update.Expressions.excluded;
import static dev.latchkey.jdbc.update.Expressions.now;
import static dev.latchkey.jdbc.update.Expressions.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;

import dev.latchkey.jdbc.Latchkey;
import org.junit.jupiter.api.Test;

/** How each dialect renders updates, version checks and upserts; no database needed. */
class UpdateRenderingTest {

    private static Update decrement(Latchkey lk) {
        return lk.update("product").set("stock", col("stock").minus(3)).whereId(7L).require(col("stock").ge(3));
    }

    @Test
    void atomicDecrementIsTheSameUpdateEverywhere() {
        for (Latchkey lk : List.of(Dialects.POSTGRES, Dialects.MARIADB, Dialects.MYSQL, Dialects.H2)) {
            assertThat(decrement(lk).toSql()).as(lk.toString())
                    .isEqualTo("UPDATE product SET stock = stock - ? WHERE id = ? AND stock >= ?");
            assertThat(decrement(lk).parameters()).containsExactly(3, 7L, 3);
        }
    }

    @Test
    void returningIsOneStatementOnPostgresAndH2() {
        assertThat(decrement(Dialects.POSTGRES).returning("stock").toSql())
                .isEqualTo("UPDATE product SET stock = stock - ? WHERE id = ? AND stock >= ? RETURNING stock");
        assertThat(decrement(Dialects.H2).returning("stock").toSql())
                .isEqualTo("SELECT stock FROM FINAL TABLE (UPDATE product SET stock = stock - ? WHERE id = ? AND "
                        + "stock >= ?)");
    }

    @Test
    void returningOnMariaDbAndMySqlKeepsThePlainUpdateAndReadsBackInItsTransaction() {
        for (Latchkey lk : List.of(Dialects.MARIADB, Dialects.MYSQL)) {
            UpdatePlan plan = decrement(lk).returning("stock").plan();
            assertThat(plan.sql).isEqualTo("UPDATE product SET stock = stock - ? WHERE id = ? AND stock >= ?");
            assertThat(plan.returnsRow).isFalse();
            assertThat(plan.readBackSql).isEqualTo("SELECT stock FROM product WHERE id = ?");
        }
    }

    @Test
    void numericVersionIsCheckedAndIncrementedInSql() {
        for (Latchkey lk : List.of(Dialects.POSTGRES, Dialects.MARIADB, Dialects.H2)) {
            Update u = lk.update("orders").set("state", "shipped").whereId(1L).expectVersion(4L);
            assertThat(u.toSql()).as(lk.toString())
                    .isEqualTo("UPDATE orders SET state = ?, version = version + 1 WHERE id = ? AND version = ?");
            assertThat(u.parameters()).containsExactly("shipped", 1L, 4L);
        }
    }

    @Test
    void versionColumnCanBeRenamedAndForceIncrementedAlone() {
        Update u = Dialects.POSTGRES.update("orders").versionColumn("rev").whereId(1L).expectVersion(2).forceIncrement();
        assertThat(u.toSql()).isEqualTo("UPDATE orders SET rev = rev + 1 WHERE id = ? AND rev = ?");
    }

    @Test
    void timestampVersionIsSetToTheDatabaseTimeAndAlwaysMoves() {
        Timestamp seen = Timestamp.valueOf("2024-01-02 03:04:05.123456");
        assertThat(Dialects.POSTGRES.update("doc").set("body", "x").whereId(1L).timestampVersionColumn("updated_at")
                .expectVersion(seen).toSql())
                .isEqualTo("UPDATE doc SET body = ?, updated_at = GREATEST(CURRENT_TIMESTAMP, updated_at + INTERVAL "
                        + "'1 microsecond') WHERE id = ? AND updated_at = ? RETURNING updated_at");
        assertThat(Dialects.MARIADB.update("doc").set("body", "x").whereId(1L).timestampVersionColumn("updated_at")
                .expectVersion(seen).toSql())
                .isEqualTo("UPDATE doc SET body = ?, updated_at = GREATEST(CURRENT_TIMESTAMP(6), updated_at + "
                        + "INTERVAL 1 MICROSECOND) WHERE id = ? AND updated_at = ?");
        assertThat(Dialects.H2.update("doc").set("body", "x").whereId(1L).timestampVersionColumn("updated_at")
                .expectVersion(seen).toSql())
                .isEqualTo("SELECT updated_at FROM FINAL TABLE (UPDATE doc SET body = ?, updated_at = "
                        + "GREATEST(CURRENT_TIMESTAMP, DATEADD(MICROSECOND, 1, updated_at)) WHERE id = ? AND "
                        + "updated_at = ?)");
    }

    @Test
    void compositeKeysExpressionsAndGuardsNestCorrectly() {
        Update u = Dialects.POSTGRES.update("app.balance")
                .set("amount", coalesce(col("amount"), 0).plus(col("pending").times(2)))
                .set("touched_at", now())
                .set("note", value(null))
                .where("tenant", "acme").where("account", 9)
                .require(col("amount").ge(0).or(col("overdraft").isNotNull()))
                .require(col("frozen").isNull().and(col("state").ne("closed")));
        assertThat(u.toSql()).isEqualTo("UPDATE app.balance SET amount = COALESCE(amount, ?) + (pending * ?), "
                + "touched_at = CURRENT_TIMESTAMP, note = ? WHERE tenant = ? AND account = ? AND (amount >= ? OR "
                + "overdraft IS NOT NULL) AND frozen IS NULL AND state <> ?");
        assertThat(u.parameters()).isEqualTo(Arrays.asList(0, 2, null, "acme", 9, 0, "closed"));
    }

    @Test
    void reservedWordsAreQuotedPerDialect() {
        assertThat(Dialects.POSTGRES.update("order").set("value", 1).where("key", 2).toSql())
                .isEqualTo("UPDATE \"order\" SET value = ? WHERE key = ?"); // value, key: unreserved in PostgreSQL
        assertThat(Dialects.MARIADB.update("order").set("value", 1).where("key", 2).toSql())
                .isEqualTo("UPDATE `order` SET `value` = ? WHERE `key` = ?");
    }

    @Test
    void leftToRightDatabasesGetTheAssignmentsInAnOrderWithStandardMeaning() {
        Update u = Dialects.MARIADB.update("t").set("a", 1).set("b", col("a")).whereId(1);
        // MariaDB would store 1 in b if a were assigned first; reading a before assigning it keeps the old value
        assertThat(u.toSql()).isEqualTo("UPDATE t SET b = a, a = ? WHERE id = ?");
        assertThat(u.parameters()).containsExactly(1, 1);
        assertThat(Dialects.POSTGRES.update("t").set("a", 1).set("b", col("a")).whereId(1).toSql())
                .isEqualTo("UPDATE t SET a = ?, b = a WHERE id = ?");
    }

    @Test
    void aSwapHasNoLeftToRightOrderAndIsRefusedNamingTheDialect() {
        Update swap = Dialects.MARIADB.update("t").set("a", col("b")).set("b", col("a")).whereId(1);
        assertThatThrownBy(swap::toSql).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("MariaDB 10.11").hasMessageContaining("[a, b]");
        assertThat(Dialects.POSTGRES.update("t").set("a", col("b")).set("b", col("a")).whereId(1).toSql())
                .isEqualTo("UPDATE t SET a = b, b = a WHERE id = ?");
    }

    @Test
    void upsertWithArithmeticOnConflictPerDialect() {
        assertThat(Dialects.POSTGRES.upsert("counter").key("name", "hits").increment("n", 1).toSql())
                .isEqualTo("INSERT INTO counter AS t (name, n) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET "
                        + "n = t.n + EXCLUDED.n");
        assertThat(Dialects.MARIADB.upsert("counter").key("name", "hits").increment("n", 1).toSql())
                .isEqualTo("INSERT INTO counter (name, n) VALUES (?, ?) ON DUPLICATE KEY UPDATE n = n + VALUES(n)");
        assertThat(Dialects.H2.upsert("counter").key("name", "hits").increment("n", 1).toSql())
                .isEqualTo("MERGE INTO counter AS t USING (VALUES (?, ?)) AS s (name, n) ON t.name = s.name WHEN "
                        + "MATCHED THEN UPDATE SET n = t.n + s.n WHEN NOT MATCHED THEN INSERT (name, n) VALUES "
                        + "(s.name, s.n)");
    }

    @Test
    void upsertReturningAndParameterOrder() {
        Upsert u = Dialects.POSTGRES.upsert("balance").key("tenant", "t1").key("account", 5)
                .value("amount", 10).value("updates", 1)
                .onConflict("amount", col("amount").plus(excluded("amount")))
                .onConflict("updates", col("updates").plus(1))
                .returning("amount", "updates");
        assertThat(u.toSql()).isEqualTo("INSERT INTO balance AS t (tenant, account, amount, updates) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (tenant, account) DO UPDATE SET amount = t.amount + EXCLUDED.amount, "
                + "updates = t.updates + ? RETURNING amount, updates");
        assertThat(u.parameters()).containsExactly("t1", 5, 10, 1, 1);
        assertThat(Dialects.MARIADB.upsert("counter").key("name", "x").increment("n", 1).returning("n").toSql())
                .endsWith("ON DUPLICATE KEY UPDATE n = n + VALUES(n) RETURNING n");
        assertThat(Dialects.H2.upsert("counter").key("name", "x").increment("n", 1).returning("n").toSql())
                .startsWith("SELECT n FROM FINAL TABLE (MERGE INTO counter AS t");
        // MySQL has no INSERT ... RETURNING: the plain upsert runs, the row is read back in its transaction
        assertThat(Dialects.MYSQL.upsert("counter").key("name", "x").increment("n", 1).returning("n").toSql())
                .isEqualTo("INSERT INTO counter (name, n) VALUES (?, ?) ON DUPLICATE KEY UPDATE n = n + VALUES(n)");
    }

    @Test
    void aBatchRendersOneStatementForEveryRow() {
        BatchUpdate b = Dialects.POSTGRES.update("product").set("stock", col("stock").minus(1))
                .require(col("stock").ge(1)).forEachId(List.of(3L, 1L, 2L));
        assertThat(b.size()).isEqualTo(3);
        assertThat(b.toSql()).isEqualTo("UPDATE product SET stock = stock - ? WHERE id = ? AND stock >= ?");
    }

    @Test
    void expressionsPrintReadably() {
        assertThat(col("stock").minus(2).toString()).isEqualTo("stock - ? [2]");
        assertThat(col("stock").ge(2).and(col("x").isNull()).toString()).isEqualTo("stock >= ? AND x IS NULL [2]");
    }

    @Test
    void keyOrderSortsComparableKeysAndKeepsOthersAsGiven() {
        assertThat(KeyOrder.order(List.of(List.of(3), List.of(1), List.of(2)))).containsExactly(1, 2, 0);
        assertThat(KeyOrder.order(List.of(List.<Object>of("b", 2), List.<Object>of("a", 9), List.<Object>of("b", 1))))
                .containsExactly(1, 2, 0);
        assertThat(KeyOrder.order(List.of(List.<Object>of(3), List.<Object>of("x")))).containsExactly(0, 1);
    }

    @Test
    void valuesCompareAcrossDriverTypes() {
        assertThat(Values.same(3, 3L)).isTrue();
        assertThat(Values.same(new java.math.BigDecimal("3.0"), 3L)).isTrue();
        assertThat(Values.same(4, 3L)).isFalse();
        Timestamp ts = Timestamp.valueOf("2024-01-02 03:04:05.123456");
        assertThat(Values.same(ts, ts.toLocalDateTime())).isTrue();
        assertThat(Values.same(ts, Timestamp.valueOf("2024-01-02 03:04:05.123457"))).isFalse();
    }
}

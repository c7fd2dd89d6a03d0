package dev.latchkey.jdbc.update;

import static dev.latchkey.jdbc.update.Expressions.coalesce;
import static dev.latchkey.jdbc.update.Expressions.col;
import static dev.latchkey.jdbc.update.Expressions.now;
import static dev.latchkey.jdbc.update.Expressions.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;

import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;
import dev.latchkey.test.Fault;
import dev.latchkey.test.FaultInjectingDataSource;
import dev.latchkey.test.FaultPlan;
import dev.latchkey.test.Trigger;

/** The atomic-update builder against every database. */
class AtomicUpdateTest {

    @DatabaseTest
    void reportsAppliedGuardFailedAndNotFound(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 5);
        Latchkey lk = db.latchkey();
        Update take3 = lk.update(t).set("stock", col("stock").minus(3)).require(col("stock").ge(3)).returning("stock");

        UpdateResult first = take3.whereId(1L).execute();
        assertThat(first.applied()).isTrue();
        assertThat(first.getLong("stock")).isEqualTo(2);
        assertThat(first.key()).isEqualTo(1L);

        UpdateResult second = take3.whereId(1L).execute();
        assertThat(second.guardFailed()).isTrue();
        assertThat(second.getLong("stock")).as("the follow-up read tells what the guard saw").isEqualTo(2);
        assertThat(Tables.stock(db, t, 1)).isEqualTo(2);

        assertThat(take3.whereId(99L).execute().notFound()).isTrue();
        assertThat(lk.update(t).set("stock", 0).whereId(99L).execute().status())
                .isEqualTo(UpdateResult.Status.NOT_FOUND);
    }

    @DatabaseTest
    void compositeKeysArithmeticCoalesceAndDatabaseTime(TestDatabase db) {
        String t = db.table("balance", "tenant VARCHAR(10) NOT NULL, account BIGINT NOT NULL, amount DECIMAL(12,2), "
                + "pending INT NOT NULL, note VARCHAR(20), touched " + Tables.timestamp(db)
                + ", PRIMARY KEY (tenant, account)");
        db.execute("INSERT INTO " + t + " (tenant, account, amount, pending, note) VALUES ('acme', 1, NULL, 3, 'x')");
        db.execute("INSERT INTO " + t + " (tenant, account, amount, pending, note) VALUES ('acme', 2, 10, 0, 'y')");

        UpdateResult r = db.latchkey().update(t)
                .set("amount", coalesce(col("amount"), new BigDecimal("1.50")).plus(col("pending").times(2)))
                .set("note", value(null))
                .set("touched", now())
                .where("tenant", "acme").where("account", 1L)
                .require(col("pending").gt(0).or(col("amount").isNotNull()))
                .returning("amount", "note", "touched")
                .execute();

        assertThat(r.applied()).isTrue();
        assertThat(r.key()).isEqualTo(java.util.List.of("acme", 1L));
        assertThat(r.values().getBigDecimal("amount")).isEqualByComparingTo("7.50");
        assertThat(r.get("note")).isNull();
        assertThat(r.get("touched")).isNotNull();
        assertThat(db.queryValue("SELECT note FROM " + t + " WHERE account = 2")).isEqualTo("y");
    }

    @DatabaseTest
    void runsInTheCallersTransactionAndRollsBackWithIt(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 10);
        Latchkey lk = db.latchkey();
        Update take = lk.update(t).set("stock", col("stock").minus(1)).whereId(1L).returning("stock");

        assertThatThrownBy(() -> lk.transactions().run(tx -> {
            assertThat(take.execute(tx).getLong("stock")).isEqualTo(9);
            assertThat(take.execute(tx).getLong("stock")).isEqualTo(8);
            throw new IllegalStateException("roll back");
        })).hasMessage("roll back");
        assertThat(Tables.stock(db, t, 1)).isEqualTo(10);

        long left = lk.transactions().run(tx -> take.execute(tx).getLong("stock"));
        assertThat(left).isEqualTo(9);
        assertThat(Tables.stock(db, t, 1)).isEqualTo(9);
    }

    @DatabaseTest
    void executeWithoutAConnectionJoinsTheTransactionOfTheThread(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 10);
        Latchkey lk = db.latchkey();

        // joined: rolled back with the transaction, and it never takes a second connection
        assertThatThrownBy(() -> lk.transactions().run(tx -> {
            assertThat(lk.update(t).set("stock", col("stock").minus(3)).whereId(1L).execute().applied()).isTrue();
            assertThat(Tables.stockOn(tx, t, 1)).isEqualTo(7);
            throw new IllegalStateException("the transaction fails after the update");
        })).hasMessageContaining("fails after the update");
        assertThat(Tables.stock(db, t, 1)).isEqualTo(10);

        lk.transactions().run(tx -> lk.update(t).set("stock", col("stock").minus(3)).whereId(1L).execute());
        assertThat(Tables.stock(db, t, 1)).isEqualTo(7);
    }

    @DatabaseTest
    void returningOnAnAutoCommitConnectionLeavesItInAutoCommit(TestDatabase db) throws Exception {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 10);
        try (Connection c = db.dataSource().getConnection()) {
            UpdateResult r = db.latchkey().update(t).set("stock", col("stock").plus(5)).set("note", "restocked")
                    .whereId(1L).returning("stock", "note").execute(c);
            assertThat(r.getLong("stock")).isEqualTo(15);
            assertThat(r.get("note")).isEqualTo("restocked");
            assertThat(c.getAutoCommit()).isTrue();
        }
        assertThat(Tables.stock(db, t, 1)).isEqualTo(15);
    }

    @DatabaseTest
    void assignmentsReadTheRowAsItWasOnEveryDatabase(TestDatabase db) {
        String t = db.table("pair", "id BIGINT PRIMARY KEY, a INT NOT NULL, b INT NOT NULL");
        db.execute("INSERT INTO " + t + " (id, a, b) VALUES (1, 10, 20)");
        Latchkey lk = db.latchkey();
        UpdateResult r = lk.update(t).set("a", col("a").plus(1)).set("b", col("a")).whereId(1L).returning("a", "b")
                .execute();
        assertThat(r.getLong("a")).isEqualTo(11);
        assertThat(r.getLong("b")).as("b reads a before this update").isEqualTo(10);

        Update swap = lk.update(t).set("a", col("b")).set("b", col("a")).whereId(1L);
        if (UpdateSql.of(lk.dialect()).assignsSequentially()) {
            assertThatThrownBy(swap::execute).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining(lk.dialect().name());
        } else {
            swap.execute();
            assertThat(db.queryLong("SELECT a FROM " + t)).isEqualTo(10);
            assertThat(db.queryLong("SELECT b FROM " + t)).isEqualTo(11);
        }
    }

    @DatabaseTest
    void aKeyThatMatchesManyRowsIsAnError(TestDatabase db) {
        String t = db.table("nokey", "sku VARCHAR(10) NOT NULL, stock INT NOT NULL");
        db.execute("INSERT INTO " + t + " (sku, stock) VALUES ('a', 1), ('a', 1)");
        Latchkey lk = db.latchkey();
        assertThatThrownBy(() -> lk.transactions().run(tx -> lk.update(t).set("stock", 0).where("sku", "a")
                .execute(tx))).isInstanceOf(IllegalStateException.class).hasMessageContaining("matched 2 rows");
        assertThat(db.queryLong("SELECT SUM(stock) FROM " + t)).isEqualTo(2);
    }

    /*
     * The auto-commit UPDATE committed, then closing its connection failed. The outcome is known
     * (applied), so the failure must neither be reported nor retried: the retry took the stock twice.
     */
    @DatabaseTest
    void aFailedCloseAfterTheWriteIsNotRetried(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 5);
        FaultInjectingDataSource breaking = FaultInjectingDataSource.wrap(db.dataSource(),
                FaultPlan.none().inject(Fault.CONNECTION_LOST, Trigger.nth(Trigger.Point.CLOSE, 1)));
        Latchkey lk = Latchkey.builder(breaking).dialect(db.latchkey().dialect()).build();

        UpdateResult r = lk.update(t).set("stock", col("stock").minus(1)).whereId(1L).execute();

        assertThat(breaking.injected()).as("closing failed").hasSize(1);
        assertThat(r.applied()).isTrue();
        assertThat(Tables.stock(db, t, 1)).isEqualTo(4);
    }
}

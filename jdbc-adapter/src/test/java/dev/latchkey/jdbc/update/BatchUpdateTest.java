package dev.latchkey.jdbc.update;

import static dev.latchkey.jdbc.update.Expressions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.ConcurrencyException;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.DbKind;
import dev.latchkey.jdbc.testing.TestDatabase;
import dev.latchkey.test.Fault;
import dev.latchkey.test.FaultInjectingDataSource;
import dev.latchkey.test.FaultPlan;
import dev.latchkey.test.Trigger;

/** The same update over many keys, one JDBC batch, a result per row. */
class BatchUpdateTest {

    @DatabaseTest
    void eachRowGetsItsOwnOutcomeInTheOrderGiven(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 5);
        Tables.insert(db, t, 2, 0);
        Tables.insert(db, t, 3, 1);

        BatchResult r = db.latchkey().update(t).set("stock", col("stock").minus(1)).require(col("stock").ge(1))
                .forEachId(List.of(3L, 1L, 2L, 99L)).execute();

        assertThat(r.results()).extracting(UpdateResult::status).containsExactly(UpdateResult.Status.APPLIED,
                UpdateResult.Status.APPLIED, UpdateResult.Status.GUARD_FAILED, UpdateResult.Status.NOT_FOUND);
        assertThat(r.results()).extracting(UpdateResult::key).containsExactly(3L, 1L, 2L, 99L);
        assertThat(r.guardFailedKeys()).containsExactly(2L);
        assertThat(r.notFoundKeys()).containsExactly(99L);
        assertThat(Tables.stock(db, t, 1)).isEqualTo(4);
        assertThat(Tables.stock(db, t, 2)).isEqualTo(0);
        assertThat(Tables.stock(db, t, 3)).isEqualTo(0);
    }

    @DatabaseTest
    void compositeKeysAndPerRowValues(TestDatabase db) {
        String t = db.table("seat", "show_id INT NOT NULL, seat VARCHAR(5) NOT NULL, holder VARCHAR(20), "
                + "PRIMARY KEY (show_id, seat)");
        db.execute("INSERT INTO " + t + " (show_id, seat, holder) VALUES (1, 'A1', NULL), (1, 'A2', NULL), "
                + "(2, 'A1', 'zoe')");
        Latchkey lk = db.latchkey();
        Update hold = lk.update(t).set("holder", "ann").require(col("holder").isNull());
        BatchResult r = hold.forEach(List.of("show_id", "seat"), List.of(List.of(1, "A2"), List.of(2, "A1"),
                List.of(1, "A1"))).execute();
        assertThat(r.results()).extracting(UpdateResult::status).containsExactly(UpdateResult.Status.APPLIED,
                UpdateResult.Status.GUARD_FAILED, UpdateResult.Status.APPLIED);
        assertThat(r.guardFailedKeys()).containsExactly(List.of(2, "A1"));
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + t + " WHERE holder = 'ann'")).isEqualTo(2);

        BatchResult perRow = lk.batch(List.of(
                lk.update(t).set("holder", "bob").where("show_id", 1).where("seat", "A1"),
                lk.update(t).set("holder", "cat").where("show_id", 1).where("seat", "A2"))).execute();
        assertThat(perRow.allApplied()).isTrue();
        assertThat(db.queryValue("SELECT holder FROM " + t + " WHERE show_id = 1 AND seat = 'A2'")).isEqualTo("cat");
    }

    @DatabaseTest
    void aBatchInTheCallersTransactionRollsBackWithIt(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 5);
        Tables.insert(db, t, 2, 5);
        Latchkey lk = db.latchkey();
        BatchUpdate b = lk.update(t).set("stock", col("stock").minus(1)).forEachId(List.of(1L, 2L));
        assertThatThrownBy(() -> lk.transactions().run(tx -> {
            assertThat(b.execute(tx).allApplied()).isTrue();
            throw new IllegalStateException("roll back");
        })).hasMessage("roll back");
        assertThat(db.queryLong("SELECT SUM(stock) FROM " + t)).isEqualTo(10);
        assertThat(b.execute().allApplied()).isTrue();
        assertThat(db.queryLong("SELECT SUM(stock) FROM " + t)).isEqualTo(8);
    }

    @DatabaseTest(DbKind.MARIADB)
    void aDriverWithoutPerRowCountsIsRefusedAndTheBatchRolledBack(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 5);
        Tables.insert(db, t, 2, 5);
        try (HikariDataSource bulk = new HikariDataSource()) {
            String url = db.server().jdbcUrl();
            bulk.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "useBulkStmts=true");
            bulk.setMaximumPoolSize(1);
            Latchkey lk = Latchkey.builder(bulk).dialect(db.latchkey().dialect()).build();
            assertThatThrownBy(() -> lk.update(t).set("stock", col("stock").minus(1)).forEachId(List.of(1L, 2L))
                    .execute()).isInstanceOf(IllegalStateException.class).hasMessageContaining("SUCCESS_NO_INFO");
        }
        assertThat(db.queryLong("SELECT SUM(stock) FROM " + t)).isEqualTo(10);
    }

    /*
     * The batch committed, then the connection broke while auto-commit was being restored. That
     * failure must not be retried as a transient connection failure (the retry re-ran the
     * committed batch and took the stock twice), nor reported as a failure: the batch committed,
     * so its result is returned and the broken connection is dropped.
     */
    @DatabaseTest
    void aFailureAfterTheCommitIsNeverRetried(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 5);
        FaultInjectingDataSource breaking = FaultInjectingDataSource.wrap(db.dataSource(), FaultPlan.none()
                .inject(Fault.CONNECTION_LOST, Trigger.nth(Trigger.Point.RESTORE_AUTO_COMMIT, 1)));
        Latchkey lk = Latchkey.builder(breaking).dialect(db.latchkey().dialect()).build();

        BatchResult r = lk.update(t).set("stock", col("stock").minus(1)).forEachId(List.of(1L)).execute();
        assertThat(r.allApplied()).isTrue();

        assertThat(breaking.injected()).as("restoring auto-commit failed").hasSize(1);
        assertThat(Tables.stock(db, t, 1)).isEqualTo(4);
    }
}

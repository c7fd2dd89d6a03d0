package dev.latchkey.jdbc.update;

import static dev.latchkey.jdbc.update.Expressions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import dev.latchkey.StaleVersionException;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.testing.CountingDataSource;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;

/**
 * Round trips per operation, counted by a wrapper around the pool: one statement per successful
 * update, one follow-up read only when a guarded or versioned update matched nothing.
 */
class StatementCountTest {
    private static final System.Logger LOG = System.getLogger(StatementCountTest.class.getName());

    private static void expect(TestDatabase db, CountingDataSource counting, String operation, int statements,
                               int commits, Runnable op) {
        counting.reset();
        op.run();
        LOG.log(System.Logger.Level.INFO, "[" + db + "] " + operation + ": " + counting.statements() + " statement(s), "
                + counting.commits() + " commit(s): " + counting.executedSql());
        assertThat(counting.statements()).as(operation + " statements " + counting.executedSql()).isEqualTo(statements);
        assertThat(counting.commits()).as(operation + " commits").isEqualTo(commits);
        assertThat(counting.rollbacks()).as(operation + " rollbacks").isZero();
    }

    @DatabaseTest
    void atomicUpdates(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 100);
        CountingDataSource counting = db.counting();
        Latchkey lk = Latchkey.builder(counting).dialect(db.latchkey().dialect()).build();
        boolean nativeReturning = UpdateSql.of(lk.dialect()).supportsUpdateReturning();
        Update take = lk.update(t).set("stock", col("stock").minus(1)).require(col("stock").ge(1));

        expect(db, counting, "guarded decrement, applied", 1, 0, () -> assertThat(take.whereId(1L).execute().applied()).isTrue());
        expect(db, counting, "guarded decrement with returning, applied", nativeReturning ? 1 : 2, nativeReturning ? 0 : 1,
                () -> assertThat(take.whereId(1L).returning("stock").execute().getLong("stock")).isEqualTo(98));
        expect(db, counting, "guard failed", 2, 0, () -> assertThat(lk.update(t).set("stock", 0).whereId(1L)
                .require(col("stock").lt(0)).execute().guardFailed()).isTrue());
        expect(db, counting, "guard failed with returning", 2, nativeReturning ? 0 : 1, () -> assertThat(lk.update(t)
                .set("stock", 0).whereId(1L).require(col("stock").lt(0)).returning("stock").execute().getLong("stock"))
                .isEqualTo(98));
        expect(db, counting, "not found, guarded", 2, 0, () -> assertThat(take.whereId(2L).execute().notFound()).isTrue());
        expect(db, counting, "not found, unguarded", 1, 0,
                () -> assertThat(lk.update(t).set("stock", 1).whereId(2L).execute().notFound()).isTrue());
    }

    @DatabaseTest
    void optimisticUpdates(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 100);
        CountingDataSource counting = db.counting();
        Latchkey lk = Latchkey.builder(counting).dialect(db.latchkey().dialect()).build();

        expect(db, counting, "versioned update, applied", 1, 0,
                () -> assertThat(lk.update(t).set("note", "a").whereId(1L).expectVersion(0L).execute().newVersion())
                        .isEqualTo(1L));
        expect(db, counting, "stale version", 2, 0, () -> assertThatThrownBy(() -> lk.update(t).set("note", "b")
                .whereId(1L).expectVersion(0L).execute()).isInstanceOf(StaleVersionException.class));
        expect(db, counting, "force increment", 1, 0,
                () -> assertThat(lk.update(t).whereId(1L).forceIncrement().expectVersion(1L).execute().applied()).isTrue());
        Object ts = db.queryValue("SELECT updated_at FROM " + t + " WHERE id = 1");
        expect(db, counting, "timestamp-versioned update, applied", 1, 0, () -> assertThat(lk.update(t)
                .timestampVersionColumn("updated_at").set("note", "c").whereId(1L).expectVersion(ts).execute().applied())
                .isTrue());
        expect(db, counting, "read-modify-write, uncontended", 2, 0, () -> assertThat(lk.update(t).whereId(1L)
                .modify(row -> Map.of("stock", row.getLong("stock") + 1)).execute().applied()).isTrue());
    }

    @DatabaseTest
    void batchesAndUpserts(TestDatabase db) {
        String t = Tables.product(db);
        for (long id = 1; id <= 3; id++) {
            Tables.insert(db, t, id, 1);
        }
        String c = db.table("counter", "name VARCHAR(20) PRIMARY KEY, n BIGINT NOT NULL");
        CountingDataSource counting = db.counting();
        Latchkey lk = Latchkey.builder(counting).dialect(db.latchkey().dialect()).build();
        Update take = lk.update(t).set("stock", col("stock").minus(1)).require(col("stock").ge(1));

        expect(db, counting, "batch of 3, all applied", 1, 1,
                () -> assertThat(take.forEachId(List.of(1L, 2L, 3L)).execute().allApplied()).isTrue());
        expect(db, counting, "batch of 3, guards failed", 2, 1,
                () -> assertThat(take.forEachId(List.of(1L, 2L, 3L)).execute().guardFailedKeys()).hasSize(3));
        expect(db, counting, "optimistic batch of 3 with stale rows", 2, 1, () -> assertThat(lk.batch(List.of(
                lk.update(t).set("note", "x").whereId(1L).expectVersion(0L),
                lk.update(t).set("note", "x").whereId(2L).expectVersion(5L),
                lk.update(t).set("note", "x").whereId(3L).expectVersion(6L))).execute().staleKeys()).hasSize(2));
        expect(db, counting, "upsert (insert)", 1, 0, () -> lk.upsert(c).key("name", "a").increment("n", 1).execute());
        expect(db, counting, "upsert (update)", 1, 0, () -> lk.upsert(c).key("name", "a").increment("n", 1).execute());
        expect(db, counting, "upsert with returning", 1, 0,
                () -> assertThat(lk.upsert(c).key("name", "a").increment("n", 1).returning("n").execute().getLong("n"))
                        .isEqualTo(3));
    }
}

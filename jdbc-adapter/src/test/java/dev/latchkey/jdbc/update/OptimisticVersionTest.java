package dev.latchkey.jdbc.update;

import static dev.latchkey.jdbc.update.Expressions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.latchkey.ConcurrencyException;
import dev.latchkey.ConcurrencyListener;
import dev.latchkey.StaleVersionException;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;
import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** Optimistic version checks, force increments, read-modify-write and batch stale reports. */
class OptimisticVersionTest {

    @DatabaseTest
    void numericVersionIsCheckedBumpedAndReportedStale(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 10);
        Latchkey lk = db.latchkey();
        Update rename = lk.update(t).set("note", "renamed").whereId(1L);

        UpdateResult r = rename.expectVersion(0L).execute();
        assertThat(r.applied()).isTrue();
        assertThat(r.newVersion()).isEqualTo(1L);
        assertThat(Tables.version(db, t, 1)).isEqualTo(1);

        StaleVersionException stale = catchThrowableOfType(StaleVersionException.class,
                () -> rename.expectVersion(0L).execute());
        assertThat(stale.table()).isEqualTo(t);
        assertThat(stale.key()).isEqualTo(1L);
        assertThat(stale.expectedVersion()).isEqualTo(0L);
        assertThat(((Number) stale.actualVersion()).longValue()).isEqualTo(1);
        assertThat(stale.rowDeleted()).isFalse();
        assertThat(stale.isTransient()).isFalse();

        db.execute("DELETE FROM " + t + " WHERE id = 1");
        StaleVersionException deleted = catchThrowableOfType(StaleVersionException.class,
                () -> rename.expectVersion(1L).execute());
        assertThat(deleted.rowDeleted()).isTrue();
        assertThat(deleted).hasMessageContaining("row was deleted");
    }

    @DatabaseTest
    void aFailedGuardAtTheRightVersionIsGuardFailedNotStale(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 2);
        Update take5 = db.latchkey().update(t).set("stock", col("stock").minus(5)).whereId(1L)
                .require(col("stock").ge(5)).returning("stock");
        UpdateResult r = take5.expectVersion(0L).execute();
        assertThat(r.guardFailed()).isTrue();
        assertThat(r.getLong("stock")).isEqualTo(2);
        assertThatThrownBy(() -> take5.expectVersion(7L).execute()).isInstanceOf(StaleVersionException.class);
    }

    @DatabaseTest
    void timestampVersionMovesOnEveryWriteEvenInOneTransaction(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 10);
        Latchkey lk = db.latchkey();
        Object v0 = db.queryValue("SELECT updated_at FROM " + t + " WHERE id = 1");
        Update touch = lk.update(t).timestampVersionColumn("updated_at").set("stock", col("stock").minus(1))
                .whereId(1L).returning("updated_at");

        List<Object> versions = lk.transactions().run(tx -> {
            // PostgreSQL's CURRENT_TIMESTAMP is frozen for the transaction: the version must still move
            Object v1 = touch.expectVersion(v0).execute(tx).newVersion();
            Object v2 = touch.expectVersion(v1).execute(tx).newVersion();
            return List.of(v1, v2);
        });
        assertThat(versions.get(0)).isNotEqualTo(v0);
        assertThat(versions.get(1)).isNotEqualTo(versions.get(0));
        assertThat(Values.normalize(db.queryValue("SELECT updated_at FROM " + t + " WHERE id = 1")))
                .isEqualTo(Values.normalize(versions.get(1)));

        StaleVersionException stale = catchThrowableOfType(StaleVersionException.class,
                () -> touch.expectVersion(v0).execute());
        assertThat(Values.same(stale.actualVersion(), versions.get(1))).isTrue();
        assertThat(Tables.stock(db, t, 1)).isEqualTo(8);
    }

    @DatabaseTest
    void newTimestampVersionIsReturnedForFreeWhereTheDatabaseHasReturning(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 10);
        Object v0 = db.queryValue("SELECT updated_at FROM " + t + " WHERE id = 1");
        UpdateResult r = db.latchkey().update(t).timestampVersionColumn("updated_at").set("note", "n").whereId(1L)
                .expectVersion(v0).execute();
        if (UpdateSql.of(db.latchkey().dialect()).supportsUpdateReturning()) {
            assertThat(r.newVersion()).isNotNull();
        } else {
            assertThat(r.newVersion()).as("MariaDB: only with returning(\"updated_at\")").isNull();
        }
    }

    @DatabaseTest
    void forceIncrementBumpsOnlyTheVersion(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 10);
        Update bump = db.latchkey().update(t).whereId(1L).forceIncrement();
        assertThat(bump.expectVersion(0L).execute().newVersion()).isEqualTo(1L);
        assertThat(bump.execute().newVersion()).as("unchecked bump: version read back where possible")
                .satisfiesAnyOf(v -> assertThat(v).isNull(), v -> assertThat(((Number) v).longValue()).isEqualTo(2));
        assertThat(Tables.version(db, t, 1)).isEqualTo(2);
        assertThat(Tables.stock(db, t, 1)).isEqualTo(10);
        assertThatThrownBy(() -> bump.expectVersion(0L).execute()).isInstanceOf(StaleVersionException.class);
    }

    @DatabaseTest
    void readModifyWriteAppliesThePureFunctionAtTheVersionItRead(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 10);
        Latchkey lk = db.latchkey();
        UpdateResult r = lk.update(t).whereId(1L)
                .modify(row -> Map.of("stock", row.getLong("stock") * 3, "note", "tripled")).execute();
        assertThat(r.applied()).isTrue();
        assertThat(r.newVersion()).isEqualTo(1L);
        assertThat(Tables.stock(db, t, 1)).isEqualTo(30);

        assertThat(lk.update(t).whereId(2L).modify(row -> Map.of("stock", 0)).execute().notFound()).isTrue();
        assertThat(lk.update(t).whereId(1L).require(col("stock").lt(0)).modify(row -> Map.of("stock", 0))
                .reading("stock").execute().guardFailed()).isTrue();
        assertThatThrownBy(() -> lk.update(t).whereId(1L).modify(row -> null).execute())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("returned null");
    }

    @DatabaseTest
    void readModifyWriteRereadsAndReappliesAfterAConflict(TestDatabase db) throws Exception {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 10);
        Latchkey lk = db.latchkey();
        AtomicInteger calls = new AtomicInteger();
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        ReadModifyWrite addOne = lk.update(t).whereId(1L).modify(row -> {
            seen.add(row.getLong("stock"));
            if (calls.incrementAndGet() == 1) {
                // another writer commits between this attempt's read and its write (test-only side effect)
                db.execute("UPDATE " + t + " SET stock = stock + 100, version = version + 1 WHERE id = 1");
            }
            return Map.of("stock", row.getLong("stock") + 1);
        }).withRetry(RetryPolicy.builder().maxAttempts(3).noBackoff().build());

        UpdateResult r = addOne.execute();
        assertThat(r.applied()).isTrue();
        assertThat(seen).containsExactly(10L, 110L);
        assertThat(Tables.stock(db, t, 1)).as("both writers' changes survive").isEqualTo(111);
        assertThat(r.newVersion()).isEqualTo(2L);

        calls.set(0);
        seen.clear();
        // inside a transaction there is one attempt: the stale version goes to the caller
        assertThatThrownBy(() -> lk.transactions().withRetry(RetryPolicy.none()).run(tx -> addOne.execute(tx)))
                .isInstanceOf(StaleVersionException.class);
        assertThat(seen).hasSize(1);
        assertThat(Tables.stock(db, t, 1)).isEqualTo(211);
    }

    @DatabaseTest
    void batchOptimisticUpdatesReportWhichKeysWereStale(TestDatabase db) {
        String t = Tables.product(db);
        for (long id = 1; id <= 5; id++) {
            Tables.insert(db, t, id, 10);
        }
        db.execute("UPDATE " + t + " SET version = version + 1 WHERE id IN (2, 4)");
        db.execute("DELETE FROM " + t + " WHERE id = 5");
        List<String> conflicts = Collections.synchronizedList(new ArrayList<>());
        Latchkey lk = Latchkey.builder(db.dataSource()).dialect(db.latchkey().dialect())
                .listener(new ConcurrencyListener() {
                    @Override
                    public void onConflict(@Nullable String table, @Nullable Object key,
                                           @NotNull ConcurrencyException failure) {
                        conflicts.add(table + ":" + key);
                    }
                }).build();
        List<Update> updates = new ArrayList<>();
        for (long id = 5; id >= 1; id--) {
            updates.add(lk.update(t).set("note", "shipped").whereId(id).expectVersion(0L));
        }

        BatchResult r = lk.batch(updates).execute();

        assertThat(r.staleKeys()).containsExactly(5L, 4L, 2L);
        assertThat(r.get(0).actualVersion()).as("row 5 was deleted").isNull();
        assertThat(((Number) r.get(1).actualVersion()).longValue()).isEqualTo(1);
        assertThat(r.get(2).applied()).isTrue();
        assertThat(r.get(2).newVersion()).isEqualTo(1L);
        assertThat(r.appliedCount()).isEqualTo(2);
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + t + " WHERE note = 'shipped'")).isEqualTo(2);
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + t + " WHERE note = 'shipped' AND id IN (1, 3)"))
                .isEqualTo(2);
        assertThat(conflicts).containsExactlyInAnyOrder(t + ":5", t + ":4", t + ":2");
    }

    @DatabaseTest
    void aSingleStaleUpdateTellsTheListener(TestDatabase db) {
        String t = Tables.product(db);
        Tables.insert(db, t, 1, 10);
        List<Object> keys = Collections.synchronizedList(new ArrayList<>());
        Latchkey lk = Latchkey.builder(db.dataSource()).dialect(db.latchkey().dialect())
                .listener(new ConcurrencyListener() {
                    @Override
                    public void onConflict(@Nullable String table, @Nullable Object key,
                                           @NotNull ConcurrencyException failure) {
                        keys.add(key);
                    }
                }).build();
        assertThatThrownBy(() -> lk.update(t).set("note", "x").whereId(1L).expectVersion(3L).execute())
                .isInstanceOf(StaleVersionException.class);
        assertThat(keys).containsExactly(1L);
    }
}

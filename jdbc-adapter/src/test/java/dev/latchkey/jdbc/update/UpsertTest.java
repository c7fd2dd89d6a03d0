package dev.latchkey.jdbc.update;

import static dev.latchkey.jdbc.update.Expressions.col;
import static dev.latchkey.jdbc.update.Expressions.excluded;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.Hammer;
import dev.latchkey.jdbc.testing.TestDatabase;

/** Insert-or-update with arithmetic on conflict. */
class UpsertTest {

    @DatabaseTest
    void insertsThenAddsToTheExistingValue(TestDatabase db) {
        String t = db.table("counter", "name VARCHAR(20) PRIMARY KEY, n BIGINT NOT NULL");
        Upsert hit = db.latchkey().upsert(t).key("name", "home").increment("n", 1).returning("n");
        assertThat(hit.execute().getLong("n")).isEqualTo(1);
        assertThat(hit.execute().getLong("n")).isEqualTo(2);
        UpdateResult r = db.latchkey().upsert(t).key("name", "home").increment("n", 40).returning("n").execute();
        assertThat(r.applied()).isTrue();
        assertThat(r.getLong("n")).isEqualTo(42);
        assertThat(r.key()).isEqualTo("home");
        db.latchkey().upsert(t).key("name", "about").increment("n", 7).execute();
        assertThat(db.queryLong("SELECT n FROM " + t + " WHERE name = 'about'")).isEqualTo(7);
    }

    @DatabaseTest
    void compositeKeyBalanceWithSeveralAssignments(TestDatabase db) {
        String t = db.table("ledger", "tenant VARCHAR(10) NOT NULL, account INT NOT NULL, balance DECIMAL(12,2) NOT "
                + "NULL, postings INT NOT NULL, PRIMARY KEY (tenant, account)");
        Latchkey lk = db.latchkey();
        Upsert post = lk.upsert(t).key("tenant", "acme").key("account", 7)
                .value("balance", new BigDecimal("10.25")).value("postings", 1)
                .onConflict("balance", col("balance").plus(excluded("balance")))
                .onConflict("postings", col("postings").plus(1))
                .returning("balance", "postings");
        assertThat(post.execute().values().getBigDecimal("balance")).isEqualByComparingTo("10.25");
        UpdateResult second = post.execute();
        assertThat(second.values().getBigDecimal("balance")).isEqualByComparingTo("20.50");
        assertThat(second.getLong("postings")).isEqualTo(2);
        long postings = lk.transactions().run(tx -> post.execute(tx).getLong("postings"));
        assertThat(postings).isEqualTo(3);
    }

    @DatabaseTest
    void concurrentUpsertsOfNewKeysLoseNoIncrement(TestDatabase db) {
        String t = db.table("counter", "name VARCHAR(20) PRIMARY KEY, n BIGINT NOT NULL");
        Latchkey lk = db.latchkey();
        int threads = 16;
        int iterations = 50;
        int keys = 4;
        Hammer.run(threads, iterations, (thread, i) ->
                lk.upsert(t).key("name", "k" + ((thread + i) % keys)).increment("n", 1).execute());
        assertThat(db.queryLong("SELECT SUM(n) FROM " + t)).isEqualTo((long) threads * iterations);
        assertThat(db.queryLong("SELECT COUNT(*) FROM " + t)).isEqualTo(keys);
    }
}

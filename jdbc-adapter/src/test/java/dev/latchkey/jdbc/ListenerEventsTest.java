package dev.latchkey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.latchkey.ConcurrencyException;
import dev.latchkey.ConcurrencyListener;
import dev.latchkey.RetryEvent;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyKeyInUseException;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.HeldLock;
import dev.latchkey.jdbc.testing.TestDatabase;
import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Issue 11, item 3: what the listener hears. Retries of read-modify-write and of execute()'s own
 * attempts reach onRetry; the runner's conflicts carry the table the failure names; transactions
 * report commit and rollback with their duration; idempotency claims, replays and in-progress
 * duplicates are reported.
 */
class ListenerEventsTest {
    private static final RetryPolicy TWO = RetryPolicy.builder().maxAttempts(2)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(2), 2.0).build();

    /** Records every event as a line. */
    static final class Recorder implements ConcurrencyListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onRetry(@NotNull RetryEvent event) {
            events.add("retry " + event.failedAttempt() + " " + event.failure().getClass().getSimpleName());
        }

        @Override
        public void onConflict(@Nullable String table, @Nullable Object key, @NotNull ConcurrencyException failure) {
            events.add("conflict " + table + " " + key + " " + failure.getClass().getSimpleName());
        }

        @Override
        public void onIdempotencyReplay(@NotNull String scope, @NotNull String key) {
            events.add("replay " + key);
        }

        @Override
        public void onIdempotencyClaim(@NotNull String scope, @NotNull String key, boolean takeover) {
            events.add("claim " + key + " takeover=" + takeover);
        }

        @Override
        public void onIdempotencyInProgress(@NotNull String scope, @NotNull String key) {
            events.add("in-progress " + key);
        }

        @Override
        public void onTransactionEnd(boolean committed, @NotNull Duration duration, int attempt) {
            assertThat(duration).isPositive();
            events.add((committed ? "commit " : "rollback ") + attempt);
        }
    }

    private static String rows(TestDatabase db) {
        String t = db.table("ev", "id BIGINT PRIMARY KEY, v BIGINT NOT NULL, version BIGINT NOT NULL");
        db.execute("INSERT INTO " + t + " (id, v, version) VALUES (1, 0, 0)");
        return t;
    }

    @DatabaseTest
    void readModifyWriteRetriesReachTheListener(TestDatabase db) {
        String t = rows(db);
        Recorder r = new Recorder();
        Latchkey lk = Latchkey.builder(db.dataSource()).listener(r).build();
        AtomicInteger calls = new AtomicInteger();
        assertThat(lk.update(t).whereId(1L).modify(row -> {
            if (calls.incrementAndGet() == 1) { // a concurrent writer moves the version under the first attempt
                db.execute("UPDATE " + t + " SET version = version + 1 WHERE id = 1");
            }
            return Map.of("v", row.getLong("v") + 1);
        }).withRetry(TWO).execute().applied()).isTrue();
        assertThat(r.events).anyMatch(e -> e.startsWith("retry 1 StaleVersionException"));
    }

    @DatabaseTest
    void theRunnersConflictsNameTheTableAndTransactionsReportTheirEnd(TestDatabase db) {
        String t = rows(db);
        Recorder r = new Recorder();
        Latchkey lk = Latchkey.builder(db.dataSource()).listener(r).retryPolicy(TWO).build();
        HeldLock held = db.holdLock("SELECT id FROM " + t + " WHERE id = 1 FOR UPDATE");
        assertThat(held.connection()).isNotNull();
        AtomicInteger attempts = new AtomicInteger();
        lk.transactions().run(tx -> {
            if (attempts.incrementAndGet() == 2) {
                held.close();
            }
            return lk.lock(t).key(1L).nowait().fetchOne(tx);
        });
        assertThat(r.events).anyMatch(e -> e.startsWith("conflict " + t + " 1 Lock"));
        assertThat(r.events).anyMatch(e -> e.startsWith("retry 1 Lock"));
        assertThat(r.events).containsSubsequence("rollback 1", "commit 2");
    }

    @DatabaseTest
    void idempotencyClaimsReplaysAndInProgressDuplicatesAreReported(TestDatabase db) {
        Recorder r = new Recorder();
        Latchkey lk = Latchkey.builder(db.dataSource()).listener(r).build();
        String table = db.uniqueName("ev_idem");
        JdbcIdempotencyStore store = lk.idempotencyStore(table);
        store.createTableIfNotExists();
        db.dropAfterTest(table);
        Idempotency executor = store.executor(IdempotencyPolicy.defaults());
        IdempotencyKey key = IdempotencyKey.of("s", "k1");
        Fingerprint fp = Fingerprint.sha256("body");

        executor.execute(key, fp, () -> StoredResponse.ofText(201, "text/plain", "made"));
        executor.execute(key, fp, () -> StoredResponse.ofText(201, "text/plain", "made again"));
        IdempotencyKey busy = IdempotencyKey.of("s", "k2");
        store.claim(busy, fp, Duration.ofMinutes(1), Duration.ofHours(1));
        try {
            executor.execute(busy, fp, () -> StoredResponse.ofText(201, "text/plain", "never"));
        } catch (IdempotencyKeyInUseException expected) {
            // the first request still holds the key
        }
        assertThat(r.events).containsSubsequence("claim k1 takeover=false", "replay k1", "in-progress k2");
    }
}

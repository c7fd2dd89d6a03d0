package dev.latchkey.jdbc.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.contract.LeaseRenewalRun;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.FenceOutcome;
import dev.latchkey.idempotency.spi.OwnerToken;
import dev.latchkey.jdbc.testing.CountingDataSource;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;

/**
 * Issue 15: the plain executor renews a claim's lease while long work runs, so a lease shorter
 * than the work no longer lets a duplicate run the work a second time.
 */
class IdempotencyLeaseRenewalTest {
    private static final Fingerprint FP = Fingerprint.sha256("request");

    private static JdbcIdempotencyStore store(TestDatabase db, Latchkey latchkey) {
        String table = db.uniqueName("idem");
        JdbcIdempotencyStore store = latchkey.idempotencyStore(table);
        store.createTableIfNotExists();
        db.dropAfterTest(table);
        return store;
    }

    @DatabaseTest
    void workFourTimesTheLeaseRunsOnceWhileDuplicatesAreTurnedAway(TestDatabase db) throws InterruptedException {
        JdbcIdempotencyStore store = store(db, db.latchkey());
        Duration lease = Duration.ofMillis(800);
        Idempotency renewing = store.executor(IdempotencyPolicy.builder().lease(lease)
                .renewLeaseEvery(Duration.ofMillis(150)).build());
        IdempotencyKey key = IdempotencyKey.of("payments", "renewed-" + db.uniqueName("k"));
        LeaseRenewalRun.workLongerThanTheLeaseRunsOnce(renewing, key, FP, lease.multipliedBy(4));
    }

    @DatabaseTest
    void renewalIsOneStatementFencedOnTheOwner(TestDatabase db) {
        CountingDataSource counting = db.counting();
        Latchkey latchkey = Latchkey.builder(counting).dialect(db.latchkey().dialect()).build();
        JdbcIdempotencyStore store = store(db, latchkey);
        IdempotencyKey key = IdempotencyKey.of("payments", db.uniqueName("k"));
        ClaimResult.Claimed claimed = (ClaimResult.Claimed) store.claim(key, FP, Duration.ofSeconds(5),
                Duration.ofSeconds(5));
        counting.reset();
        assertThat(store.renew(key, claimed.owner(), Duration.ofMinutes(10))).isEqualTo(FenceOutcome.APPLIED);
        assertThat(counting.roundTrips()).isEqualTo(1);
        assertThat(store.find(key).orElseThrow().leaseExpiresAt()).isAfter(claimed.leaseExpiresAt().plusSeconds(300));
        assertThat(store.find(key).orElseThrow().expiresAt()).as("the record outlives its lease")
                .isAfterOrEqualTo(store.find(key).orElseThrow().leaseExpiresAt());
        assertThat(store.renew(key, OwnerToken.random(), Duration.ofMinutes(10))).isEqualTo(FenceOutcome.LEASE_LOST);
        assertThat(store.complete(key, claimed.owner(), StoredResponse.ofText(200, null, "ok"), Duration.ofHours(1)))
                .isEqualTo(FenceOutcome.APPLIED);
        assertThat(store.renew(key, claimed.owner(), Duration.ofMinutes(10))).as("completed: nothing to renew")
                .isEqualTo(FenceOutcome.LEASE_LOST);
        assertThatThrownBy(() -> store.renew(key, claimed.owner(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdempotencyPolicy.builder().lease(Duration.ofSeconds(1))
                .renewLeaseEvery(Duration.ofSeconds(1)).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("every=PT1S");
    }
}

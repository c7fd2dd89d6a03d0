package dev.latchkey.idempotency.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import dev.latchkey.idempotency.FailureCodec;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.Idempotency;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyKeyInUseException;
import dev.latchkey.idempotency.IdempotencyKeyReusedException;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.IdempotentResult;
import dev.latchkey.idempotency.LeaseLostException;
import dev.latchkey.idempotency.ReplayedFailureException;
import dev.latchkey.idempotency.ResponseCodec;
import dev.latchkey.idempotency.ResponseTooLargeException;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.FenceOutcome;
import dev.latchkey.idempotency.spi.IdempotencyRecord;
import dev.latchkey.idempotency.spi.IdempotencyState;
import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.idempotency.spi.OwnerToken;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link IdempotencyStore} keeps, ShedLock-style: extend it, supply the store
 * and a way to let time pass on the store's clock, and every test here runs against your store
 * (the in-memory store in core; the JDBC store on every database in latchkey-jdbc).
 *
 * <p>Tests that need a lease to lapse use {@link #shortLease()} and then {@link #elapse}; tests
 * that need a lease to hold use {@link #longLease()}, so a slow machine can only make them
 * slower, never wrong.
 */
public abstract class IdempotencyStoreContract {
    /** A scope no other suite uses. */
    protected static final String SCOPE = "contract";

    private static final Fingerprint FP_A = Fingerprint.sha256("request A");
    private static final Fingerprint FP_B = Fingerprint.sha256("request B");

    /** For subclasses. */
    protected IdempotencyStoreContract() {
    }

    /**
     * The store under test, ready for this test method; no other test writes to it while this
     * one runs.
     *
     * @return the store
     */
    protected abstract IdempotencyStore store();

    /**
     * Lets at least the given time pass on the store's clock: advance a fake clock, or sleep
     * for a store on a real clock.
     *
     * @param d how long
     */
    protected abstract void elapse(Duration d);

    /** @return a lease the tests let lapse with {@link #elapse} */
    protected Duration shortLease() {
        return Duration.ofMillis(400);
    }

    /**
     * A lease a test lets lapse but that must still hold for the few operations right after its
     * claim; for a store on a real clock, long enough that a stalled machine cannot lapse it early.
     *
     * @return the lease
     */
    protected Duration briefLease() {
        return shortLease();
    }

    /** @return a lease that never lapses during a test */
    protected Duration longLease() {
        return Duration.ofMinutes(10);
    }

    /** @return threads of the concurrency tests */
    protected int threads() {
        return 64;
    }

    /** @return distinct keys of the many-keys concurrency test */
    protected int distinctKeys() {
        return 200;
    }

    /** @return a key no other test uses */
    protected static IdempotencyKey newKey() {
        return IdempotencyKey.of(SCOPE, UUID.randomUUID().toString());
    }

    private Duration retention() {
        return longLease().multipliedBy(6);
    }

    private ClaimResult.Claimed claimNew(IdempotencyKey key, Fingerprint fp, Duration lease) {
        ClaimResult r = store().claim(key, fp, lease, retention());
        assertThat(r).isInstanceOf(ClaimResult.Claimed.class);
        return (ClaimResult.Claimed) r;
    }

    private IdempotencyPolicy.Builder policy() {
        return IdempotencyPolicy.builder().lease(longLease()).retention(retention());
    }

    private static StoredResponse response(String text) {
        return StoredResponse.ofText(201, "application/json", "{\"id\":\"" + text + "\"}");
    }

    // ---- store SPI ----------------------------------------------------------------------

    @Test
    public void claimOfAnAbsentKeyClaimsItForOneOwner() {
        IdempotencyKey key = newKey();
        ClaimResult.Claimed claimed = claimNew(key, FP_A, longLease());
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(claimed.isTakeover()).isFalse();

        IdempotencyRecord record = store().find(key).orElseThrow();
        assertThat(record.key()).isEqualTo(key);
        assertThat(record.state()).isEqualTo(IdempotencyState.IN_PROGRESS);
        assertThat(record.owner()).isEqualTo(claimed.owner());
        assertThat(record.fingerprint()).isEqualTo(FP_A);
        assertThat(record.attempt()).isEqualTo(1);
        assertThat(record.response()).isNull();
        assertThat(record.isLeaseLapsed()).isFalse();
        assertThat(record.leaseExpiresAt()).isEqualTo(claimed.leaseExpiresAt());
        assertThat(record.expiresAt()).isAfterOrEqualTo(record.leaseExpiresAt());
    }

    @Test
    public void aSecondClaimWhileTheLeaseHoldsFindsItInProgress() {
        IdempotencyKey key = newKey();
        ClaimResult.Claimed first = claimNew(key, FP_A, longLease());
        ClaimResult second = store().claim(key, FP_A, longLease(), retention());
        assertThat(second).isInstanceOf(ClaimResult.InProgress.class);
        IdempotencyRecord seen = ((ClaimResult.InProgress) second).record();
        assertThat(seen.owner()).isEqualTo(first.owner());
        assertThat(seen.isLeaseLapsed()).isFalse();
    }

    @Test
    public void completeStoresTheResponseAndLaterClaimsReplayIt() {
        IdempotencyKey key = newKey();
        ClaimResult.Claimed claimed = claimNew(key, FP_A, longLease());
        StoredResponse response = response("ch_1");
        assertThat(store().complete(key, claimed.owner(), response, retention())).isEqualTo(FenceOutcome.APPLIED);

        ClaimResult again = store().claim(key, FP_A, longLease(), retention());
        assertThat(again).isInstanceOf(ClaimResult.Replay.class);
        StoredResponse replayed = ((ClaimResult.Replay) again).response();
        assertThat(replayed).isEqualTo(response);
        assertThat(replayed.status()).isEqualTo(201);
        assertThat(replayed.contentType()).isEqualTo("application/json");
        assertThat(replayed.isFailure()).isFalse();

        IdempotencyRecord record = store().find(key).orElseThrow();
        assertThat(record.state()).isEqualTo(IdempotencyState.COMPLETED);
        assertThat(record.response()).isEqualTo(response);
        assertThat(record.leaseExpiresAt()).isNull();
        assertThat(record.owner()).isEqualTo(claimed.owner());
    }

    @Test
    public void responsesRoundTripEveryByteAnEmptyBodyNoContentTypeAndFailures() {
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        List<StoredResponse> responses = List.of(StoredResponse.of(every), StoredResponse.of(new byte[0]),
                StoredResponse.of(999, "x", new byte[] {0}), StoredResponse.failure(402, "text/plain", "declined".getBytes()),
                StoredResponse.failure(0, null, new byte[0]));
        for (StoredResponse response : responses) {
            IdempotencyKey key = newKey();
            ClaimResult.Claimed claimed = claimNew(key, FP_A, longLease());
            assertThat(store().complete(key, claimed.owner(), response, retention())).isEqualTo(FenceOutcome.APPLIED);
            ClaimResult replay = store().claim(key, FP_A, longLease(), retention());
            assertThat(((ClaimResult.Replay) replay).response()).isEqualTo(response);
            assertThat(store().find(key).orElseThrow().response()).isEqualTo(response);
        }
    }

    @Test
    public void completeAndReleaseWithAnotherTokenChangeNothing() {
        IdempotencyKey key = newKey();
        ClaimResult.Claimed claimed = claimNew(key, FP_A, longLease());
        OwnerToken stranger = OwnerToken.random();
        assertThat(store().complete(key, stranger, response("x"), retention())).isEqualTo(FenceOutcome.LEASE_LOST);
        assertThat(store().release(key, stranger)).isEqualTo(FenceOutcome.LEASE_LOST);
        IdempotencyRecord record = store().find(key).orElseThrow();
        assertThat(record.state()).isEqualTo(IdempotencyState.IN_PROGRESS);
        assertThat(record.owner()).isEqualTo(claimed.owner());
    }

    @Test
    public void completeAndReleaseOfAnAbsentKeyAreLeaseLost() {
        IdempotencyKey key = newKey();
        assertThat(store().complete(key, OwnerToken.random(), response("x"), retention()))
                .isEqualTo(FenceOutcome.LEASE_LOST);
        assertThat(store().release(key, OwnerToken.random())).isEqualTo(FenceOutcome.LEASE_LOST);
        assertThat(store().find(key)).isEmpty();
    }

    @Test
    public void aCompletedKeyCannotBeCompletedOrReleasedAgain() {
        IdempotencyKey key = newKey();
        ClaimResult.Claimed claimed = claimNew(key, FP_A, longLease());
        store().complete(key, claimed.owner(), response("first"), retention());
        assertThat(store().complete(key, claimed.owner(), response("second"), retention()))
                .isEqualTo(FenceOutcome.LEASE_LOST);
        assertThat(store().release(key, claimed.owner())).isEqualTo(FenceOutcome.LEASE_LOST);
        assertThat(store().find(key).orElseThrow().response()).isEqualTo(response("first"));
    }

    @Test
    public void releaseMakesTheKeyAbsentSoTheNextClaimRunsAgain() {
        IdempotencyKey key = newKey();
        ClaimResult.Claimed claimed = claimNew(key, FP_A, longLease());
        assertThat(store().release(key, claimed.owner())).isEqualTo(FenceOutcome.APPLIED);
        assertThat(store().find(key)).isEmpty();
        ClaimResult.Claimed again = claimNew(key, FP_B, longLease());
        assertThat(again.attempt()).isEqualTo(1);
        assertThat(again.owner()).isNotEqualTo(claimed.owner());
    }

    @Test
    public void aLapsedLeaseIsTakenOverAndTheFormerOwnerIsFencedOut() {
        IdempotencyKey key = newKey();
        ClaimResult.Claimed first = claimNew(key, FP_A, shortLease());
        elapse(shortLease().multipliedBy(2));
        assertThat(store().find(key).orElseThrow().isLeaseLapsed()).isTrue();

        ClaimResult.Claimed second = claimNew(key, FP_A, longLease());
        assertThat(second.isTakeover()).isTrue();
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.owner()).isNotEqualTo(first.owner());

        assertThat(store().complete(key, first.owner(), response("late"), retention())).isEqualTo(FenceOutcome.LEASE_LOST);
        assertThat(store().release(key, first.owner())).isEqualTo(FenceOutcome.LEASE_LOST);
        IdempotencyRecord held = store().find(key).orElseThrow();
        assertThat(held.owner()).isEqualTo(second.owner());
        assertThat(held.state()).isEqualTo(IdempotencyState.IN_PROGRESS);

        assertThat(store().complete(key, second.owner(), response("winner"), retention())).isEqualTo(FenceOutcome.APPLIED);
        assertThat(store().complete(key, first.owner(), response("late"), retention())).isEqualTo(FenceOutcome.LEASE_LOST);
        ClaimResult replay = store().claim(key, FP_A, longLease(), retention());
        assertThat(((ClaimResult.Replay) replay).response()).isEqualTo(response("winner"));
    }

    @Test
    public void aFormerOwnerWhoseLeaseLapsedButWasNotTakenOverMayStillComplete() {
        IdempotencyKey key = newKey();
        ClaimResult.Claimed claimed = claimNew(key, FP_A, shortLease());
        elapse(shortLease().multipliedBy(2));
        assertThat(store().complete(key, claimed.owner(), response("slow"), retention())).isEqualTo(FenceOutcome.APPLIED);
        assertThat(store().find(key).orElseThrow().response()).isEqualTo(response("slow"));
    }

    @Test
    public void anExpiredRecordCountsAsAbsentEvenForAnotherRequest() {
        IdempotencyKey key = newKey();
        ClaimResult.Claimed claimed = store().claim(key, FP_A, shortLease(), shortLease()) instanceof ClaimResult.Claimed c
                ? c : null;
        assertThat(claimed).isNotNull();
        assertThat(store().complete(key, claimed.owner(), response("old"), shortLease())).isEqualTo(FenceOutcome.APPLIED);
        elapse(shortLease().multipliedBy(2));
        assertThat(store().find(key)).isEmpty();
        ClaimResult.Claimed fresh = claimNew(key, FP_B, longLease());
        assertThat(fresh.attempt()).isEqualTo(1);
        assertThat(store().find(key).orElseThrow().fingerprint()).isEqualTo(FP_B);
    }

    @Test
    public void anExpiredInProgressRecordCountsAsAbsent() {
        IdempotencyKey key = newKey();
        store().claim(key, FP_A, shortLease(), shortLease());
        elapse(shortLease().multipliedBy(2));
        assertThat(store().find(key)).isEmpty();
        ClaimResult.Claimed fresh = claimNew(key, FP_B, longLease());
        assertThat(fresh.attempt()).isEqualTo(1);
    }

    @Test
    public void aDifferentFingerprintIsRejectedOnClaimConflictReplayAndTakeover() {
        IdempotencyKey inProgress = newKey();
        claimNew(inProgress, FP_A, longLease());
        assertThatThrownBy(() -> store().claim(inProgress, FP_B, longLease(), retention()))
                .isInstanceOf(IdempotencyKeyReusedException.class);

        IdempotencyKey completed = newKey();
        ClaimResult.Claimed c = claimNew(completed, FP_A, longLease());
        store().complete(completed, c.owner(), response("done"), retention());
        assertThatThrownBy(() -> store().claim(completed, FP_B, longLease(), retention()))
                .isInstanceOf(IdempotencyKeyReusedException.class);

        IdempotencyKey lapsed = newKey();
        ClaimResult.Claimed crashed = claimNew(lapsed, FP_A, shortLease());
        elapse(shortLease().multipliedBy(2));
        assertThatThrownBy(() -> store().claim(lapsed, FP_B, longLease(), retention()))
                .isInstanceOf(IdempotencyKeyReusedException.class)
                .satisfies(e -> assertThat(((IdempotencyKeyReusedException) e).key()).isEqualTo(lapsed.key()));
        // the refused takeover changed nothing: the original owner can still complete
        IdempotencyRecord record = store().find(lapsed).orElseThrow();
        assertThat(record.owner()).isEqualTo(crashed.owner());
        assertThat(record.fingerprint()).isEqualTo(FP_A);
        assertThat(store().complete(lapsed, crashed.owner(), response("ok"), retention())).isEqualTo(FenceOutcome.APPLIED);
    }

    // ---- renew ---------------------------------------------------------------------------

    @Test
    public void renewByTheOwnerExtendsTheLeaseAndTheRecordSoATakeoverFindsItStillInProgress() {
        IdempotencyKey key = newKey();
        // retention == lease: the renewal must move the record's expiry along with the lease
        ClaimResult.Claimed claimed = (ClaimResult.Claimed) store().claim(key, FP_A, briefLease(), briefLease());
        assertThat(store().renew(key, claimed.owner(), longLease())).isEqualTo(FenceOutcome.APPLIED);
        IdempotencyRecord renewed = store().find(key).orElseThrow();
        assertThat(renewed.leaseExpiresAt()).isAfter(claimed.leaseExpiresAt());
        assertThat(renewed.expiresAt()).isAfterOrEqualTo(renewed.leaseExpiresAt());
        assertThat(renewed.owner()).isEqualTo(claimed.owner());
        assertThat(renewed.attempt()).isEqualTo(1);

        elapse(briefLease().plusMillis(100));
        ClaimResult takeover = store().claim(key, FP_A, longLease(), retention());
        assertThat(takeover).as("the original lease would have lapsed by now").isInstanceOf(ClaimResult.InProgress.class);
        IdempotencyRecord seen = ((ClaimResult.InProgress) takeover).record();
        assertThat(seen.owner()).isEqualTo(claimed.owner());
        assertThat(seen.isLeaseLapsed()).isFalse();
        assertThat(store().renew(key, claimed.owner(), longLease())).as("renewable again").isEqualTo(FenceOutcome.APPLIED);
        assertThat(store().complete(key, claimed.owner(), response("renewed"), retention())).isEqualTo(FenceOutcome.APPLIED);
    }

    @Test
    public void renewByAnotherOwnerIsLeaseLostAndChangesNothing() {
        IdempotencyKey key = newKey();
        ClaimResult.Claimed claimed = claimNew(key, FP_A, longLease());
        IdempotencyRecord before = store().find(key).orElseThrow();
        assertThat(store().renew(key, OwnerToken.random(), longLease().multipliedBy(3))).isEqualTo(FenceOutcome.LEASE_LOST);
        IdempotencyRecord after = store().find(key).orElseThrow();
        assertThat(after.owner()).isEqualTo(claimed.owner());
        assertThat(after.state()).isEqualTo(IdempotencyState.IN_PROGRESS);
        assertThat(after.leaseExpiresAt()).isEqualTo(before.leaseExpiresAt());
        assertThat(after.expiresAt()).isEqualTo(before.expiresAt());
        assertThat(after.attempt()).isEqualTo(1);
    }

    @Test
    public void renewAfterTheLeaseLapsedIsLeaseLostAndTheKeyCanStillBeTakenOver() {
        IdempotencyKey key = newKey();
        ClaimResult.Claimed claimed = claimNew(key, FP_A, shortLease());
        elapse(shortLease().multipliedBy(2));
        assertThat(store().renew(key, claimed.owner(), longLease())).isEqualTo(FenceOutcome.LEASE_LOST);
        IdempotencyRecord record = store().find(key).orElseThrow();
        assertThat(record.isLeaseLapsed()).as("the lapsed lease was not renewed").isTrue();
        assertThat(record.leaseExpiresAt()).isEqualTo(claimed.leaseExpiresAt());
        ClaimResult.Claimed takeover = claimNew(key, FP_A, longLease());
        assertThat(takeover.attempt()).isEqualTo(2);
        assertThat(store().renew(key, claimed.owner(), longLease())).as("fenced out").isEqualTo(FenceOutcome.LEASE_LOST);
        assertThat(store().renew(key, takeover.owner(), longLease())).isEqualTo(FenceOutcome.APPLIED);
    }

    @Test
    public void renewOfACompletedOrAbsentKeyIsLeaseLostAndChangesNothing() {
        IdempotencyKey key = newKey();
        ClaimResult.Claimed claimed = claimNew(key, FP_A, longLease());
        assertThat(store().complete(key, claimed.owner(), response("done"), retention())).isEqualTo(FenceOutcome.APPLIED);
        IdempotencyRecord before = store().find(key).orElseThrow();
        assertThat(store().renew(key, claimed.owner(), longLease())).isEqualTo(FenceOutcome.LEASE_LOST);
        IdempotencyRecord after = store().find(key).orElseThrow();
        assertThat(after.state()).isEqualTo(IdempotencyState.COMPLETED);
        assertThat(after.leaseExpiresAt()).isNull();
        assertThat(after.expiresAt()).isEqualTo(before.expiresAt());
        assertThat(after.response()).isEqualTo(response("done"));

        IdempotencyKey absent = newKey();
        assertThat(store().renew(absent, OwnerToken.random(), longLease())).isEqualTo(FenceOutcome.LEASE_LOST);
        assertThat(store().find(absent)).as("renew creates nothing").isEmpty();

        IdempotencyKey released = newKey();
        ClaimResult.Claimed r = claimNew(released, FP_A, longLease());
        assertThat(store().release(released, r.owner())).isEqualTo(FenceOutcome.APPLIED);
        assertThat(store().renew(released, r.owner(), longLease())).isEqualTo(FenceOutcome.LEASE_LOST);
        assertThat(store().find(released)).isEmpty();
    }

    @Test
    public void renewChecksItsArguments() {
        IdempotencyKey key = newKey();
        ClaimResult.Claimed claimed = claimNew(key, FP_A, longLease());
        OwnerToken owner = claimed.owner();
        assertThatThrownBy(() -> store().renew(null, owner, longLease()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> store().renew(key, null, longLease()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("owner");
        assertThatThrownBy(() -> store().renew(key, owner, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("lease");
        assertThatThrownBy(() -> store().renew(key, owner, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease=PT0S");
        assertThatThrownBy(() -> store().renew(key, owner, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
        assertThatThrownBy(() -> store().renew(key, owner, IdempotencyStore.MAX_RETENTION.plusDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        IdempotencyRecord record = store().find(key).orElseThrow();
        assertThat(record.leaseExpiresAt()).as("refused renewals changed nothing").isEqualTo(claimed.leaseExpiresAt());
    }

    @Test
    public void scopesSeparateKeys() {
        String k = UUID.randomUUID().toString();
        claimNew(IdempotencyKey.of(SCOPE, k), FP_A, longLease());
        claimNew(IdempotencyKey.of(SCOPE + "-other", k), FP_B, longLease());
        claimNew(IdempotencyKey.of(SCOPE, k.toUpperCase(java.util.Locale.ROOT)), FP_B, longLease());
    }

    @Test
    public void keysAtTheMaximumLengthsWork() {
        String scope = "s".repeat(IdempotencyKey.MAX_SCOPE_LENGTH);
        String k = UUID.randomUUID() + "~".repeat(IdempotencyKey.MAX_KEY_LENGTH - 36);
        IdempotencyKey key = IdempotencyKey.of(scope, k);
        ClaimResult.Claimed claimed = claimNew(key, FP_A, longLease());
        assertThat(store().complete(key, claimed.owner(), response("long"), retention())).isEqualTo(FenceOutcome.APPLIED);
        assertThat(store().find(key).orElseThrow().key()).isEqualTo(key);
    }

    @Test
    public void purgeDeletesExpiredRecordsInBatchesAndKeepsLiveOnes() {
        List<IdempotencyKey> expired = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            IdempotencyKey key = newKey();
            ClaimResult.Claimed c = (ClaimResult.Claimed) store().claim(key, FP_A, shortLease(), shortLease());
            if (i % 2 == 0) {
                store().complete(key, c.owner(), response("e" + i), shortLease());
            }
            expired.add(key);
        }
        IdempotencyKey live = newKey();
        IdempotencyKey liveDone = newKey();
        elapse(shortLease().multipliedBy(2));
        claimNew(live, FP_A, longLease());
        ClaimResult.Claimed d = claimNew(liveDone, FP_A, longLease());
        store().complete(liveDone, d.owner(), response("kept"), retention());

        int first = store().purgeExpired(2);
        assertThat(first).isEqualTo(2);
        assertThat(store().purgeAllExpired(2)).isEqualTo(3);
        assertThat(store().purgeExpired(100)).isZero();
        for (IdempotencyKey key : expired) {
            assertThat(store().find(key)).isEmpty();
        }
        assertThat(store().find(live)).isPresent();
        assertThat(store().find(liveDone).orElseThrow().response()).isEqualTo(response("kept"));
        assertThatThrownBy(() -> store().purgeExpired(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void concurrentTakeoversOfOneLapsedLeaseHaveOneWinner() {
        IdempotencyKey key = newKey();
        claimNew(key, FP_A, shortLease());
        elapse(shortLease().multipliedBy(2));
        AtomicInteger winners = new AtomicInteger();
        AtomicInteger inProgress = new AtomicInteger();
        ConcurrentRun.run(threads(), t -> {
            ClaimResult r = store().claim(key, FP_A, longLease(), retention());
            if (r instanceof ClaimResult.Claimed) {
                winners.incrementAndGet();
                assertThat(((ClaimResult.Claimed) r).attempt()).isEqualTo(2);
            } else {
                assertThat(r).isInstanceOf(ClaimResult.InProgress.class);
                inProgress.incrementAndGet();
            }
        });
        assertThat(winners.get()).isEqualTo(1);
        assertThat(inProgress.get()).isEqualTo(threads() - 1);
    }

    @Test
    public void concurrentClaimsOfOneAbsentKeyHaveOneWinner() {
        IdempotencyKey key = newKey();
        AtomicInteger winners = new AtomicInteger();
        ConcurrentRun.run(threads(), t -> {
            if (store().claim(key, FP_A, longLease(), retention()) instanceof ClaimResult.Claimed) {
                winners.incrementAndGet();
            }
        });
        assertThat(winners.get()).isEqualTo(1);
    }

    // ---- the executor on this store -------------------------------------------------------

    @Test
    public void sameKeyFromManyThreadsRunsTheWorkOnceAndEveryoneGetsTheSameResponse() {
        Idempotency idempotency = store().executor(policy().waitWhenInProgress(Duration.ofSeconds(60)).build());
        IdempotencyKey key = newKey();
        AtomicInteger runs = new AtomicInteger();
        Set<StoredResponse> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger fresh = new AtomicInteger();
        ConcurrentRun.run(threads(), t -> {
            IdempotentResult<StoredResponse> r = idempotency.execute(key, FP_A, () -> {
                runs.incrementAndGet();
                sleep(20);
                return response(UUID.randomUUID().toString());
            });
            seen.add(r.value());
            if (r.isFresh()) {
                fresh.incrementAndGet();
            }
        });
        assertThat(runs.get()).isEqualTo(1);
        assertThat(fresh.get()).isEqualTo(1);
        assertThat(seen).hasSize(1);
    }

    @Test
    public void manyThreadsOverManyDistinctKeysRunEachKeyOnce() {
        Idempotency idempotency = store().executor(policy().waitWhenInProgress(Duration.ofSeconds(60)).build());
        int keys = distinctKeys();
        List<IdempotencyKey> keyList = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            keyList.add(newKey());
        }
        AtomicIntegerArray runs = new AtomicIntegerArray(keys);
        Map<Integer, Set<String>> responses = new ConcurrentHashMap<>();
        AtomicInteger fresh = new AtomicInteger();
        ConcurrentRun.run(threads(), t -> {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new java.util.Random(t));
            for (int i : order) {
                IdempotentResult<StoredResponse> r = idempotency.execute(keyList.get(i), Fingerprint.sha256("k" + i), () -> {
                    runs.incrementAndGet(i);
                    return response(UUID.randomUUID().toString());
                });
                responses.computeIfAbsent(i, x -> ConcurrentHashMap.newKeySet()).add(r.value().bodyAsText());
                if (r.isFresh()) {
                    fresh.incrementAndGet();
                }
            }
        });
        for (int i = 0; i < keys; i++) {
            assertThat(runs.get(i)).as("runs of key %d", i).isEqualTo(1);
            assertThat(responses.get(i)).as("responses of key %d", i).hasSize(1);
        }
        assertThat(fresh.get()).isEqualTo(keys);
    }

    @Test
    public void theExecutorRejectsADifferentFingerprintOnEveryPathWithoutRunningTheWork() throws Exception {
        Idempotency idempotency = store().executor(policy().lease(shortLease()).build());
        AtomicInteger runs = new AtomicInteger();

        // claim conflict: the first request is still in progress
        IdempotencyKey key1 = newKey();
        CountDownLatch inWork = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Thread first = new Thread(() -> idempotency.withPolicy(policy().build()).execute(key1, FP_A, () -> {
            inWork.countDown();
            await(finish);
            return response("first");
        }));
        first.start();
        assertThat(inWork.await(30, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> idempotency.execute(key1, FP_B, () -> response("never" + runs.incrementAndGet())))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        finish.countDown();
        first.join(30_000);

        // replay: the key completed
        assertThatThrownBy(() -> idempotency.execute(key1, FP_B, () -> response("never" + runs.incrementAndGet())))
                .isInstanceOf(IdempotencyKeyReusedException.class);

        // waiting duplicate: rejected before it waits
        Idempotency waiting = idempotency.withPolicy(policy().waitWhenInProgress(Duration.ofSeconds(30)).build());
        IdempotencyKey key2 = newKey();
        claimNew(key2, FP_A, longLease());
        assertThatThrownBy(() -> waiting.execute(key2, FP_B, () -> response("never" + runs.incrementAndGet())))
                .isInstanceOf(IdempotencyKeyReusedException.class);

        // takeover: the first owner crashed and its lease lapsed
        IdempotencyKey key3 = newKey();
        claimNew(key3, FP_A, shortLease());
        elapse(shortLease().multipliedBy(2));
        assertThatThrownBy(() -> idempotency.execute(key3, FP_B, () -> response("never" + runs.incrementAndGet())))
                .isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(runs.get()).isZero();
        // and the same request still recovers the key
        assertThat(idempotency.execute(key3, FP_A, () -> response("recovered")).isFresh()).isTrue();
    }

    @Test
    public void aWorkerStalledPastItsLeaseLosesToTheTakerOverAndCannotOverwriteItsResult() throws Exception {
        Idempotency idempotency = store().executor(policy().lease(shortLease()).build());
        IdempotencyKey key = newKey();
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicReference<Throwable> slowOutcome = new AtomicReference<>();
        Thread slow = new Thread(() -> {
            try {
                idempotency.execute(key, FP_A, () -> {
                    stalled.countDown();
                    await(resume);
                    return response("slow");
                });
                slowOutcome.set(new AssertionError("the stalled worker completed"));
            } catch (Throwable e) {
                slowOutcome.set(e);
            }
        });
        slow.start();
        assertThat(stalled.await(30, TimeUnit.SECONDS)).isTrue();
        elapse(shortLease().multipliedBy(2));

        IdempotentResult<StoredResponse> takeover = idempotency.execute(key, FP_A, () -> response("taker"));
        assertThat(takeover.isFresh()).isTrue();

        resume.countDown();
        slow.join(30_000);
        assertThat(slowOutcome.get()).isInstanceOf(LeaseLostException.class);
        assertThat(((LeaseLostException) slowOutcome.get()).attempt()).isEqualTo(1);

        IdempotentResult<StoredResponse> replay = idempotency.execute(key, FP_A, () -> response("third"));
        assertThat(replay.isReplayed()).isTrue();
        assertThat(replay.value()).isEqualTo(response("taker"));
        assertThat(store().find(key).orElseThrow().attempt()).isEqualTo(2);
    }

    @Test
    public void aCrashBetweenClaimAndCompletionIsRecoveredAfterTheLease() {
        Idempotency idempotency = store().executor(policy().lease(shortLease()).build());
        IdempotencyKey key = newKey();
        // the crashed worker claimed and never completed or released
        ClaimResult.Claimed crashed = claimNew(key, FP_A, briefLease());
        assertThatThrownBy(() -> idempotency.withPolicy(policy().build()).execute(key, FP_A, () -> response("x")))
                .isInstanceOf(IdempotencyKeyInUseException.class);
        elapse(briefLease().plusMillis(100));
        AtomicInteger runs = new AtomicInteger();
        IdempotentResult<StoredResponse> recovered = idempotency.execute(key, FP_A, () -> {
            runs.incrementAndGet();
            return response("recovered");
        });
        assertThat(recovered.isFresh()).isTrue();
        assertThat(runs.get()).isEqualTo(1);
        assertThat(store().complete(key, crashed.owner(), response("zombie"), retention())).isEqualTo(FenceOutcome.LEASE_LOST);
        assertThat(idempotency.execute(key, FP_A, () -> response("again")).value()).isEqualTo(response("recovered"));
    }

    @Test
    public void aFailureReleasesTheKeyByDefault() {
        Idempotency idempotency = store().executor(policy().build());
        IdempotencyKey key = newKey();
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> idempotency.execute(key, FP_A, () -> {
            throw boom;
        })).isSameAs(boom);
        assertThat(store().find(key)).isEmpty();
        assertThat(idempotency.execute(key, FP_A, () -> response("second try")).isFresh()).isTrue();
    }

    @Test
    public void aStoredFailureIsReplayedAsTheFinalResponse() {
        FailureCodec declinedOnly = (k, failure) -> failure instanceof IllegalArgumentException
                ? StoredResponse.ofText(402, "text/plain", failure.getMessage()) : null;
        Idempotency idempotency = store().executor(policy().storeFailures(declinedOnly).build());
        AtomicInteger runs = new AtomicInteger();

        IdempotencyKey declined = newKey();
        assertThatThrownBy(() -> idempotency.execute(declined, FP_A, () -> {
            runs.incrementAndGet();
            throw new IllegalArgumentException("card declined");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> idempotency.execute(declined, FP_A, () -> response("never" + runs.incrementAndGet())))
                .isInstanceOfSatisfying(ReplayedFailureException.class, e -> {
                    assertThat(e.response().status()).isEqualTo(402);
                    assertThat(e.response().bodyAsText()).isEqualTo("card declined");
                    assertThat(e.response().isFailure()).isTrue();
                    assertThat(e.key()).isEqualTo(declined);
                });
        assertThat(runs.get()).isEqualTo(1);

        IdempotencyKey crashed = newKey();
        assertThatThrownBy(() -> idempotency.execute(crashed, FP_A, () -> {
            throw new IllegalStateException("timeout");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(store().find(crashed)).as("a declined encoding releases the key").isEmpty();
    }

    @Test
    public void aResponseOverTheMaximumIsRefusedWithAClearErrorAndTheKeyReleased() {
        Idempotency idempotency = store().executor(policy().maxResponseBytes(16).build());
        IdempotencyKey key = newKey();
        assertThatThrownBy(() -> idempotency.execute(key, FP_A, () -> StoredResponse.of(new byte[17])))
                .isInstanceOfSatisfying(ResponseTooLargeException.class, e -> {
                    assertThat(e.size()).isEqualTo(17);
                    assertThat(e.limit()).isEqualTo(16);
                    assertThat(e).hasMessageContaining("17 bytes").hasMessageContaining("16 bytes");
                });
        assertThat(store().find(key)).isEmpty();
        assertThat(idempotency.execute(key, FP_A, () -> StoredResponse.of(new byte[16])).isFresh()).isTrue();
    }

    @Test
    public void aDuplicateWhileInProgressIsRejectedAtOnceOrWaitsByPolicy() throws Exception {
        IdempotencyKey key = newKey();
        Idempotency rejecting = store().executor(policy().build());
        CountDownLatch inWork = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Thread first = new Thread(() -> rejecting.execute(key, FP_A, () -> {
            inWork.countDown();
            await(finish);
            return response("first");
        }));
        first.start();
        assertThat(inWork.await(30, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> rejecting.execute(key, FP_A, () -> response("dup")))
                .isInstanceOfSatisfying(IdempotencyKeyInUseException.class, e -> assertThat(e.key()).isEqualTo(key.key()));

        Idempotency waiting = store().executor(policy().waitWhenInProgress(Duration.ofSeconds(60)).build());
        AtomicReference<IdempotentResult<StoredResponse>> waited = new AtomicReference<>();
        Thread duplicate = new Thread(() -> waited.set(waiting.execute(key, FP_A, () -> response("dup"))));
        duplicate.start();
        sleep(100);
        finish.countDown();
        first.join(30_000);
        duplicate.join(60_000);
        assertThat(waited.get().isReplayed()).isTrue();
        assertThat(waited.get().value()).isEqualTo(response("first"));
    }

    @Test
    public void aWaitingDuplicateRunsTheWorkWhenTheFirstReleasesTheKey() throws Exception {
        IdempotencyKey key = newKey();
        Idempotency idempotency = store().executor(policy().waitWhenInProgress(Duration.ofSeconds(60)).build());
        CountDownLatch inWork = new CountDownLatch(1);
        CountDownLatch fail = new CountDownLatch(1);
        Thread first = new Thread(() -> {
            try {
                idempotency.execute(key, FP_A, () -> {
                    inWork.countDown();
                    await(fail);
                    throw new IllegalStateException("first failed");
                });
            } catch (IllegalStateException expected) {
                // released
            }
        });
        first.start();
        assertThat(inWork.await(30, TimeUnit.SECONDS)).isTrue();
        AtomicReference<IdempotentResult<StoredResponse>> second = new AtomicReference<>();
        Thread duplicate = new Thread(() -> second.set(idempotency.execute(key, FP_A, () -> response("second"))));
        duplicate.start();
        sleep(100);
        fail.countDown();
        first.join(30_000);
        duplicate.join(60_000);
        assertThat(second.get().isFresh()).isTrue();
        assertThat(second.get().value()).isEqualTo(response("second"));
    }

    @Test
    public void aWaitingDuplicateGivesUpAfterItsBound() {
        IdempotencyKey key = newKey();
        claimNew(key, FP_A, longLease());
        Idempotency idempotency = store().executor(policy().waitWhenInProgress(Duration.ofMillis(200)).build());
        assertThatThrownBy(() -> idempotency.execute(key, FP_A, () -> response("never")))
                .isInstanceOf(IdempotencyKeyInUseException.class);
    }

    @Test
    public void replaysAreFlaggedDecodedAndReported() {
        List<String> replays = Collections.synchronizedList(new ArrayList<>());
        Idempotency idempotency = store().executor(policy().build()).withListener(new dev.latchkey.ConcurrencyListener() {
            @Override
            public void onIdempotencyReplay(String scope, String key) {
                replays.add(scope + "/" + key);
            }
        });
        IdempotencyKey key = newKey();
        ResponseCodec<String> text = ResponseCodec.text(200, "text/plain; charset=utf-8");
        IdempotentResult<String> first = idempotency.execute(key, FP_A, text, () -> "h\u00e9llo");
        IdempotentResult<String> second = idempotency.execute(key, FP_A, text, () -> "other");
        assertThat(first.isFresh()).isTrue();
        assertThat(second.isReplayed()).isTrue();
        assertThat(second.value()).isEqualTo("h\u00e9llo");
        assertThat(second.response().contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(replays).containsExactly(key.toString());
    }

    @Test
    public void findOfAnUnknownKeyIsEmpty() {
        Optional<IdempotencyRecord> none = store().find(newKey());
        assertThat(none).isEmpty();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

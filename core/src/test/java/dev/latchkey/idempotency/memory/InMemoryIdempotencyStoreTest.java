package dev.latchkey.idempotency.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.contract.ConcurrentRun;
import dev.latchkey.idempotency.contract.ManualClock;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.FenceOutcome;
import dev.latchkey.idempotency.spi.OwnerToken;
import org.junit.jupiter.api.Test;

class InMemoryIdempotencyStoreTest {
    private static final Fingerprint FP = Fingerprint.sha256("r");
    private static final Duration LEASE = Duration.ofSeconds(10);
    private final ManualClock clock = new ManualClock();

    @Test
    void claimsSweepExpiredRecordsAutomatically() {
        InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().clock(clock).build();
        for (int i = 0; i < 1000; i++) {
            store.claim(IdempotencyKey.of("s", "old-" + i), FP, LEASE, LEASE);
        }
        clock.advance(LEASE);
        for (int i = 0; i < 23; i++) {
            store.claim(IdempotencyKey.of("s", "new-" + i), FP, LEASE, LEASE);
        }
        assertThat(store.size()).isEqualTo(1023);
        store.claim(IdempotencyKey.of("s", "new-23"), FP, LEASE, LEASE);
        assertThat(store.size()).as("the 1024th claim swept the expired records").isEqualTo(24);
    }

    @Test
    void automaticSweepKeepsUpWithUniqueKeysForever() {
        // issue 12 item 6: the sweep trigger compared claims-since-sweep with the record count,
        // both growing by one per unique-key claim, so after the first sweep it never fired again
        InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().clock(clock).build();
        int perRound = 5_000;
        long most = 0;
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < perRound; i++) {
                store.claim(IdempotencyKey.of("s", round + "-" + i), FP, LEASE, LEASE);
                most = Math.max(most, store.size());
            }
            clock.advance(LEASE); // every record of this round expires
        }
        // live records never exceed one round; the sweep may lag by at most one interval of claims
        assertThat(most).as("records held at most, over 100,000 unique keys").isLessThanOrEqualTo(3L * perRound);
    }

    @Test
    void withoutAutoPurgeOnlyPurgeExpiredDeletes() {
        InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().clock(clock).autoPurge(false).build();
        for (int i = 0; i < 2000; i++) {
            store.claim(IdempotencyKey.of("s", "k" + i), FP, LEASE, LEASE);
            clock.advance(Duration.ofMillis(10));
        }
        assertThat(store.size()).isEqualTo(2000);
        assertThat(store.find(IdempotencyKey.of("s", "k0"))).as("expired counts as absent").isEmpty();
        assertThat(store.purgeExpired(100)).isEqualTo(100);
        // claim i expires at i * 10 ms + 10 s, and the clock reads 20 s: claims 0 to 1000 expired
        assertThat(store.purgeAllExpired(500)).isEqualTo(1001 - 100);
        assertThat(store.size()).isEqualTo(999);
    }

    @Test
    void purgingRunsWhileOtherThreadsKeepClaiming() {
        InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().clock(clock).autoPurge(false).build();
        for (int i = 0; i < 20_000; i++) {
            store.claim(IdempotencyKey.of("s", "old-" + i), FP, LEASE, LEASE);
        }
        clock.advance(LEASE);
        AtomicInteger claimed = new AtomicInteger();
        ConcurrentRun.run(8, t -> {
            if (t == 0) {
                assertThat(store.purgeAllExpired(1000)).isEqualTo(20_000);
            } else {
                for (int i = 0; i < 2000; i++) {
                    if (store.claim(IdempotencyKey.of("s", "new-" + t + "-" + i), FP, LEASE, LEASE)
                            instanceof ClaimResult.Claimed) {
                        claimed.incrementAndGet();
                    }
                }
            }
        });
        assertThat(claimed.get()).isEqualTo(7 * 2000);
        assertThat(store.size()).isEqualTo(7 * 2000);
    }

    @Test
    void ownerTokensNeverRepeatWithinOrAcrossStores() {
        Set<OwnerToken> tokens = ConcurrentHashMap.newKeySet();
        InMemoryIdempotencyStore a = InMemoryIdempotencyStore.create();
        InMemoryIdempotencyStore b = InMemoryIdempotencyStore.create();
        ConcurrentRun.run(8, t -> {
            InMemoryIdempotencyStore s = t % 2 == 0 ? a : b;
            for (int i = 0; i < 1000; i++) {
                ClaimResult r = s.claim(IdempotencyKey.of("s", t + "-" + i), FP, LEASE, LEASE);
                assertThat(tokens.add(((ClaimResult.Claimed) r).owner())).isTrue();
            }
        });
        assertThat(tokens).hasSize(8000);
    }

    @Test
    void argumentsAreChecked() {
        InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create();
        IdempotencyKey key = IdempotencyKey.of("s", "k");
        assertThatThrownBy(() -> store.claim(key, FP, Duration.ZERO, LEASE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease must be > 0");
        assertThatThrownBy(() -> store.claim(key, FP, LEASE, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention must be >= lease");
        assertThatThrownBy(() -> store.claim(key, FP, LEASE, Duration.ofDays(4000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention must be <=");
        assertThatThrownBy(() -> store.complete(key, OwnerToken.random(), StoredResponse.of(new byte[0]), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.claim(null, FP, LEASE, LEASE)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void renewMovesTheLeaseOfTheOwnerOnlyWhileItHolds() {
        InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().clock(clock).build();
        IdempotencyKey key = IdempotencyKey.of("s", "renew");
        ClaimResult.Claimed claimed = (ClaimResult.Claimed) store.claim(key, FP, LEASE, LEASE);
        clock.advance(Duration.ofSeconds(9));
        assertThat(store.renew(key, claimed.owner(), LEASE)).isEqualTo(FenceOutcome.APPLIED);
        clock.advance(Duration.ofSeconds(9));
        assertThat(store.claim(key, FP, LEASE, LEASE)).as("still held 18 s after a 10 s claim")
                .isInstanceOf(ClaimResult.InProgress.class);
        assertThat(store.find(key).orElseThrow().expiresAt()).isAfterOrEqualTo(store.find(key).orElseThrow().leaseExpiresAt());
        assertThat(store.renew(key, OwnerToken.random(), LEASE)).isEqualTo(FenceOutcome.LEASE_LOST);
        clock.advance(LEASE);
        assertThat(store.renew(key, claimed.owner(), LEASE)).as("lapsed").isEqualTo(FenceOutcome.LEASE_LOST);
    }
}

package dev.latchkey.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.contract.IdempotencyStoreContract;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.IdempotencyStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared idempotency-store contract on the local Redis server. Time passes on Redis's clock,
 * so {@link #elapse} sleeps. One test is replaced: Redis purges expired records itself, so
 * {@code purgeExpired} finds nothing to delete (see {@link #purgeDeletesExpiredRecordsInBatchesAndKeepsLiveOnes}).
 */
class RedisIdempotencyStoreContractTest extends IdempotencyStoreContract {
    private static LatchkeyRedis redis;

    private String prefix;
    private RedisIdempotencyStore store;

    @BeforeAll
    static void connect() {
        redis = LocalRedis.connectIfAvailable();
    }

    @AfterAll
    static void close() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void createStore() {
        LocalRedis.require();
        prefix = LocalRedis.uniquePrefix();
        store = RedisIdempotencyStore.builder(redis).prefix(prefix).build();
    }

    @AfterEach
    void deleteKeys() {
        if (prefix != null) {
            LocalRedis.deleteAll(prefix);
        }
    }

    @Override
    protected IdempotencyStore store() {
        return store;
    }

    @Override
    protected void elapse(Duration d) {
        try {
            Thread.sleep(d.toMillis() + 50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Duration shortLease() {
        return Duration.ofMillis(300);
    }

    @Override
    protected Duration briefLease() {
        return Duration.ofSeconds(2);
    }

    /**
     * Replaces the contract's purge test: Redis deletes a record's key when the record expires
     * ({@code PEXPIREAT}), so expired records are gone without a purge, live ones stay, and
     * {@code purgeExpired} deletes nothing.
     */
    @Override
    @Test
    public void purgeDeletesExpiredRecordsInBatchesAndKeepsLiveOnes() {
        Fingerprint fp = Fingerprint.sha256("purge");
        IdempotencyKey expired = newKey();
        IdempotencyKey expiredDone = newKey();
        store.claim(expired, fp, shortLease(), shortLease());
        ClaimResult.Claimed done = (ClaimResult.Claimed) store.claim(expiredDone, fp, shortLease(), shortLease());
        store.complete(expiredDone, done.owner(), dev.latchkey.idempotency.StoredResponse.of(new byte[] {1}),
                shortLease());
        IdempotencyKey live = newKey();
        store.claim(live, fp, longLease(), longLease());
        elapse(shortLease().multipliedBy(2));

        assertThat(store.find(expired)).isEmpty();
        assertThat(store.find(expiredDone)).isEmpty();
        assertThat(LocalRedis.admin().exists(store.redisKey(expired), store.redisKey(expiredDone)))
                .as("Redis deleted the expired records' keys").isZero();
        assertThat(store.purgeExpired(100)).isZero();
        assertThat(store.purgeAllExpired(2)).isZero();
        assertThat(store.find(live)).isPresent();
        assertThatThrownBy(() -> store.purgeExpired(0)).isInstanceOf(IllegalArgumentException.class);
    }
}

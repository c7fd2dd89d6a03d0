package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.latchkey.idempotency.IdempotencyKeyInUseException;
import dev.latchkey.idempotency.IdempotencyKeyReusedException;
import org.junit.jupiter.api.Test;

/** What each exception of the hierarchy carries and whether it says it is transient. */
class ConcurrencyExceptionsTest {

    /** Stands in for the driver's SQLException: core does not read java.sql. */
    private final Exception sql = new Exception("boom");

    @Test
    void transientFailuresAreTheRacesThatAReRunCanWin() {
        assertThat(new DeadlockException("m", sql, "40P01", 7).isTransient()).isTrue();
        assertThat(new SerializationFailureException("m", sql, "40001", 0).isTransient()).isTrue();
        assertThat(new LockNotAvailableException("m", sql, "55P03", 0).isTransient()).isTrue();
        assertThat(new LockWaitTimeoutException("m", sql, "55P03", 0).isTransient()).isTrue();
        assertThat(new ConnectionFailureException("m", sql, "08006", 0).isTransient()).isTrue();
        assertThat(new IdempotencyKeyInUseException("s", "k").isTransient()).isTrue();
    }

    @Test
    void nonTransientFailuresFailTheSameWayAgain() {
        assertThat(new DuplicateKeyException("m", sql, "23505", 0, "pk").isTransient()).isFalse();
        assertThat(new QueryCancelledException("m", sql, "57014", 0).isTransient()).isFalse();
        assertThat(new CommitOutcomeUnknownException("m", sql, "08006", 0).isTransient()).isFalse();
        assertThat(new StaleVersionException("t", 1L, 3L, 4L).isTransient()).isFalse();
        assertThat(new RetriesExhaustedException(3, new DeadlockException("m", sql, "40P01", 7)).isTransient())
                .isFalse();
        assertThat(new IdempotencyKeyReusedException("s", "k").isTransient()).isFalse();
    }

    @Test
    void databaseFailuresCarrySqlStateVendorCodeAndTheOriginalException() {
        DeadlockException e = new DeadlockException("deadlock", sql, "40P01", 7);
        assertThat(e).hasMessage("deadlock").hasCause(sql);
        assertThat(e.sqlState()).isEqualTo("40P01");
        assertThat(e.vendorCode()).isEqualTo(7);
        assertThat(e).isInstanceOf(ConcurrencyException.class).isInstanceOf(RuntimeException.class);

        StaleVersionException stale = new StaleVersionException("t", 1L, 3L, 4L);
        assertThat(stale.sqlState()).isNull();
        assertThat(stale.vendorCode()).isZero();
        assertThat(stale.getCause()).isNull();
    }

    @Test
    void aLockWaitTimeoutIsALockNotAvailable() {
        LockWaitTimeoutException e = new LockWaitTimeoutException("m", sql, "HY000", 1205, "product",
                List.of(1L, 2L), Duration.ofMillis(30));
        assertThat(e).isInstanceOf(LockNotAvailableException.class);
        assertThat(e.table()).isEqualTo("product");
        assertThat(e.keys()).containsExactly(1L, 2L);
        assertThat(e.waited()).isEqualTo(Duration.ofMillis(30));
        assertThat(e.vendorCode()).isEqualTo(1205);
    }

    @Test
    void lockContextIsCopiedAndAbsentFromTheTranslatorsForm() {
        List<Object> keys = new ArrayList<>(List.of(1L));
        LockNotAvailableException e = new LockNotAvailableException("m", sql, "55P03", 0, "t", keys, null);
        keys.add(2L);
        assertThat(e.keys()).containsExactly(1L);

        LockNotAvailableException plain = new LockNotAvailableException("m", sql, "55P03", 0);
        assertThat(plain.table()).isNull();
        assertThat(plain.keys()).isEmpty();
        assertThat(plain.waited()).isNull();
    }

    @Test
    void duplicateKeyNamesTheConstraint() {
        assertThat(new DuplicateKeyException("m", sql, "23505", 0, "uq_email").constraint()).isEqualTo("uq_email");
        assertThat(new DuplicateKeyException("m", sql, "23505", 0, null).constraint()).isNull();
    }

    @Test
    void staleVersionSaysWhatWasExpectedAndFound() {
        StaleVersionException e = new StaleVersionException("orders", 42L, 3L, 5L);
        assertThat(e).hasMessage("stale version in orders for key 42: expected version 3 but found 5");
        assertThat(e.table()).isEqualTo("orders");
        assertThat(e.key()).isEqualTo(42L);
        assertThat(e.expectedVersion()).isEqualTo(3L);
        assertThat(e.actualVersion()).isEqualTo(5L);
        assertThat(e.rowDeleted()).isFalse();

        StaleVersionException deleted = new StaleVersionException("orders", 42L, 3L, null);
        assertThat(deleted).hasMessage("stale version in orders for key 42: expected version 3 but the row was deleted");
        assertThat(deleted.rowDeleted()).isTrue();
    }

    @Test
    void retriesExhaustedKeepsTheLastFailureAndItsCodes() {
        DeadlockException last = new DeadlockException("deadlock", sql, "40P01", 7);
        RetriesExhaustedException e = new RetriesExhaustedException(1, last);
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.lastFailure()).isSameAs(last);
        assertThat(e).hasCause(last).hasMessageStartingWith("gave up after 1 attempt: ");
        assertThat(e.sqlState()).isEqualTo("40P01");
        assertThat(e.vendorCode()).isEqualTo(7);

        RetriesExhaustedException plain = new RetriesExhaustedException(2, new IllegalStateException("x"));
        assertThat(plain.sqlState()).isNull();
        assertThat(plain.vendorCode()).isZero();
        assertThat(plain).hasMessage("gave up after 2 attempts: java.lang.IllegalStateException: x");
    }

    @Test
    void idempotencyExceptionsNameScopeAndKey() {
        IdempotencyKeyInUseException inUse = new IdempotencyKeyInUseException("payments", "k1");
        assertThat(inUse.scope()).isEqualTo("payments");
        assertThat(inUse.key()).isEqualTo("k1");
        assertThat(inUse).hasMessageContaining("payments/k1");
        IdempotencyKeyReusedException reused = new IdempotencyKeyReusedException("payments", "k1");
        assertThat(reused.scope()).isEqualTo("payments");
        assertThat(reused.key()).isEqualTo("k1");
    }

    @Test
    void theNoneListenerAcceptsEveryCallbackAndDoesNothing() {
        ConcurrencyListener none = ConcurrencyListener.NONE;
        assertThatCode(() -> {
            none.onRetry(new RetryEvent(1, new IllegalStateException(), Duration.ZERO));
            none.onConflict(null, null, new DeadlockException("m", null, null, 0));
            none.onLockWait("t", List.of(1), Duration.ZERO, true);
            none.onIdempotencyReplay("s", "k");
        }).doesNotThrowAnyException();
    }
}

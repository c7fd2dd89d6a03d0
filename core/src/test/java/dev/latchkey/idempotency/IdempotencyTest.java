package dev.latchkey.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.latchkey.ConcurrencyListener;
import dev.latchkey.idempotency.contract.ManualClock;
import dev.latchkey.idempotency.memory.InMemoryIdempotencyStore;
import dev.latchkey.retry.RetryPolicy;
import org.junit.jupiter.api.Test;

/** The executor's own decisions, on the in-memory store and a manual clock (the contract covers the rest). */
class IdempotencyTest {
    private static final Fingerprint FP = Fingerprint.sha256("request");
    private final ManualClock clock = new ManualClock();
    private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().clock(clock).build();
    private final IdempotencyKey key = IdempotencyKey.of("test", "k1");

    @Test
    void anErrorFromTheWorkReleasesTheKeyAndPropagates() {
        Idempotency idempotency = store.executor(IdempotencyPolicy.defaults());
        AssertionError error = new AssertionError("bug");
        assertThatThrownBy(() -> idempotency.execute(key, FP, () -> {
            throw error;
        })).isSameAs(error);
        assertThat(store.find(key)).isEmpty();
    }

    @Test
    void aResultTheCodecEncodesAsAFailureIsThrownToTheFirstCallerAsToReplays() {
        // issue 12 item 9: the first caller got the result as fresh, replays a ReplayedFailureException
        Idempotency idempotency = store.executor(IdempotencyPolicy.defaults());
        StoredResponse declined = StoredResponse.failure(402, "text/plain", new byte[] {'n', 'o'});
        int[] runs = new int[1];
        ReplayedFailureException first = catchThrowableOfType(ReplayedFailureException.class, () -> idempotency.execute(key, FP,
                ResponseCodec.identity(), () -> {
                    runs[0]++;
                    return declined;
                }));
        ReplayedFailureException replay = catchThrowableOfType(ReplayedFailureException.class, () -> idempotency.execute(key, FP,
                ResponseCodec.identity(), () -> {
                    runs[0]++;
                    return declined;
                }));
        assertThat(runs[0]).isEqualTo(1);
        assertThat(first).as("the first caller").isNotNull();
        assertThat(replay).as("a replay").isNotNull();
        assertThat(first.response()).isEqualTo(replay.response()).isEqualTo(declined);
    }

    @Test
    void workWhoseResultCannotBeRecordedSaysSoWithItsResult() {
        // issue 12 item 7: the store's failure escaped as if the work had failed (a transient one,
        // inviting a retry), and the work ran again after the lease
        IllegalStateException unreachable = new IllegalStateException("store unreachable");
        Idempotency idempotency = new CompletingStore(store, () -> {
            throw unreachable;
        }).executor(IdempotencyPolicy.defaults());
        ResultNotRecordedException e = catchThrowableOfType(ResultNotRecordedException.class,
                () -> idempotency.execute(key, FP, ResponseCodec.text(201, null), () -> "charged"));
        assertThat(e).as("thrown").isNotNull().isInstanceOf(dev.latchkey.ConcurrencyException.class);
        assertThat(e.isTransient()).isFalse();
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.result()).isEqualTo("charged");
        assertThat(e.response().bodyAsText()).isEqualTo("charged");
        assertThat(e.getCause()).isSameAs(unreachable);
        assertThat(store.find(key)).as("still claimed until the lease lapses").isPresent();
    }

    @Test
    void anInterruptDuringTheWorkDoesNotStopTheResultBeingRecorded() {
        // issue 12 item 7: a store that cannot be reached from an interrupted thread (a pool's wait)
        InMemoryIdempotencyStore inner = store;
        Idempotency idempotency = new CompletingStore(inner, () -> {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted while waiting for a connection");
            }
        }).executor(IdempotencyPolicy.defaults());
        try {
            IdempotentResult<String> r = idempotency.execute(key, FP, ResponseCodec.text(201, null), () -> {
                Thread.currentThread().interrupt();
                return "charged";
            });
            assertThat(r.value()).isEqualTo("charged");
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(idempotency.execute(key, FP, ResponseCodec.text(201, null), () -> "again").value())
                .as("replayed, not run again").isEqualTo("charged");
    }

    @Test
    void aPolicyAllowingLargerResponsesThanTheStoreHoldsIsRefusedWhenTheExecutorIsBuilt() {
        // issue 12 item 7: the store refused the oversize response only in complete, after the work ran
        CompletingStore small = new CompletingStore(store, () -> { }) {
            @Override
            public int maxResponseBytes() {
                return 1000;
            }
        };
        assertThatThrownBy(() -> small.executor(IdempotencyPolicy.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(IdempotencyPolicy.DEFAULT_MAX_RESPONSE_BYTES))
                .hasMessageContaining("1000");
        Idempotency fits = small.executor(IdempotencyPolicy.builder().maxResponseBytes(1000).build());
        assertThatThrownBy(() -> fits.withPolicy(IdempotencyPolicy.builder().maxResponseBytes(1001).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1001");
    }

    @Test
    void aCodecThatFailsToEncodeReleasesTheKey() {
        ResponseCodec<String> broken = new ResponseCodec<>() {
            @Override
            public StoredResponse encode(String value) {
                throw new IllegalStateException("cannot encode");
            }

            @Override
            public String decode(StoredResponse response) {
                return response.bodyAsText();
            }
        };
        assertThatThrownBy(() -> store.executor(IdempotencyPolicy.defaults()).execute(key, FP, broken, () -> "v"))
                .hasMessage("cannot encode");
        assertThat(store.find(key)).isEmpty();
    }

    @Test
    void aFailureCodecThatThrowsReleasesTheKeyAndKeepsTheOriginalFailure() {
        IdempotencyPolicy policy = IdempotencyPolicy.builder().storeFailures((k, e) -> {
            throw new IllegalStateException("encoder broke");
        }).build();
        IllegalArgumentException original = new IllegalArgumentException("original");
        assertThatThrownBy(() -> store.executor(policy).execute(key, FP, () -> {
            throw original;
        })).isSameAs(original).satisfies(e -> assertThat(e.getSuppressed()[0]).hasMessage("encoder broke"));
        assertThat(store.find(key)).isEmpty();
    }

    @Test
    void aListenerThatThrowsDoesNotChangeTheOutcome() {
        Idempotency idempotency = store.executor(IdempotencyPolicy.defaults()).withListener(new ConcurrencyListener() {
            @Override
            public void onIdempotencyReplay(String scope, String k) {
                throw new IllegalStateException("listener bug");
            }
        });
        idempotency.execute(key, FP, () -> StoredResponse.ofText(200, null, "a"));
        assertThat(idempotency.execute(key, FP, () -> StoredResponse.ofText(200, null, "b")).value().bodyAsText())
                .isEqualTo("a");
    }

    @Test
    void aWaitingDuplicateTakesOverWhenTheLeaseLapsesDuringItsWait() {
        store.claim(key, FP, Duration.ofSeconds(30), Duration.ofHours(1));
        List<Long> sleeps = new ArrayList<>();
        RetryPolicy polling = RetryPolicy.builder().maxAttempts(100).backoff(Duration.ofSeconds(10),
                Duration.ofSeconds(10), 1.0).random(() -> 0.999).sleeper(nanos -> {
                    sleeps.add(nanos);
                    clock.advance(Duration.ofNanos(nanos));
                }).build();
        Idempotency idempotency = store.executor(IdempotencyPolicy.builder().waitWhenInProgress(polling).build());
        IdempotentResult<StoredResponse> r = idempotency.execute(key, FP, () -> StoredResponse.ofText(200, null, "mine"));
        assertThat(r.isFresh()).isTrue();
        assertThat(sleeps).hasSize(4); // 9.99 s each on the manual clock: the 30 s lease lapsed during the 4th
        assertThat(store.find(key).orElseThrow().attempt()).isEqualTo(2);
    }

    @Test
    void aWaitingDuplicateStopsAfterTheAttemptsOfItsPolicy() {
        store.claim(key, FP, Duration.ofMinutes(30), Duration.ofHours(1));
        RetryPolicy polling = RetryPolicy.builder().maxAttempts(4).noBackoff().sleeper(nanos -> { }).build();
        Idempotency idempotency = store.executor(IdempotencyPolicy.builder().waitWhenInProgress(polling).build());
        assertThatThrownBy(() -> idempotency.execute(key, FP, () -> StoredResponse.of(new byte[0])))
                .isInstanceOf(IdempotencyKeyInUseException.class);
    }

    @Test
    void executorsAreImmutable() {
        Idempotency a = store.executor(IdempotencyPolicy.defaults());
        Idempotency b = a.withPolicy(IdempotencyPolicy.builder().lease(Duration.ofSeconds(1)).build());
        assertThat(a.policy()).isSameAs(IdempotencyPolicy.defaults());
        assertThat(b.policy().lease()).isEqualTo(Duration.ofSeconds(1));
        // the same store: what b completes, the store holds (Idempotency no longer exposes its store)
        b.execute(key, FP, () -> StoredResponse.of(new byte[0]));
        assertThat(store.find(key)).isPresent();
        assertThatThrownBy(() -> a.execute(key, FP, null)).isInstanceOf(NullPointerException.class);
    }

    /** The in-memory store, running a hook before each completion. */
    private static class CompletingStore implements dev.latchkey.idempotency.spi.IdempotencyStore {
        private final InMemoryIdempotencyStore inner;
        private final Runnable beforeComplete;

        CompletingStore(InMemoryIdempotencyStore inner, Runnable beforeComplete) {
            this.inner = inner;
            this.beforeComplete = beforeComplete;
        }

        @Override
        public dev.latchkey.idempotency.spi.ClaimResult claim(IdempotencyKey k, Fingerprint f, Duration lease,
                                                             Duration retention) {
            return inner.claim(k, f, lease, retention);
        }

        @Override
        public dev.latchkey.idempotency.spi.FenceOutcome complete(IdempotencyKey k,
                                                                 dev.latchkey.idempotency.spi.OwnerToken owner,
                                                                 StoredResponse response, Duration retention) {
            beforeComplete.run();
            return inner.complete(k, owner, response, retention);
        }

        @Override
        public dev.latchkey.idempotency.spi.FenceOutcome release(IdempotencyKey k,
                                                                dev.latchkey.idempotency.spi.OwnerToken owner) {
            return inner.release(k, owner);
        }

        @Override
        public java.util.Optional<dev.latchkey.idempotency.spi.IdempotencyRecord> find(IdempotencyKey k) {
            return inner.find(k);
        }

        @Override
        public int purgeExpired(int limit) {
            return inner.purgeExpired(limit);
        }
    }
}

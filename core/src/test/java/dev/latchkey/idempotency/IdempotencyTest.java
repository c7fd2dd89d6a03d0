package dev.latchkey.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}

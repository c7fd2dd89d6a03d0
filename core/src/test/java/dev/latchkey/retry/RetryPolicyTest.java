package dev.latchkey.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

import dev.latchkey.CommitOutcomeUnknownException;
import dev.latchkey.DeadlockException;
import dev.latchkey.DuplicateKeyException;
import dev.latchkey.RetriesExhaustedException;
import dev.latchkey.RetryEvent;
import dev.latchkey.SerializationFailureException;
import dev.latchkey.StaleVersionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Deterministic tests of {@link RetryPolicy}: the clock, the random source and the sleeper are
 * fakes, so every schedule is exact and nothing sleeps.
 */
class RetryPolicyTest {

    private static final long MS = 1_000_000L;

    /** A fake monotonic clock advanced by the fake sleeper and by the work itself. */
    private final long[] now = {1_000 * MS};
    private final List<Long> sleeps = new ArrayList<>();
    private final Sleeper fakeSleeper = nanos -> {
        sleeps.add(nanos);
        now[0] += nanos;
    };

    @AfterEach
    void clearInterruptFlag() {
        // a test that leaves the flag set must not poison the next one
        Thread.interrupted();
    }

    private RetryPolicy.Builder fake(double random) {
        return RetryPolicy.builder().nanoClock(() -> now[0]).random(() -> random).sleeper(fakeSleeper);
    }

    private static DeadlockException deadlock(int n) {
        return new DeadlockException("deadlock " + n, null, "40P01", 0);
    }

    @Nested
    class Attempts {

        @Test
        void retriesATransientFailureUntilTheWorkSucceeds() {
            RetryPolicy policy = fake(0.5).maxAttempts(5).build();
            List<Integer> seen = new ArrayList<>();

            String result = policy.execute(attempt -> {
                seen.add(attempt);
                if (attempt < 3) {
                    throw deadlock(attempt);
                }
                return "done";
            });

            assertThat(result).isEqualTo("done");
            assertThat(seen).containsExactly(1, 2, 3);
            assertThat(sleeps).hasSize(2);
        }

        @Test
        void givesUpAfterMaxAttemptsWithTheLastFailureAsCauseAndEarlierOnesSuppressed() {
            RetryPolicy policy = fake(0.5).maxAttempts(3).build();
            List<DeadlockException> thrown = new ArrayList<>();

            assertThatThrownBy(() -> policy.execute(attempt -> {
                DeadlockException e = deadlock(attempt);
                thrown.add(e);
                throw e;
            })).isInstanceOfSatisfying(RetriesExhaustedException.class, e -> {
                assertThat(e.attempts()).isEqualTo(3);
                assertThat(e.getCause()).isSameAs(thrown.get(2));
                assertThat(e.lastFailure()).isSameAs(thrown.get(2));
                assertThat(e.getSuppressed()).containsExactly(thrown.get(0), thrown.get(1));
                assertThat(e.isTransient()).isFalse();
                assertThat(e.sqlState()).isEqualTo("40P01");
                assertThat(e.getMessage()).startsWith("gave up after 3 attempts: ");
            });
            assertThat(thrown).hasSize(3);
            assertThat(sleeps).hasSize(2);
        }

        @Test
        void keepsAtMostMaxSuppressedEarlierFailuresOldestFirst() {
            RetryPolicy policy = fake(0.0).maxAttempts(10).build();
            List<DeadlockException> thrown = new ArrayList<>();

            assertThatThrownBy(() -> policy.execute(attempt -> {
                DeadlockException e = deadlock(attempt);
                thrown.add(e);
                throw e;
            })).isInstanceOfSatisfying(RetriesExhaustedException.class, e -> {
                assertThat(e.attempts()).isEqualTo(10);
                assertThat(e.getCause()).isSameAs(thrown.get(9));
                assertThat(e.getSuppressed()).hasSize(RetryPolicy.MAX_SUPPRESSED)
                        .containsExactly(thrown.subList(0, RetryPolicy.MAX_SUPPRESSED).toArray(new Throwable[0]));
            });
        }

        @Test
        void doesNotSuppressTheLastFailureWhenTheWorkThrowsTheSameInstanceEveryTime() {
            RetryPolicy policy = fake(0.0).maxAttempts(3).build();
            DeadlockException same = deadlock(0);

            assertThatThrownBy(() -> policy.execute(attempt -> {
                throw same;
            })).isInstanceOfSatisfying(RetriesExhaustedException.class, e -> {
                assertThat(e.getCause()).isSameAs(same);
                assertThat(e.getSuppressed()).isEmpty();
            });
        }

        @Test
        void aSingleAttemptPolicyRethrowsTheFailureUnwrapped() {
            AtomicInteger calls = new AtomicInteger();
            DeadlockException failure = deadlock(1);

            assertThatThrownBy(() -> RetryPolicy.none().execute(attempt -> {
                calls.incrementAndGet();
                throw failure;
            })).isSameAs(failure);
            assertThat(calls).hasValue(1);
            assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
        }

        @Test
        void returnsTheFirstResultWithoutSleeping() {
            RetryPolicy policy = fake(0.5).build();
            assertThat(policy.<Integer>execute(attempt -> attempt)).isEqualTo(1);
            assertThat(sleeps).isEmpty();
        }

        @Test
        void mayReturnNull() {
            assertThat(fake(0.5).build().<Object>execute(attempt -> null)).isNull();
        }

        @Test
        void aNestedRetriesExhaustedExceptionIsPassedOnNotWrappedTwice() {
            RetryPolicy inner = fake(0.0).maxAttempts(2).build();
            RetryPolicy outer = fake(0.0).maxAttempts(2).alsoRetryOn(RetriesExhaustedException.class).build();
            AtomicInteger calls = new AtomicInteger();

            assertThatThrownBy(() -> outer.execute(o -> inner.execute(i -> {
                throw deadlock(calls.incrementAndGet());
            }))).isInstanceOfSatisfying(RetriesExhaustedException.class, e -> {
                assertThat(e.getCause()).isInstanceOf(DeadlockException.class);
                assertThat(e.attempts()).isEqualTo(2);
            });
            assertThat(calls).hasValue(4);
        }
    }

    @Nested
    class Backoff {

        @Test
        void theBoundGrowsByTheMultiplierUpToTheCap() {
            RetryPolicy policy = RetryPolicy.builder()
                    .backoff(Duration.ofMillis(10), Duration.ofMillis(1000), 2.0).build();

            assertThat(policy.backoffBoundNanos(1)).isEqualTo(10 * MS);
            assertThat(policy.backoffBoundNanos(2)).isEqualTo(20 * MS);
            assertThat(policy.backoffBoundNanos(3)).isEqualTo(40 * MS);
            assertThat(policy.backoffBoundNanos(7)).isEqualTo(640 * MS);
            assertThat(policy.backoffBoundNanos(8)).isEqualTo(1000 * MS);
            assertThat(policy.backoffBoundNanos(1_000)).isEqualTo(1000 * MS);
            assertThat(policy.backoffBoundNanos(Integer.MAX_VALUE)).isEqualTo(1000 * MS);
        }

        @Test
        void aMultiplierOfOneKeepsTheBoundConstant() {
            RetryPolicy policy = RetryPolicy.builder()
                    .backoff(Duration.ofMillis(7), Duration.ofMillis(100), 1.0).build();
            for (int n = 1; n <= 20; n++) {
                assertThat(policy.backoffBoundNanos(n)).isEqualTo(7 * MS);
            }
        }

        @Test
        void aFractionalMultiplierGrowsGeometrically() {
            RetryPolicy policy = RetryPolicy.builder()
                    .backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 1.5).build();
            assertThat(policy.backoffBoundNanos(2)).isEqualTo(150 * MS);
            assertThat(policy.backoffBoundNanos(3)).isEqualTo(225 * MS);
        }

        @Test
        void fullJitterScalesTheBoundByTheRandomDrawAndStaysBelowIt() {
            RetryPolicy policy = RetryPolicy.builder()
                    .backoff(Duration.ofMillis(10), Duration.ofMillis(1000), 2.0).build();

            assertThat(policy.delayNanos(1, 0.0)).isZero();
            assertThat(policy.delayNanos(1, 0.5)).isEqualTo(5 * MS);
            assertThat(policy.delayNanos(3, 0.25)).isEqualTo(10 * MS);
            assertThat(policy.delayNanos(20, 0.5)).isEqualTo(500 * MS);
            double justBelowOne = Math.nextDown(1.0);
            for (int n = 1; n <= 12; n++) {
                assertThat(policy.delayNanos(n, justBelowOne))
                        .isBetween(0L, policy.backoffBoundNanos(n))
                        .isGreaterThanOrEqualTo(policy.backoffBoundNanos(n) - 1);
            }
        }

        @Test
        void delayIsPureForTheSameInputs() {
            RetryPolicy policy = RetryPolicy.defaults();
            assertThat(policy.delayNanos(4, 0.3)).isEqualTo(policy.delayNanos(4, 0.3));
        }

        @Test
        void theSleepsOfARunAreTheJitteredBoundsOfEachFailedAttempt() {
            double[] draws = {0.5, 0.25, 0.75, 0.1};
            int[] next = {0};
            DoubleSupplier random = () -> draws[next[0]++];
            RetryPolicy policy = RetryPolicy.builder().nanoClock(() -> now[0]).random(random).sleeper(fakeSleeper)
                    .maxAttempts(5).backoff(Duration.ofMillis(100), Duration.ofMillis(300), 2.0).build();

            assertThatThrownBy(() -> policy.execute(attempt -> {
                throw deadlock(attempt);
            })).isInstanceOf(RetriesExhaustedException.class);

            // bounds 100, 200, 300 (capped), 300 ms
            assertThat(sleeps).containsExactly(50 * MS, 50 * MS, 225 * MS, 30 * MS);
        }

        @Test
        void noBackoffRetriesAtOnce() {
            RetryPolicy policy = fake(0.9).noBackoff().maxAttempts(3).build();
            assertThatThrownBy(() -> policy.execute(attempt -> {
                throw deadlock(attempt);
            })).isInstanceOf(RetriesExhaustedException.class);
            assertThat(sleeps).containsExactly(0L, 0L);
            assertThat(policy.backoffBoundNanos(50)).isZero();
        }

        @Test
        void aZeroInitialDelayWithAMultiplierStaysZero() {
            RetryPolicy policy = RetryPolicy.builder().backoff(Duration.ZERO, Duration.ofSeconds(1), 3.0).build();
            assertThat(policy.backoffBoundNanos(1)).isZero();
            assertThat(policy.backoffBoundNanos(10_000)).isZero();
        }

        @Test
        void aRandomSourceOutsideZeroToOneIsRejected() {
            RetryPolicy policy = RetryPolicy.defaults();
            assertThatThrownBy(() -> policy.delayNanos(1, 1.0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("random01 must be in [0, 1): random01=1.0");
            assertThatThrownBy(() -> policy.delayNanos(1, -0.1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("random01 must be in [0, 1): random01=-0.1");
            assertThatThrownBy(() -> policy.delayNanos(1, Double.NaN))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("random01 must be in [0, 1): random01=NaN");
            assertThatThrownBy(() -> policy.backoffBoundNanos(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("failedAttempts must be >= 1: failedAttempts=0");
        }
    }

    @Nested
    class TimeBudget {

        @Test
        void stopsWhenTheNextAttemptWouldStartAfterTheBudget() {
            RetryPolicy policy = fake(0.0).maxAttempts(100).noBackoff().maxDuration(Duration.ofMillis(100)).build();
            AtomicInteger calls = new AtomicInteger();

            assertThatThrownBy(() -> policy.execute(attempt -> {
                calls.incrementAndGet();
                now[0] += 30 * MS; // each attempt takes 30 ms
                throw deadlock(attempt);
            })).isInstanceOfSatisfying(RetriesExhaustedException.class, e -> assertThat(e.attempts()).isEqualTo(4));
            // attempts end at 30, 60, 90 (all retried) and 120 ms (over budget)
            assertThat(calls).hasValue(4);
        }

        @Test
        void countsTheBackoffAgainstTheBudget() {
            RetryPolicy policy = fake(0.5).maxAttempts(100)
                    .backoff(Duration.ofMillis(100), Duration.ofMillis(100), 1.0)
                    .maxDuration(Duration.ofMillis(120)).build();
            AtomicInteger calls = new AtomicInteger();

            assertThatThrownBy(() -> policy.execute(attempt -> {
                calls.incrementAndGet();
                throw deadlock(attempt);
            })).isInstanceOf(RetriesExhaustedException.class);
            // sleep 50 (ends at 50), sleep 50 (ends at 100), a third would end at 150 > 120
            assertThat(calls).hasValue(3);
            assertThat(sleeps).containsExactly(50 * MS, 50 * MS);
        }

        @Test
        void aRetryThatEndsExactlyOnTheBudgetIsAllowed() {
            RetryPolicy policy = fake(0.0).maxAttempts(100).noBackoff().maxDuration(Duration.ofMillis(100)).build();
            AtomicInteger calls = new AtomicInteger();
            assertThatThrownBy(() -> policy.execute(attempt -> {
                calls.incrementAndGet();
                now[0] += 50 * MS;
                throw deadlock(attempt);
            })).isInstanceOf(RetriesExhaustedException.class);
            // at 50 retried, at 100 (== budget) retried, at 150 over
            assertThat(calls).hasValue(3);
        }

        @Test
        void withoutABudgetOnlyTheAttemptCountStops() {
            RetryPolicy policy = fake(0.0).maxAttempts(6).noBackoff().build();
            AtomicInteger calls = new AtomicInteger();
            assertThatThrownBy(() -> policy.execute(attempt -> {
                calls.incrementAndGet();
                now[0] += 3_600_000 * MS;
                throw deadlock(attempt);
            })).isInstanceOf(RetriesExhaustedException.class);
            assertThat(calls).hasValue(6);
        }
    }

    @Nested
    class WhichFailuresRetry {

        @Test
        void byDefaultOnlyTransientLatchkeyFailuresRetry() {
            RetryPolicy policy = fake(0.0).build();
            assertThat(policy.isRetryable(deadlock(1))).isTrue();
            assertThat(policy.isRetryable(new SerializationFailureException("x", null, "40001", 0))).isTrue();
            assertThat(policy.isRetryable(new DuplicateKeyException("x", null, "23505", 0, "pk"))).isFalse();
            assertThat(policy.isRetryable(new StaleVersionException("t", 1, 1, 2))).isFalse();
            assertThat(policy.isRetryable(new IllegalStateException())).isFalse();
        }

        @Test
        void aNonRetryableFailureIsRethrownAsIsAfterOneAttempt() {
            RetryPolicy policy = fake(0.0).build();
            DuplicateKeyException dup = new DuplicateKeyException("dup", null, "23505", 0, "pk");
            AtomicInteger calls = new AtomicInteger();

            assertThatThrownBy(() -> policy.execute(attempt -> {
                calls.incrementAndGet();
                throw dup;
            })).isSameAs(dup);
            assertThat(calls).hasValue(1);
            assertThat(sleeps).isEmpty();
        }

        @Test
        void aNonRetryableFailureAfterRetriesIsRethrownAsIs() {
            RetryPolicy policy = fake(0.0).build();
            IllegalStateException bug = new IllegalStateException("bug");
            assertThatThrownBy(() -> policy.execute(attempt -> {
                if (attempt == 1) {
                    throw deadlock(1);
                }
                throw bug;
            })).isSameAs(bug);
        }

        @Test
        void retryIfReplacesThePredicate() {
            RetryPolicy policy = fake(0.0).maxAttempts(3).retryIf(t -> t instanceof IllegalStateException).build();
            assertThat(policy.isRetryable(new IllegalStateException())).isTrue();
            assertThat(policy.isRetryable(deadlock(1))).isFalse();

            AtomicInteger calls = new AtomicInteger();
            assertThat(policy.<String>execute(attempt -> {
                if (calls.incrementAndGet() < 3) {
                    throw new IllegalStateException("not yet");
                }
                return "ok";
            })).isEqualTo("ok");
            assertThat(calls).hasValue(3);
        }

        @Test
        void alsoRetryOnAddsToWhatIsAlreadyRetried() {
            RetryPolicy policy = fake(0.0).alsoRetryOn(StaleVersionException.class).build();
            assertThat(policy.isRetryable(new StaleVersionException("t", 1, 1, 2))).isTrue();
            assertThat(policy.isRetryable(deadlock(1))).isTrue();
            assertThat(policy.isRetryable(new DuplicateKeyException("x", null, null, 0, null))).isFalse();

            RetryPolicy two = fake(0.0).retryIf(t -> false)
                    .alsoRetryOn(IllegalStateException.class).alsoRetryOn(ArithmeticException.class).build();
            assertThat(two.isRetryable(new IllegalStateException())).isTrue();
            assertThat(two.isRetryable(new ArithmeticException())).isTrue();
            assertThat(two.isRetryable(deadlock(1))).isFalse();
        }

        @Test
        void errorsAreNeverRetriedWhateverThePredicateSays() {
            RetryPolicy policy = fake(0.0).retryIf(t -> true).alsoRetryOn(Throwable.class).build();
            assertThat(policy.isRetryable(new AssertionError())).isFalse();
            AtomicInteger calls = new AtomicInteger();
            StackOverflowError error = new StackOverflowError();

            assertThatThrownBy(() -> policy.execute(attempt -> {
                calls.incrementAndGet();
                throw error;
            })).isSameAs(error);
            assertThat(calls).hasValue(1);
        }

        @Test
        void anUnknownCommitOutcomeIsNeverRetriedWhateverThePredicateSays() {
            RetryPolicy policy = fake(0.0).retryIf(t -> true).alsoRetryOn(CommitOutcomeUnknownException.class).build();
            CommitOutcomeUnknownException unknown = new CommitOutcomeUnknownException("lost", null, "08006", 0);
            assertThat(policy.isRetryable(unknown)).isFalse();
            AtomicInteger calls = new AtomicInteger();

            assertThatThrownBy(() -> policy.execute(attempt -> {
                calls.incrementAndGet();
                throw unknown;
            })).isSameAs(unknown);
            assertThat(calls).hasValue(1);
        }
    }

    @Nested
    class Listeners {

        @Test
        void theListenerIsToldBeforeEachRetryWithTheFailureAndTheDelay() {
            List<RetryEvent> events = new ArrayList<>();
            List<String> order = new ArrayList<>();
            RetryPolicy policy = fake(0.5).maxAttempts(3).backoff(Duration.ofMillis(10), Duration.ofSeconds(1), 2.0)
                    .onRetry(e -> {
                        events.add(e);
                        order.add("listener " + e.failedAttempt() + " after " + sleeps.size() + " sleeps");
                    }).build();
            List<DeadlockException> thrown = new ArrayList<>();

            assertThatThrownBy(() -> policy.execute(attempt -> {
                DeadlockException e = deadlock(attempt);
                thrown.add(e);
                throw e;
            })).isInstanceOf(RetriesExhaustedException.class);

            assertThat(events).hasSize(2);
            assertThat(events.get(0).failedAttempt()).isEqualTo(1);
            assertThat(events.get(0).failure()).isSameAs(thrown.get(0));
            assertThat(events.get(0).delay()).isEqualTo(Duration.ofMillis(5));
            assertThat(events.get(1).failedAttempt()).isEqualTo(2);
            assertThat(events.get(1).failure()).isSameAs(thrown.get(1));
            assertThat(events.get(1).delay()).isEqualTo(Duration.ofMillis(10));
            assertThat(order).containsExactly("listener 1 after 0 sleeps", "listener 2 after 1 sleeps");
        }

        @Test
        void aThrowingListenerIsIgnored() {
            AtomicInteger told = new AtomicInteger();
            RetryPolicy policy = fake(0.0).maxAttempts(3).onRetry(e -> {
                told.incrementAndGet();
                throw new IllegalStateException("listener bug");
            }).build();

            String result = policy.execute(attempt -> {
                if (attempt < 3) {
                    throw deadlock(attempt);
                }
                return "ok";
            });

            assertThat(result).isEqualTo("ok");
            assertThat(told).hasValue(2);
        }

        @Test
        void aSecondListenerIsToldAfterThePolicysOwnAndItsFailureIsIgnoredToo() {
            List<String> calls = new ArrayList<>();
            RetryPolicy policy = fake(0.0).maxAttempts(2).onRetry(e -> calls.add("policy " + e.failedAttempt())).build();

            String result = policy.execute(attempt -> {
                if (attempt == 1) {
                    throw deadlock(1);
                }
                return "ok";
            }, e -> {
                calls.add("also " + e.failedAttempt());
                throw new IllegalStateException("ignored");
            });

            assertThat(result).isEqualTo("ok");
            assertThat(calls).containsExactly("policy 1", "also 1");
        }

        @Test
        void bothListenersAreToldOnceWhenThePolicyGivesUpOnAttemptsOrTime() {
            List<String> calls = new ArrayList<>();
            dev.latchkey.RetryListener also = new dev.latchkey.RetryListener() {
                @Override
                public void onRetry(RetryEvent event) {
                }

                @Override
                public void onRetriesExhausted(RetriesExhaustedException exhausted) {
                    calls.add("also " + exhausted.attempts());
                    throw new IllegalStateException("ignored");
                }
            };
            RetryPolicy byAttempts = fake(0.0).maxAttempts(3).onRetry(new dev.latchkey.RetryListener() {
                @Override
                public void onRetry(RetryEvent event) {
                    calls.add("retry " + event.failedAttempt());
                }

                @Override
                public void onRetriesExhausted(RetriesExhaustedException exhausted) {
                    calls.add("policy " + exhausted.attempts() + " " + exhausted.getCause().getMessage());
                }
            }).build();
            assertThatThrownBy(() -> byAttempts.execute(attempt -> {
                throw deadlock(attempt);
            }, also)).isInstanceOf(RetriesExhaustedException.class);
            assertThat(calls).containsExactly("retry 1", "retry 2", "policy 3 deadlock 3", "also 3");

            calls.clear();
            RetryPolicy byTime = fake(0.0).maxAttempts(100).noBackoff().maxDuration(Duration.ofMillis(100)).build();
            assertThatThrownBy(() -> byTime.execute(attempt -> {
                now[0] += 40 * MS;
                throw deadlock(attempt);
            }, also)).isInstanceOf(RetriesExhaustedException.class);
            assertThat(calls).containsExactly("also 3");

            calls.clear();
            assertThatThrownBy(() -> byAttempts.execute(attempt -> {
                throw new DuplicateKeyException("dup", null, null, 0, null);
            }, also)).isInstanceOf(DuplicateKeyException.class);
            assertThat(calls).as("not retryable: nothing was exhausted").isEmpty();
        }

        @Test
        void noListenerCallWhenThereIsNoRetry() {
            AtomicInteger told = new AtomicInteger();
            RetryPolicy policy = fake(0.0).maxAttempts(2).onRetry(e -> told.incrementAndGet()).build();
            assertThatThrownBy(() -> policy.execute(attempt -> {
                throw new DuplicateKeyException("dup", null, null, 0, null);
            }, e -> told.incrementAndGet())).isInstanceOf(DuplicateKeyException.class);
            assertThatThrownBy(() -> policy.execute(attempt -> {
                throw deadlock(attempt);
            })).isInstanceOf(RetriesExhaustedException.class);
            assertThat(told).hasValue(1);
        }
    }

    @Nested
    class Interruption {

        @Test
        void anInterruptDuringTheBackoffStopsRetryingAndKeepsTheFlag() {
            RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).sleeper(nanos -> {
                throw new InterruptedException("stop");
            }).build();
            AtomicInteger calls = new AtomicInteger();
            DeadlockException failure = deadlock(1);

            assertThatThrownBy(() -> policy.execute(attempt -> {
                calls.incrementAndGet();
                throw failure;
            })).isSameAs(failure);

            assertThat(calls).hasValue(1);
            assertThat(failure.getSuppressed()).singleElement().isInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        }

        @Test
        void anInterruptedThreadDoesNotStartAnotherAttempt() {
            RetryPolicy policy = fake(0.0).maxAttempts(5).noBackoff().build();
            AtomicInteger calls = new AtomicInteger();
            DeadlockException failure = deadlock(1);

            assertThatThrownBy(() -> policy.execute(attempt -> {
                calls.incrementAndGet();
                Thread.currentThread().interrupt();
                throw failure;
            })).isSameAs(failure);

            assertThat(calls).hasValue(1);
            assertThat(sleeps).isEmpty();
            assertThat(failure.getSuppressed()).singleElement().isInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        }

        @Test
        void theRealSleeperSleepsAndIsInterruptible() {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> Sleeper.THREAD_SLEEP.sleep(60_000 * MS)).isInstanceOf(InterruptedException.class);
        }

        @Test
        void theRealSleeperReturnsAtOnceForZero() throws InterruptedException {
            Thread.currentThread().interrupt();
            Sleeper.THREAD_SLEEP.sleep(0); // does not touch Thread.sleep, so no InterruptedException
            assertThat(Thread.interrupted()).isTrue();
        }
    }

    @Nested
    class Configuration {

        @Test
        void defaults() {
            RetryPolicy d = RetryPolicy.defaults();
            assertThat(d.maxAttempts()).isEqualTo(5);
            assertThat(d.initialDelay()).isEqualTo(Duration.ofMillis(10));
            assertThat(d.maxDelay()).isEqualTo(Duration.ofSeconds(1));
            assertThat(d.multiplier()).isEqualTo(2.0);
            assertThat(d.maxDuration()).isNull();
            assertThat(d.isRetryable(deadlock(1))).isTrue();
            assertThat(d.toString())
                    .isEqualTo("RetryPolicy[maxAttempts=5, initialDelay=PT0.01S, maxDelay=PT1S, multiplier=2.0, maxDuration=null]");
        }

        @Test
        void aBuiltPolicyDoesNotChangeWhenItsBuilderDoes() {
            RetryPolicy.Builder b = RetryPolicy.builder().maxAttempts(3);
            RetryPolicy first = b.build();
            b.maxAttempts(9).maxDuration(Duration.ofSeconds(1)).retryIf(t -> true);
            assertThat(first.maxAttempts()).isEqualTo(3);
            assertThat(first.maxDuration()).isNull();
            assertThat(first.isRetryable(new IllegalStateException())).isFalse();
        }

        @Test
        void toBuilderDerivesAVariantAndLeavesTheOriginal() {
            RetryPolicy base = fake(0.0).maxAttempts(4).backoff(Duration.ofMillis(1), Duration.ofMillis(8), 3.0)
                    .maxDuration(Duration.ofSeconds(2)).alsoRetryOn(StaleVersionException.class).build();
            RetryPolicy variant = base.toBuilder().maxAttempts(7).build();

            assertThat(variant.maxAttempts()).isEqualTo(7);
            assertThat(variant.initialDelay()).isEqualTo(Duration.ofMillis(1));
            assertThat(variant.maxDelay()).isEqualTo(Duration.ofMillis(8));
            assertThat(variant.multiplier()).isEqualTo(3.0);
            assertThat(variant.maxDuration()).isEqualTo(Duration.ofSeconds(2));
            assertThat(variant.isRetryable(new StaleVersionException("t", 1, 1, 2))).isTrue();
            assertThat(base.maxAttempts()).isEqualTo(4);

            // the injected sleeper survives toBuilder
            assertThatThrownBy(() -> variant.execute(attempt -> {
                throw deadlock(attempt);
            })).isInstanceOf(RetriesExhaustedException.class);
            assertThat(sleeps).hasSize(6);
        }

        @Test
        void maxDurationCanBeCleared() {
            RetryPolicy p = RetryPolicy.builder().maxDuration(Duration.ofSeconds(1)).maxDuration(null).build();
            assertThat(p.maxDuration()).isNull();
        }

        @Test
        void argumentsAreCheckedWithMessagesNamingTheArgumentAndTheValue() {
            RetryPolicy.Builder b = RetryPolicy.builder();
            assertThatThrownBy(() -> b.maxAttempts(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxAttempts must be >= 1: maxAttempts=0");
            assertThatThrownBy(() -> b.maxAttempts(-3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxAttempts must be >= 1: maxAttempts=-3");
            assertThatThrownBy(() -> b.backoff(Duration.ofMillis(-1), Duration.ofMillis(1), 2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("initialDelay must be >= 0: initialDelay=PT-0.001S");
            assertThatThrownBy(() -> b.backoff(Duration.ofMillis(10), Duration.ofMillis(5), 2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxDelay must be >= initialDelay: maxDelay=PT0.005S, initialDelay=PT0.01S");
            assertThatThrownBy(() -> b.backoff(Duration.ZERO, Duration.ofDays(365L * 300), 2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("maxDelay must fit in a long of nanoseconds");
            assertThatThrownBy(() -> b.backoff(Duration.ZERO, Duration.ZERO, 0.5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("multiplier must be a finite number >= 1: multiplier=0.5");
            assertThatThrownBy(() -> b.backoff(Duration.ZERO, Duration.ZERO, Double.NaN))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("multiplier must be a finite number >= 1: multiplier=NaN");
            assertThatThrownBy(() -> b.backoff(Duration.ZERO, Duration.ZERO, Double.POSITIVE_INFINITY))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("multiplier must be a finite number >= 1: multiplier=Infinity");
            assertThatThrownBy(() -> b.maxDuration(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxDuration must be > 0: maxDuration=PT0S");
            assertThatThrownBy(() -> b.maxDuration(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxDuration must be > 0: maxDuration=PT-1S");
            assertThatThrownBy(() -> b.maxDuration(Duration.ofDays(365L * 300)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("maxDuration must fit in a long of nanoseconds");

            assertThatThrownBy(() -> b.backoff(null, Duration.ZERO, 1)).isInstanceOf(NullPointerException.class)
                    .hasMessage("initialDelay");
            assertThatThrownBy(() -> b.backoff(Duration.ZERO, null, 1)).isInstanceOf(NullPointerException.class)
                    .hasMessage("maxDelay");
            assertThatThrownBy(() -> b.retryIf(null)).isInstanceOf(NullPointerException.class).hasMessage("retryIf");
            assertThatThrownBy(() -> b.alsoRetryOn(null)).isInstanceOf(NullPointerException.class).hasMessage("type");
            assertThatThrownBy(() -> b.onRetry(null)).isInstanceOf(NullPointerException.class).hasMessage("listener");
            assertThatThrownBy(() -> b.nanoClock(null)).isInstanceOf(NullPointerException.class).hasMessage("nanoClock");
            assertThatThrownBy(() -> b.random(null)).isInstanceOf(NullPointerException.class).hasMessage("random");
            assertThatThrownBy(() -> b.sleeper(null)).isInstanceOf(NullPointerException.class).hasMessage("sleeper");
            assertThatThrownBy(() -> RetryPolicy.defaults().execute(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("work");

            // a rejected call leaves the builder as it was
            RetryPolicy p = b.build();
            assertThat(p.maxAttempts()).isEqualTo(5);
            assertThat(p.maxDuration()).isNull();
        }

        @Test
        void retryEventChecksItsComponents() {
            assertThatThrownBy(() -> new RetryEvent(0, deadlock(1), Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("failedAttempt must be >= 1: failedAttempt=0");
            assertThatThrownBy(() -> new RetryEvent(1, null, Duration.ZERO))
                    .isInstanceOf(NullPointerException.class).hasMessage("failure");
            assertThatThrownBy(() -> new RetryEvent(1, deadlock(1), null))
                    .isInstanceOf(NullPointerException.class).hasMessage("delay");
        }
    }
}

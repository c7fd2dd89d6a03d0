package dev.latchkey.idempotency;

import java.time.Duration;
import java.util.Objects;

import dev.latchkey.retry.RetryPolicy;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * How an idempotency executor treats keys: how long a claim's lease lasts, how long a
 * completed key is remembered, what a duplicate does while the first request is still in
 * progress, what happens to a failed attempt, and how large a stored response may be.
 *
 * <p>An immutable, thread-safe value built with {@link #builder()}. Defaults: lease 60 s,
 * retention 24 h, a duplicate of an in-progress request is rejected at once
 * ({@link IdempotencyKeyInUseException}, HTTP 409), a failure releases the key, responses up to
 * 1 MiB.
 */
public final class IdempotencyPolicy {
    /** The default largest stored response: 1 MiB. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;

    /** The longest lease or retention a policy or a store accepts: ten years (365 days each). */
    public static final Duration MAX_RETENTION = Duration.ofDays(3650);

    private static final IdempotencyPolicy DEFAULTS = builder().build();

    private final Duration lease;
    private final Duration retention;
    private final @Nullable RetryPolicy inProgressWait;
    private final @Nullable FailureCodec failureCodec;
    private final int maxResponseBytes;
    private final @Nullable Duration leaseRenewal;

    private IdempotencyPolicy(Builder b) {
        this.lease = b.lease;
        this.retention = b.retention;
        this.inProgressWait = b.inProgressWait;
        this.failureCodec = b.failureCodec;
        this.maxResponseBytes = b.maxResponseBytes;
        this.leaseRenewal = b.leaseRenewal;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static @NotNull Builder builder() {
        return new Builder();
    }

    /**
     * Returns the default policy.
     *
     * @return the default policy
     */
    public static @NotNull IdempotencyPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a builder holding this policy's settings, to derive a variant.
     *
     * @return a builder holding this policy's settings, to derive a variant
     */
    public @NotNull Builder toBuilder() {
        Builder b = new Builder();
        b.lease = lease;
        b.retention = retention;
        b.inProgressWait = inProgressWait;
        b.failureCodec = failureCodec;
        b.maxResponseBytes = maxResponseBytes;
        b.leaseRenewal = leaseRenewal;
        return b;
    }

    /**
     * Returns how long a claim holds its key before a duplicate may take it over.
     *
     * @return how long a claim holds its key before a duplicate may take it over
     */
    public @NotNull Duration lease() {
        return lease;
    }

    /**
     * Returns how long a key is remembered after it completes (and, at most, while it is in progress).
     *
     * @return how long a key is remembered after it completes (and, at most, while it is in progress)
     */
    public @NotNull Duration retention() {
        return retention;
    }

    /**
     * How a duplicate waits for an in-progress request: a retry policy that retries only
     * {@link IdempotencyKeyInUseException}, or {@code null} when duplicates are rejected at once.
     *
     * @return the wait policy, or {@code null}
     */
    public @Nullable RetryPolicy inProgressWait() {
        return inProgressWait;
    }

    /**
     * Returns how often a claim's lease is renewed while its work runs, or {@code null} when it
     * is not (the default).
     *
     * @return the renewal period, or {@code null}
     */
    public @Nullable Duration leaseRenewal() {
        return leaseRenewal;
    }

    /**
     * Returns the codec of stored failures, or {@code null} when failures release the key.
     *
     * @return the codec of stored failures, or {@code null} when failures release the key
     */
    public @Nullable FailureCodec failureCodec() {
        return failureCodec;
    }

    /**
     * Returns the largest response body stored, in bytes.
     *
     * @return the largest response body stored, in bytes
     */
    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    /**
     * Checks a response against {@link #maxResponseBytes()}.
     *
     * @param key the key the response is for
     * @param response the response
     * @throws ResponseTooLargeException if the body is larger than the maximum
     */
    public void checkResponseSize(@NotNull IdempotencyKey key, @NotNull StoredResponse response) {
        if (response.size() > maxResponseBytes) {
            throw new ResponseTooLargeException(key, response.size(), maxResponseBytes);
        }
    }

    /**
     * The failure response to store for a failed attempt, or {@code null} to release the key.
     *
     * @param key the key
     * @param failure what the work threw
     * @return the response marked as a failure and within the size limit, or {@code null}
     * @throws ResponseTooLargeException if the encoded failure is larger than the maximum
     */
    public @Nullable StoredResponse encodeFailure(@NotNull IdempotencyKey key, @NotNull RuntimeException failure) {
        if (failureCodec == null) {
            return null;
        }
        StoredResponse stored = failureCodec.encode(key, failure);
        if (stored == null) {
            return null;
        }
        checkResponseSize(key, stored);
        return stored.asFailure();
    }

    /**
     * Decodes a stored response for a replay.
     *
     * @param key the key
     * @param stored the stored response
     * @param codec the codec of successful results
     * @param <T> the result type
     * @return the decoded value
     * @throws RuntimeException the exception a stored failure decodes to (by default
     *         {@link ReplayedFailureException})
     */
    public <T> T decodeReplay(@NotNull IdempotencyKey key, @NotNull StoredResponse stored,
                              @NotNull ResponseCodec<T> codec) {
        if (stored.isFailure()) {
            throw replayedFailure(key, stored);
        }
        return codec.decode(stored);
    }

    /**
     * What a stored failure is thrown as: the failure codec's {@link FailureCodec#decode}, or a
     * {@link ReplayedFailureException} without one.
     *
     * @param key the key
     * @param stored the stored failure
     * @return the exception to throw
     */
    public @NotNull RuntimeException replayedFailure(@NotNull IdempotencyKey key, @NotNull StoredResponse stored) {
        return failureCodec != null ? failureCodec.decode(key, stored) : new ReplayedFailureException(key, stored);
    }

    /**
     * Checks the lease and retention of a claim: what {@link Builder#build()} checks, and what
     * every store checks on a claim.
     *
     * @param lease the lease
     * @param retention the retention
     * @throws IllegalArgumentException if {@code lease <= 0}, {@code retention < lease} or
     *         {@code retention > } {@link #MAX_RETENTION}
     */
    public static void checkClaimDurations(@NotNull Duration lease, @NotNull Duration retention) {
        Objects.requireNonNull(lease, "lease");
        checkRetention(retention);
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be > 0: lease=" + lease);
        }
        if (retention.compareTo(lease) < 0) {
            throw new IllegalArgumentException("retention must be >= lease: retention=" + retention + ", lease=" + lease);
        }
    }

    /**
     * Checks a retention: what {@link Builder#retention} checks, and what every store checks
     * on a completion.
     *
     * @param retention the retention
     * @throws IllegalArgumentException if {@code retention <= 0} or {@code retention > }
     *         {@link #MAX_RETENTION}
     */
    public static void checkRetention(@NotNull Duration retention) {
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be > 0: retention=" + retention);
        }
        if (retention.compareTo(MAX_RETENTION) > 0) {
            throw new IllegalArgumentException("retention must be <= " + MAX_RETENTION + ": retention=" + retention);
        }
    }

    @Override
    public String toString() {
        return "IdempotencyPolicy[lease=" + lease + ", retention=" + retention + ", inProgress="
                + (inProgressWait == null ? "reject" : "wait " + inProgressWait) + ", failures="
                + (failureCodec == null ? "release" : "store") + ", maxResponseBytes=" + maxResponseBytes + "]";
    }

    /** Builds an {@link IdempotencyPolicy}. Not thread-safe; {@link #build()} yields an immutable value. */
    public static final class Builder {
        private Duration lease = Duration.ofSeconds(60);
        private Duration retention = Duration.ofHours(24);
        private @Nullable RetryPolicy inProgressWait;
        private @Nullable FailureCodec failureCodec;
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private @Nullable Duration leaseRenewal;

        private Builder() {
        }

        /**
         * Renews the lease of a claim every {@code every} while its work runs (the plain executor
         * of a store that can {@linkplain dev.latchkey.idempotency.spi.IdempotencyStore#renew
         * renew}; one statement per renewal, on the shared lease heartbeat threads), so the lease
         * need not exceed the longest work: a worker that dies stops renewing and its key is taken
         * over one lease later. Renewal stops when the work ends or a renewal finds the lease
         * lost. The transactional executor holds the key's row in its transaction and does not
         * renew. Checked by {@link #build()} to be shorter than the lease.
         *
         * @param every the renewal period, {@code > 0}; a third of the lease is a good choice
         * @return this builder
         * @throws IllegalArgumentException if {@code every <= 0}
         */
        public @NotNull Builder renewLeaseEvery(@NotNull Duration every) {
            Objects.requireNonNull(every, "every");
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("every must be > 0: every=" + every);
            }
            this.leaseRenewal = every;
            return this;
        }

        /**
         * Sets how long a claim holds its key. Choose it longer than the work ever takes: when it
         * lapses, a duplicate may take the key over and run the work again (the late worker's
         * result is then refused, see {@link LeaseLostException}).
         *
         * @param lease {@code > 0}
         * @return this builder
         * @throws IllegalArgumentException if {@code lease <= 0}
         */
        public @NotNull Builder lease(@NotNull Duration lease) {
            Objects.requireNonNull(lease, "lease");
            if (lease.isNegative() || lease.isZero()) {
                throw new IllegalArgumentException("lease must be > 0: lease=" + lease);
            }
            this.lease = lease;
            return this;
        }

        /**
         * Sets how long a completed key is remembered (and a crashed in-progress key at most).
         *
         * @param retention {@code > 0}, at most {@link #MAX_RETENTION}, and not
         *        shorter than the lease (checked by {@link #build()})
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public @NotNull Builder retention(@NotNull Duration retention) {
            checkRetention(retention);
            this.retention = retention;
            return this;
        }

        /**
         * A duplicate that arrives while the first request is in progress fails at once with
         * {@link IdempotencyKeyInUseException} (HTTP 409). The default.
         *
         * @return this builder
         */
        public @NotNull Builder rejectWhenInProgress() {
            this.inProgressWait = null;
            return this;
        }

        /**
         * A duplicate that arrives while the first request is in progress waits for its stored
         * response, polling with exponential backoff (10 ms doubling up to 250 ms, full jitter)
         * for at most {@code maxWait}, then fails with {@link IdempotencyKeyInUseException}. If
         * the first request releases the key or its lease lapses meanwhile, the duplicate claims
         * the key and runs the work itself.
         *
         * @param maxWait the longest wait, {@code > 0}
         * @return this builder
         */
        public @NotNull Builder waitWhenInProgress(@NotNull Duration maxWait) {
            return waitWhenInProgress(RetryPolicy.builder()
                    .maxAttempts(Integer.MAX_VALUE)
                    .backoff(Duration.ofMillis(10), Duration.ofMillis(250), 2.0)
                    .maxDuration(Objects.requireNonNull(maxWait, "maxWait"))
                    .build());
        }

        /**
         * A duplicate that arrives while the first request is in progress waits for its stored
         * response, polling on the schedule of the given retry policy (its attempts, backoff,
         * time budget, clock and sleeper); only {@link IdempotencyKeyInUseException} is retried.
         *
         * @param backoff the polling schedule
         * @return this builder
         */
        public @NotNull Builder waitWhenInProgress(@NotNull RetryPolicy backoff) {
            this.inProgressWait = Objects.requireNonNull(backoff, "backoff").toBuilder()
                    .retryIf(t -> t instanceof IdempotencyKeyInUseException)
                    .build();
            return this;
        }

        /**
         * A failed attempt releases its key, so the next request runs the work again. The default.
         *
         * @return this builder
         */
        public @NotNull Builder releaseOnFailure() {
            this.failureCodec = null;
            return this;
        }

        /**
         * A failed attempt whose failure the codec encodes is completed with that failure as the
         * final response, replayed (as an exception) to every later request with the key;
         * failures the codec declines release the key.
         *
         * @param codec the failure codec
         * @return this builder
         */
        public @NotNull Builder storeFailures(@NotNull FailureCodec codec) {
            this.failureCodec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * Sets the largest response body stored; a larger one fails with
         * {@link ResponseTooLargeException}.
         *
         * @param maxResponseBytes {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public @NotNull Builder maxResponseBytes(int maxResponseBytes) {
            if (maxResponseBytes < 0) {
                throw new IllegalArgumentException("maxResponseBytes must be >= 0: maxResponseBytes=" + maxResponseBytes);
            }
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return a new immutable policy
         * @throws IllegalArgumentException if the retention is shorter than the lease
         */
        public @NotNull IdempotencyPolicy build() {
            checkClaimDurations(lease, retention);
            if (leaseRenewal != null && leaseRenewal.compareTo(lease) >= 0) {
                throw new IllegalArgumentException("the lease renewal period must be shorter than the lease: every="
                        + leaseRenewal + ", lease=" + lease);
            }
            return new IdempotencyPolicy(this);
        }
    }
}

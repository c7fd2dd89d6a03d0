package dev.latchkey.spring.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;

import dev.latchkey.idempotency.IdempotencyKey;
import org.jetbrains.annotations.NotNull;

/**
 * What {@link LatchkeyIdempotencyFilter} does at the HTTP level: which responses are stored,
 * which response headers are replayed, the {@code Retry-After} of a 409, how large a request body
 * it fingerprints, and which spellings of the key it accepts. How long keys live and what a
 * duplicate of an in-flight request does are the executor's
 * {@link dev.latchkey.idempotency.IdempotencyPolicy}.
 *
 * <p>An immutable, thread-safe value from {@link #builder()}. Defaults: 2xx and 4xx responses are
 * stored (a 5xx or an exception releases the key so the client can retry), the replayed headers
 * are {@code Content-Type}, {@code Content-Language}, {@code Content-Location}, {@code Location},
 * {@code ETag} and {@code Last-Modified} (never {@code Set-Cookie} unless listed),
 * {@code Retry-After: 1}, request bodies up to 1 MiB, keys up to 200 characters, and both the
 * draft's quoted {@code sf-string} and a bare key are accepted (see {@link IdempotencyKeyHeader}).
 */
public final class HttpIdempotencyPolicy {
    /** The default largest request body fingerprinted: 1 MiB. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1 << 20;

    /** The default longest client key, in characters. */
    public static final int DEFAULT_MAX_KEY_LENGTH = 200;

    /**
     * The longest client key a policy accepts: what {@link IdempotencyKey#MAX_KEY_LENGTH} leaves
     * after the owner prefix the filter puts in front of it.
     */
    public static final int MAX_KEY_LENGTH = IdempotencyKey.MAX_KEY_LENGTH - OwnerPrefix.MAX_LENGTH;

    private static final List<String> DEFAULT_HEADERS = List.of("Content-Type", "Content-Language",
            "Content-Location", "Location", "ETag", "Last-Modified");

    private static final HttpIdempotencyPolicy DEFAULTS = builder().build();

    private final IntPredicate storedStatuses;
    private final String storedStatusesText;
    private final List<String> replayedHeaders;
    private final Duration retryAfter;
    private final int maxRequestBytes;
    private final int maxKeyLength;
    private final boolean acceptBareKeys;

    private HttpIdempotencyPolicy(Builder b) {
        this.storedStatuses = b.storedStatuses;
        this.storedStatusesText = b.storedStatusesText;
        this.replayedHeaders = List.copyOf(b.replayedHeaders);
        this.retryAfter = b.retryAfter;
        this.maxRequestBytes = b.maxRequestBytes;
        this.maxKeyLength = b.maxKeyLength;
        this.acceptBareKeys = b.acceptBareKeys;
    }

    /**
     * Returns the default policy.
     *
     * @return the default policy
     */
    public static @NotNull HttpIdempotencyPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a builder starting from the defaults.
     *
     * @return a new builder
     */
    public static @NotNull Builder builder() {
        return new Builder();
    }

    /**
     * Returns whether a response with this status is stored and replayed; otherwise the key is
     * released (and, in transactional mode, the handler's writes rolled back).
     *
     * @param status the response status
     * @return whether it is stored
     */
    public boolean stores(int status) {
        return storedStatuses.test(status);
    }

    /**
     * Returns the response headers stored and replayed, as configured (matched ignoring case).
     *
     * @return an unmodifiable list
     */
    public @NotNull List<String> replayedHeaders() {
        return replayedHeaders;
    }

    /**
     * Returns whether a response header is stored and replayed.
     *
     * @param name a header name
     * @return whether it is in {@link #replayedHeaders()}, ignoring case
     */
    public boolean replays(@NotNull String name) {
        for (String h : replayedHeaders) {
            if (h.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the {@code Retry-After} sent with a 409 for a key in use.
     *
     * @return the delay, whole seconds
     */
    public @NotNull Duration retryAfter() {
        return retryAfter;
    }

    /**
     * Returns the largest request body read for the fingerprint; a larger one is refused with 413.
     *
     * @return the limit in bytes
     */
    public int maxRequestBytes() {
        return maxRequestBytes;
    }

    /**
     * Returns the longest client key accepted; a longer one is refused with 400.
     *
     * @return the limit in characters
     */
    public int maxKeyLength() {
        return maxKeyLength;
    }

    /**
     * Returns whether a bare (unquoted) key is accepted beside the draft's quoted {@code sf-string}.
     *
     * @return whether bare keys are accepted
     */
    public boolean acceptBareKeys() {
        return acceptBareKeys;
    }

    @Override
    public String toString() {
        return "HttpIdempotencyPolicy[stored=" + storedStatusesText + ", replayedHeaders=" + replayedHeaders
                + ", retryAfter=" + retryAfter + ", maxRequestBytes=" + maxRequestBytes + ", maxKeyLength="
                + maxKeyLength + ", acceptBareKeys=" + acceptBareKeys + "]";
    }

    /** Builds an {@link HttpIdempotencyPolicy}. Not thread-safe; {@link #build()} yields an immutable value. */
    public static final class Builder {
        private IntPredicate storedStatuses = s -> (s >= 200 && s < 300) || (s >= 400 && s < 500);
        private String storedStatusesText = "2xx, 4xx";
        private List<String> replayedHeaders = new ArrayList<>(DEFAULT_HEADERS);
        private Duration retryAfter = Duration.ofSeconds(1);
        private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private int maxKeyLength = DEFAULT_MAX_KEY_LENGTH;
        private boolean acceptBareKeys = true;

        private Builder() {
        }

        /**
         * Sets which response statuses are stored and replayed; the others release the key.
         * Storing a 5xx makes a transient server failure permanent for that key: think twice.
         *
         * @param statuses tests a status; must be thread-safe
         * @return this builder
         */
        public @NotNull Builder storeStatuses(@NotNull IntPredicate statuses) {
            this.storedStatuses = Objects.requireNonNull(statuses, "statuses");
            this.storedStatusesText = "custom";
            return this;
        }

        /**
         * Sets the response headers stored and replayed (in addition to the body and status).
         * {@code Content-Length} is always computed, never stored.
         *
         * @param headers header names, matched ignoring case
         * @return this builder
         * @throws IllegalArgumentException if a name is empty or not an HTTP token
         */
        public @NotNull Builder replayedHeaders(@NotNull List<String> headers) {
            List<String> copy = new ArrayList<>();
            for (String h : Objects.requireNonNull(headers, "headers")) {
                Objects.requireNonNull(h, "headers contains null");
                if (h.isEmpty() || !h.chars().allMatch(Builder::tchar)) {
                    throw new IllegalArgumentException("not a header name: header='" + h + "'");
                }
                copy.add(h);
            }
            this.replayedHeaders = copy;
            return this;
        }

        /**
         * Adds one header to {@link #replayedHeaders(List)}.
         *
         * @param header a header name
         * @return this builder
         */
        public @NotNull Builder replayHeader(@NotNull String header) {
            List<String> all = new ArrayList<>(replayedHeaders);
            all.add(Objects.requireNonNull(header, "header"));
            return replayedHeaders(all);
        }

        /**
         * Sets the {@code Retry-After} of a 409 for a key in use.
         *
         * @param retryAfter at least 1 s, whole seconds, at most a day
         * @return this builder
         * @throws IllegalArgumentException if out of range or not whole seconds
         */
        public @NotNull Builder retryAfter(@NotNull Duration retryAfter) {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (retryAfter.getNano() != 0 || retryAfter.getSeconds() < 1 || retryAfter.getSeconds() > 86_400) {
                throw new IllegalArgumentException("retryAfter must be whole seconds from 1 s to 1 day: retryAfter="
                        + retryAfter);
            }
            this.retryAfter = retryAfter;
            return this;
        }

        /**
         * Sets the largest request body read for the fingerprint.
         *
         * @param maxRequestBytes {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public @NotNull Builder maxRequestBytes(int maxRequestBytes) {
            if (maxRequestBytes < 0) {
                throw new IllegalArgumentException("maxRequestBytes must be >= 0: maxRequestBytes=" + maxRequestBytes);
            }
            this.maxRequestBytes = maxRequestBytes;
            return this;
        }

        /**
         * Sets the longest client key accepted.
         *
         * @param maxKeyLength 1 to {@link #MAX_KEY_LENGTH}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public @NotNull Builder maxKeyLength(int maxKeyLength) {
            if (maxKeyLength < 1 || maxKeyLength > MAX_KEY_LENGTH) {
                throw new IllegalArgumentException("maxKeyLength must be in [1, " + MAX_KEY_LENGTH
                        + "]: maxKeyLength=" + maxKeyLength);
            }
            this.maxKeyLength = maxKeyLength;
            return this;
        }

        /**
         * Sets whether a bare key ({@code Idempotency-Key: 8e03978e-...}, as Stripe's clients send
         * it) is accepted beside the draft's quoted form; {@code false} answers it with 400.
         *
         * @param accept whether to accept bare keys
         * @return this builder
         */
        public @NotNull Builder acceptBareKeys(boolean accept) {
            this.acceptBareKeys = accept;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return a new immutable policy
         */
        public @NotNull HttpIdempotencyPolicy build() {
            return new HttpIdempotencyPolicy(this);
        }

        private static boolean tchar(int c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }

    /** The prefix that scopes a client key by its owner; see {@link LatchkeyIdempotencyFilter}. */
    static final class OwnerPrefix {
        /** {@code "u."}, 43 characters of base64url SHA-256, {@code "/"}. */
        static final int MAX_LENGTH = 46;

        private OwnerPrefix() {
        }
    }
}

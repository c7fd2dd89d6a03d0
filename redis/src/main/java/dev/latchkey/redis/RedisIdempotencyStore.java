package dev.latchkey.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyKeyReusedException;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.FenceOutcome;
import dev.latchkey.idempotency.spi.IdempotencyRecord;
import dev.latchkey.idempotency.spi.IdempotencyState;
import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.idempotency.spi.OwnerToken;
import dev.latchkey.redis.internal.RedisSession;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * An {@link IdempotencyStore} on Redis: one Lua script per operation, one round trip each
 * ({@code EVALSHA}; plus {@code WAIT} in the same flush when the {@link LatchkeyRedis} requires
 * replica acknowledgement). Every decision about time is made inside the script on the Redis
 * server's clock ({@code TIME}): lease expiry, record expiry and takeover; the JVM's clock is never
 * read, so clock skew between application instances changes nothing. Times have millisecond
 * precision; a lease or retention is rounded up to the next millisecond.
 *
 * <p>Each idempotency key is one Redis hash, named {@code <prefix>{<scope>/<key>}}: the braces
 * are a hash tag, so in Redis Cluster everything of one key lives in one slot (characters
 * {@code %}, <code>{</code>, <code>}</code> of the scope and key, and {@code /} of the scope, are
 * percent-encoded). The hash expires with the record ({@code PEXPIREAT}), so Redis itself purges
 * expired records and {@link #purgeExpired(int)} has nothing to do.
 *
 * <p>Guarantees (the shared store contract): among concurrent claims of an absent key, or of a
 * lapsed lease, exactly one succeeds; the fingerprint is checked on every path;
 * {@link #complete}, {@link #release} and {@link #renew} are fenced on the owner token. They hold as long as
 * Redis keeps the records: see {@link DurabilityReport} for eviction and persistence, and the
 * README for what a failover can lose.
 *
 * <p>Failures: {@link dev.latchkey.ConnectionFailureException} when nothing was sent (safe to
 * retry), {@link WriteOutcomeUnknownException} when a write was in flight as the connection
 * failed, {@link ReplicationNotAcknowledgedException}, {@link RedisServerException}. Nothing is
 * retried automatically.
 *
 * <p>Immutable and thread-safe.
 */
public final class RedisIdempotencyStore implements IdempotencyStore {
    /** The default key prefix. */
    public static final String DEFAULT_PREFIX = "latchkey:idem:";

    /** The longest key prefix accepted, in characters. */
    public static final int MAX_PREFIX_LENGTH = 100;

    /** The default {@link #maxResponseBytes()}: 16 MiB - 1, as the JDBC store's. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = (1 << 24) - 1;

    /**
     * The largest response body a store may be configured to hold: 256 MiB, half of Redis's
     * default largest string ({@code proto-max-bulk-len}, 512 MiB), leaving room for the rest of
     * the command.
     */
    public static final int MAX_RESPONSE_BYTES_LIMIT = 1 << 28;

    private static final byte[] TRUE = {'1'};
    private static final byte[] FALSE = {'0'};
    private static final byte[] EMPTY = new byte[0];

    private final LatchkeyRedis redis;
    private final RedisSession session;
    private final String prefix;
    private final int maxResponseBytes;

    private RedisIdempotencyStore(Builder b) {
        this.redis = b.redis;
        this.session = b.redis.session();
        this.prefix = b.prefix;
        this.maxResponseBytes = b.maxResponseBytes;
        session.load(IdempotencyScripts.CLAIM, IdempotencyScripts.COMPLETE, IdempotencyScripts.RELEASE,
                IdempotencyScripts.RENEW, IdempotencyScripts.FIND);
    }

    /**
     * A builder of a store on the connection of a {@link LatchkeyRedis}.
     *
     * @param redis the connection
     * @return a new builder: prefix {@value #DEFAULT_PREFIX}, at most {@link #DEFAULT_MAX_RESPONSE_BYTES} per response
     */
    public static @NotNull Builder builder(@NotNull LatchkeyRedis redis) {
        return new Builder(Objects.requireNonNull(redis, "redis"));
    }

    /**
     * Returns the key prefix.
     *
     * @return the key prefix
     */
    public @NotNull String prefix() {
        return prefix;
    }

    /**
     * Returns the name of the Redis hash that holds a key's record, e.g.
     * <code>latchkey:idem:{POST /charges/9c1e...}</code>.
     *
     * @param key the idempotency key
     * @return the Redis key
     */
    public @NotNull String redisKey(@NotNull IdempotencyKey key) {
        Objects.requireNonNull(key, "key");
        StringBuilder b = new StringBuilder(prefix.length() + key.scope().length() + key.key().length() + 8);
        b.append(prefix).append('{');
        escape(b, key.scope(), true);
        b.append('/');
        escape(b, key.key(), false);
        return b.append('}').toString();
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script: reads the record, checks the fingerprint, and creates the record, takes over
     * a lapsed lease, or returns what is there.
     *
     * @throws dev.latchkey.ConnectionFailureException if nothing reached Redis
     * @throws WriteOutcomeUnknownException if the connection failed with the claim in flight
     * @throws ReplicationNotAcknowledgedException if too few replicas acknowledged the claim
     */
    @Override
    public @NotNull ClaimResult claim(@NotNull IdempotencyKey key, @NotNull Fingerprint fingerprint,
                                      @NotNull Duration lease, @NotNull Duration retention) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        IdempotencyStore.checkClaimDurations(lease, retention);
        OwnerToken token = OwnerToken.random();
        List<Object> reply = session.write(IdempotencyScripts.CLAIM, "claim of idempotency key " + key,
                new String[] {redisKey(key)}, ascii(fingerprint.hex()), ascii(token.value()), millis(lease),
                millis(retention));
        String outcome = text(reply.get(0));
        switch (outcome) {
            case "claimed":
                return new ClaimResult.Claimed(token, (int) number(reply.get(1)), instant(reply.get(2)));
            case "reused":
                throw new IdempotencyKeyReusedException(key.scope(), key.key());
            case "found":
                IdempotencyRecord record = record(key, reply, 1);
                return record.state() == IdempotencyState.COMPLETED ? new ClaimResult.Replay(record)
                        : new ClaimResult.InProgress(record);
            default:
                throw new IllegalStateException("unexpected reply of the claim script: " + outcome);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script, fenced on the owner token and the in-progress state; the record then expires
     * {@code retention} after the server's now.
     *
     * @throws IllegalArgumentException if the body is larger than {@link #maxResponseBytes()}
     * @throws WriteOutcomeUnknownException if the connection failed with the completion in flight
     */
    @Override
    public @NotNull FenceOutcome complete(@NotNull IdempotencyKey key, @NotNull OwnerToken owner,
                                          @NotNull StoredResponse response, @NotNull Duration retention) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(response, "response");
        IdempotencyStore.checkRetention(retention);
        if (response.size() > maxResponseBytes) {
            throw new IllegalArgumentException("response body too large for the Redis idempotency store: size="
                    + response.size() + ", max=" + maxResponseBytes);
        }
        String contentType = response.contentType();
        List<Object> reply = session.write(IdempotencyScripts.COMPLETE, "completion of idempotency key " + key,
                new String[] {redisKey(key)}, ascii(owner.value()), millis(retention),
                ascii(Integer.toString(response.status())), contentType == null ? EMPTY : ascii(contentType),
                response.body(), response.isFailure() ? TRUE : FALSE);
        return fence(reply);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script, fenced on the owner token and the in-progress state: deletes the record.
     */
    @Override
    public @NotNull FenceOutcome release(@NotNull IdempotencyKey key, @NotNull OwnerToken owner) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(owner, "owner");
        List<Object> reply = session.write(IdempotencyScripts.RELEASE, "release of idempotency key " + key,
                new String[] {redisKey(key)}, ascii(owner.value()));
        return fence(reply);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script, fenced on the owner token, the in-progress state and the lease not having
     * lapsed on the server's clock; the Redis key's expiry follows the record's.
     *
     * @throws IllegalArgumentException if {@code lease <= 0} or beyond {@link #MAX_RETENTION}
     * @throws WriteOutcomeUnknownException if the connection failed with the renewal in flight
     */
    @Override
    public @NotNull FenceOutcome renew(@NotNull IdempotencyKey key, @NotNull OwnerToken owner,
                                       @NotNull Duration lease) {
        IdempotencyStore.checkRenewal(key, owner, lease);
        List<Object> reply = session.write(IdempotencyScripts.RENEW, "renewal of idempotency key " + key,
                new String[] {redisKey(key)}, ascii(owner.value()), millis(lease));
        return fence(reply);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One read-only script (it reads the server's clock, so it is not a plain {@code HGETALL}).
     */
    @Override
    public @NotNull Optional<IdempotencyRecord> find(@NotNull IdempotencyKey key) {
        Objects.requireNonNull(key, "key");
        List<Object> reply = session.read(IdempotencyScripts.FIND, "read of idempotency key " + key, redisKey(key));
        return reply.isEmpty() ? Optional.empty() : Optional.of(record(key, reply, 0));
    }

    /**
     * Deletes nothing and returns 0: each record's Redis key expires with the record
     * ({@code PEXPIREAT}), so Redis deletes expired records itself (lazily when touched, and in
     * its background expiry cycle), and a record past its expiry counts as absent before that.
     *
     * @param limit {@code >= 1}
     * @return 0
     * @throws IllegalArgumentException if {@code limit < 1}
     */
    @Override
    public int purgeExpired(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1: limit=" + limit);
        }
        return 0;
    }

    /**
     * The largest response body {@link #complete} stores, as built (default
     * {@link #DEFAULT_MAX_RESPONSE_BYTES}).
     *
     * @return the limit in bytes
     */
    @Override
    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    @Override
    public @NotNull String toString() {
        return "RedisIdempotencyStore[" + prefix + " on " + redis + "]";
    }

    private static FenceOutcome fence(List<Object> reply) {
        return number(reply.get(0)) == 1 ? FenceOutcome.APPLIED : FenceOutcome.LEASE_LOST;
    }

    /** The record from {@code reply[from..from+10]}: s, f, o, a, l, e, rs, rc, rb, rf, now. */
    private static IdempotencyRecord record(IdempotencyKey key, List<Object> reply, int from) {
        IdempotencyState state = "C".equals(text(reply.get(from))) ? IdempotencyState.COMPLETED
                : IdempotencyState.IN_PROGRESS;
        Fingerprint fingerprint = Fingerprint.fromHex(text(reply.get(from + 1)));
        OwnerToken owner = new OwnerToken(text(reply.get(from + 2)));
        int attempt = Integer.parseInt(text(reply.get(from + 3)));
        Instant leaseExpiresAt = absent(reply.get(from + 4)) ? null : instant(reply.get(from + 4));
        Instant expiresAt = instant(reply.get(from + 5));
        StoredResponse response = null;
        if (state == IdempotencyState.COMPLETED) {
            Object contentType = reply.get(from + 7);
            Object body = reply.get(from + 8);
            response = StoredResponse.restore(Integer.parseInt(text(reply.get(from + 6))),
                    absent(contentType) ? null : text(contentType), absent(body) ? null : (byte[]) body,
                    "1".equals(text(reply.get(from + 9))));
        }
        return new IdempotencyRecord(key, fingerprint, state, owner, attempt,
                state == IdempotencyState.COMPLETED ? null : leaseExpiresAt, expiresAt, response,
                instant(reply.get(from + 10)));
    }

    /**
     * Whether a field the script read with {@code HMGET} was missing: Lua's {@code false}, which
     * reaches the client as nil over RESP2 and may arrive as a boolean over RESP3.
     */
    private static boolean absent(Object value) {
        return value == null || value instanceof Boolean;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A duration in whole milliseconds, rounded up (a lease of 1 ns still lasts 1 ms). */
    private static byte[] millis(Duration d) {
        long ms = d.toMillis() + (d.minusMillis(d.toMillis()).isZero() ? 0 : 1);
        return ascii(Long.toString(ms));
    }

    private static String text(Object value) {
        if (value instanceof byte[]) {
            return new String((byte[]) value, StandardCharsets.US_ASCII);
        }
        return String.valueOf(value);
    }

    private static long number(Object value) {
        return value instanceof Long ? (Long) value : Long.parseLong(text(value));
    }

    private static Instant instant(Object millis) {
        return Instant.ofEpochMilli(number(millis));
    }

    /** Percent-encodes {@code %}, the hash-tag braces and, in the scope, the separator {@code /}. */
    private static void escape(StringBuilder b, String s, boolean scope) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '{' || c == '}' || (scope && c == '/')) {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            } else {
                b.append(c);
            }
        }
    }

    /** Builds a {@link RedisIdempotencyStore}. Not thread-safe; {@link #build()} yields an immutable store. */
    public static final class Builder {
        private final LatchkeyRedis redis;
        private String prefix = DEFAULT_PREFIX;
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

        private Builder(LatchkeyRedis redis) {
            this.redis = redis;
        }

        /**
         * Sets the key prefix, so that several applications or environments share one Redis.
         *
         * @param prefix 1 to {@value #MAX_PREFIX_LENGTH} printable ASCII characters, no space and no
         *        brace (the braces after it are the hash tag), e.g. {@code "shop:idem:"}
         * @return this builder
         * @throws IllegalArgumentException naming the prefix if it is not valid
         */
        public @NotNull Builder prefix(@NotNull String prefix) {
            this.prefix = checkPrefix(prefix);
            return this;
        }

        /**
         * Sets the largest response body the store records.
         *
         * @param maxResponseBytes 0 to {@link #MAX_RESPONSE_BYTES_LIMIT}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public @NotNull Builder maxResponseBytes(int maxResponseBytes) {
            if (maxResponseBytes < 0 || maxResponseBytes > MAX_RESPONSE_BYTES_LIMIT) {
                throw new IllegalArgumentException("maxResponseBytes must be in [0, " + MAX_RESPONSE_BYTES_LIMIT
                        + "]: maxResponseBytes=" + maxResponseBytes);
            }
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /**
         * Builds the store and loads its five scripts into the server ({@code SCRIPT LOAD}, one
         * round trip each).
         *
         * @return the store
         * @throws dev.latchkey.ConnectionFailureException if Redis cannot be reached
         */
        public @NotNull RedisIdempotencyStore build() {
            return new RedisIdempotencyStore(this);
        }
    }

    /**
     * Checks a key prefix; shared with the lease backend.
     *
     * @param prefix the prefix
     * @return the prefix
     */
    static @NotNull String checkPrefix(@Nullable String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty() || prefix.length() > MAX_PREFIX_LENGTH) {
            throw new IllegalArgumentException("prefix must be 1 to " + MAX_PREFIX_LENGTH + " characters: length="
                    + prefix.length());
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c <= 0x20 || c > 0x7E || c == '{' || c == '}') {
                throw new IllegalArgumentException("prefix must be printable ASCII without spaces or braces: "
                        + String.format("U+%04X", (int) c) + " at index " + i + ", prefix='" + prefix + "'");
            }
        }
        return prefix;
    }
}

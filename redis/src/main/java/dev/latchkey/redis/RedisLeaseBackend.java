package dev.latchkey.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.latchkey.lease.spi.LeaseBackend;
import dev.latchkey.lease.spi.LeaseEngine;
import dev.latchkey.lease.spi.LeaseGrant;
import dev.latchkey.redis.internal.RedisSession;
import org.jetbrains.annotations.NotNull;

/**
 * A {@link LeaseBackend} on Redis: each operation is one Lua script (one round trip) that
 * decides on the Redis server's clock ({@code TIME}). Leases built on it by a
 * {@link LeaseEngine} (or {@link LatchkeyRedis#lease(String)}) have the same API as the JDBC
 * leases: {@code tryAcquire(atMostFor, atLeastFor)}, {@code acquire(..., maxWait)}, extension,
 * heartbeat, and a fencing token that strictly increases per name.
 *
 * <p>Per name two keys with one hash tag (one Cluster slot): the state
 * <code>&lt;prefix&gt;{&lt;name&gt;}</code>, a hash that expires with the lease, and the token
 * counter <code>&lt;prefix&gt;{&lt;name&gt;}:token</code>, which never expires (one small key per
 * name ever used: meant for job and leader names, not per-request names). Characters of the
 * name outside printable ASCII, and {@code %}, <code>{</code>, <code>}</code>, are encoded as
 * {@code %uXXXX}.
 *
 * <p>The token only fences writes that check it: pass {@code lease.fencingToken()} to the
 * database and refuse a write whose token is lower than the last one seen. Token monotonicity
 * holds while Redis keeps the counter: a Redis that restarts without persistence, or fails over
 * to a replica that had not received the last {@code INCR}, can hand out a token again (see
 * {@link DurabilityReport} and {@link LatchkeyRedis.Builder#waitForReplicas}).
 *
 * <p>Failures are translated as by {@link RedisIdempotencyStore}. Immutable and thread-safe.
 */
public final class RedisLeaseBackend implements LeaseBackend {
    /** The default key prefix. */
    public static final String DEFAULT_PREFIX = "latchkey:lease:";

    private final LatchkeyRedis redis;
    private final RedisSession session;
    private final String prefix;

    private RedisLeaseBackend(Builder b) {
        this.redis = b.redis;
        this.session = b.redis.session();
        this.prefix = b.prefix;
        session.load(LeaseScripts.ACQUIRE, LeaseScripts.EXTEND, LeaseScripts.RELEASE);
    }

    /**
     * A builder of a backend on the connection of a {@link LatchkeyRedis}.
     *
     * @param redis the connection
     * @return a new builder, prefix {@value #DEFAULT_PREFIX}
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
     * Returns the Redis key of a lease name's state; its token counter is this plus {@code :token}.
     *
     * @param name the lease name
     * @return the Redis key
     */
    public @NotNull String redisKey(@NotNull String name) {
        Objects.requireNonNull(name, "name");
        StringBuilder b = new StringBuilder(prefix.length() + name.length() + 2).append(prefix).append('{');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c > 0x7E || c == '%' || c == '{' || c == '}') {
                b.append(String.format("%%u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('}').toString();
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script: reads the state, takes the next token from the name's counter ({@code INCR})
     * when the name is free.
     */
    @Override
    public @NotNull Optional<LeaseGrant> tryAcquire(@NotNull String name, @NotNull String owner,
                                                   @NotNull Duration atMostFor, @NotNull Duration atLeastFor) {
        List<Object> r = session.write(LeaseScripts.ACQUIRE, "acquisition of lease " + name, keys(name),
                utf8(owner), millis(atMostFor), millis(atLeastFor));
        long token = (Long) r.get(0);
        return token == 0 ? Optional.empty() : Optional.of(new LeaseGrant(token, instant(r.get(1)), instant(r.get(2))));
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script, fenced on the token and owner.
     */
    @Override
    public @NotNull Optional<LeaseGrant> extend(@NotNull String name, @NotNull String owner, long token,
                                                @NotNull Duration by) {
        List<Object> r = session.write(LeaseScripts.EXTEND, "extension of lease " + name, keys(name), utf8(owner),
                utf8(Long.toString(token)), millis(by));
        return (Long) r.get(0) == 0 ? Optional.empty()
                : Optional.of(new LeaseGrant(token, instant(r.get(1)), instant(r.get(2))));
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script, fenced on the token and owner.
     */
    @Override
    public boolean release(@NotNull String name, @NotNull String owner, long token) {
        List<Object> r = session.write(LeaseScripts.RELEASE, "release of lease " + name, keys(name), utf8(owner),
                utf8(Long.toString(token)));
        return (Long) r.get(0) == 1;
    }

    @Override
    public @NotNull String toString() {
        return "RedisLeaseBackend[" + prefix + " on " + redis + "]";
    }

    private String[] keys(String name) {
        String state = redisKey(name);
        return new String[] {state, state + ":token"};
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] millis(Duration d) {
        return utf8(Long.toString(d.toMillis()));
    }

    private static Instant instant(Object millis) {
        return Instant.ofEpochMilli((Long) millis);
    }

    /** Builds a {@link RedisLeaseBackend}. Not thread-safe; {@link #build()} yields an immutable backend. */
    public static final class Builder {
        private final LatchkeyRedis redis;
        private String prefix = DEFAULT_PREFIX;

        private Builder(LatchkeyRedis redis) {
            this.redis = redis;
        }

        /**
         * Sets the key prefix.
         *
         * @param prefix 1 to {@value RedisIdempotencyStore#MAX_PREFIX_LENGTH} printable ASCII
         *        characters, no space and no brace, e.g. {@code "shop:lease:"}
         * @return this builder
         * @throws IllegalArgumentException naming the prefix if it is not valid
         */
        public @NotNull Builder prefix(@NotNull String prefix) {
            this.prefix = RedisIdempotencyStore.checkPrefix(prefix);
            return this;
        }

        /**
         * Builds the backend and loads its three scripts ({@code SCRIPT LOAD}, one round trip each).
         *
         * @return the backend
         * @throws dev.latchkey.ConnectionFailureException if Redis cannot be reached
         */
        public @NotNull RedisLeaseBackend build() {
            return new RedisLeaseBackend(this);
        }
    }
}

package dev.latchkey.redis;

import java.time.Duration;
import java.util.Objects;

import dev.latchkey.ConnectionFailureException;
import dev.latchkey.lease.Lease;
import dev.latchkey.lease.LeaseRequest;
import dev.latchkey.lease.spi.LeaseEngine;
import dev.latchkey.redis.internal.RedisSession;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Latchkey's entry point on Redis 7.0 or later: one Lettuce connection, shared by every thread
 * and every store it hands out (Lettuce pipelines commands from many threads on one
 * connection), checked for durability when built.
 *
 * <pre>{@code
 * try (LatchkeyRedis redis = LatchkeyRedis.builder("redis://127.0.0.1:6379").build()) {
 *     Idempotency idempotency = redis.idempotencyStore().executor(IdempotencyPolicy.defaults());
 *     IdempotentResult<StoredResponse> r = idempotency.execute(key, fingerprint, () -> charge());
 * }
 * }</pre>
 *
 * <p>The connection is made so that a write is never run twice by the client: it reconnects on
 * its own, but does not replay commands that were in flight when the connection broke (those
 * fail with {@link WriteOutcomeUnknownException}), and rejects commands while it is disconnected
 * (they fail with {@link dev.latchkey.ConnectionFailureException}, nothing sent).
 *
 * <p>Immutable and thread-safe; {@link #close()} closes the connection (and the client it made).
 */
public final class LatchkeyRedis implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LatchkeyRedis.class.getName());
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisSession session;
    private final DurabilityReport durability;
    private final int waitReplicas;
    private final Duration waitTimeout;
    /** The engine of {@link #lease(String)}, made on first use; a racing second one is equivalent. */
    private volatile @Nullable LeaseEngine leases;

    private LatchkeyRedis(Builder b) {
        RedisClient c = b.resources == null ? RedisClient.create(b.uri) : RedisClient.create(b.resources, b.uri);
        c.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .replayFilter(command -> true) // never re-send a command that was in flight: it may have run
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                // Lettuce's own timer is the backstop; the session waits commandTimeout (plus the WAIT
                // timeout for a WAIT), so that a long WAIT is not cut short here
                .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout.plus(b.waitTimeout)))
                .build());
        String description = b.uri.toString();
        StatefulRedisConnection<String, byte[]> conn;
        try {
            conn = c.connect(CODEC);
        } catch (RedisConnectionException e) {
            shutdown(c);
            throw new ConnectionFailureException("could not connect to Redis at " + description + ": " + e.getMessage(),
                    e, null, 0);
        }
        this.client = c;
        this.connection = conn;
        this.waitReplicas = b.waitReplicas;
        this.waitTimeout = b.waitTimeout;
        this.session = new RedisSession(conn, b.commandTimeout, b.waitReplicas, b.waitTimeout, description);
        try {
            this.durability = inspect();
            int version = DurabilityProbe.majorMinor(durability.redisVersion());
            if (version >= 0 && version < 70) {
                throw new UnsupportedOperationException("latchkey-redis needs Redis 7.0 or later (script flags, "
                        + "effects replication of TIME): " + description + " runs " + durability.redisVersion());
            }
            apply(b.durabilityCheck, description);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * A builder of a connection to the Redis server at the URI.
     *
     * @param uri the server, with password, database, TLS and client name as Lettuce reads them
     * @return a new builder
     */
    public static @NotNull Builder builder(@NotNull RedisURI uri) {
        return new Builder(Objects.requireNonNull(uri, "uri"));
    }

    /**
     * A builder of a connection to the Redis server at the URI.
     *
     * @param uri e.g. {@code redis://127.0.0.1:6379/0} or {@code rediss://user:secret@host:6380}
     * @return a new builder
     * @throws IllegalArgumentException if the URI is not a Redis URI
     */
    public static @NotNull Builder builder(@NotNull String uri) {
        Objects.requireNonNull(uri, "uri");
        try {
            return builder(RedisURI.create(uri));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a Redis URI: uri='" + uri + "': " + e.getMessage(), e);
        }
    }

    /**
     * A store with the default key prefix {@value RedisIdempotencyStore#DEFAULT_PREFIX} and
     * response limit. Loads the store's scripts into the server (one round trip each).
     *
     * @return the store
     */
    public @NotNull RedisIdempotencyStore idempotencyStore() {
        return RedisIdempotencyStore.builder(this).build();
    }

    /**
     * A request for the named lease on Redis, through a {@link RedisLeaseBackend} with the default
     * prefix {@value RedisLeaseBackend#DEFAULT_PREFIX} and one {@link LeaseEngine} (one owner id)
     * per {@code LatchkeyRedis}; the first call loads the backend's scripts.
     *
     * <pre>{@code
     * Optional<Lease> lease = redis.lease("nightly-report").tryAcquire(Duration.ofMinutes(10));
     * }</pre>
     *
     * @param name 1 to 255 characters, not blank, no control characters
     * @return an immutable request
     * @throws IllegalArgumentException if the name is invalid
     */
    public @NotNull LeaseRequest<Lease> lease(@NotNull String name) {
        LeaseEngine engine = leases;
        if (engine == null) {
            engine = LeaseEngine.of(RedisLeaseBackend.builder(this).build());
            leases = engine;
        }
        return engine.lease(name);
    }

    /**
     * Returns the durability report read when this was built.
     *
     * @return the durability report read when this was built
     */
    public @NotNull DurabilityReport durability() {
        return durability;
    }

    /**
     * Reads the durability settings again (up to four round trips) without logging or failing.
     *
     * @return the current report
     */
    public @NotNull DurabilityReport checkDurability() {
        return inspect();
    }

    /**
     * Tells whether the connection is up now. After a network failure Lettuce reconnects in the
     * background; meanwhile operations fail at once with
     * {@link dev.latchkey.ConnectionFailureException} (nothing is queued or sent).
     *
     * @return whether the connection is up
     */
    public boolean isConnected() {
        return connection.isOpen();
    }

    /**
     * Returns how many replicas must acknowledge each write, 0 for none.
     *
     * @return how many replicas must acknowledge each write
     */
    public int waitReplicas() {
        return waitReplicas;
    }

    /**
     * Returns how long a write waits for replica acknowledgement.
     *
     * @return how long a write waits for replica acknowledgement
     */
    public @NotNull Duration waitTimeout() {
        return waitTimeout;
    }

    /**
     * The session the stores of this module run their scripts on; not an API.
     *
     * @return the session
     */
    @NotNull RedisSession session() {
        return session;
    }

    /** Closes the connection and shuts down the client made for it. Idempotent. */
    @Override
    public void close() {
        session.markClosed();
        try {
            connection.close();
        } finally {
            shutdown(client);
        }
    }

    @Override
    public @NotNull String toString() {
        return "LatchkeyRedis[" + session.description() + "]";
    }

    private DurabilityReport inspect() {
        return DurabilityProbe.inspect(session::info, session::configGet);
    }

    private void apply(DurabilityCheck check, String description) {
        if (durability.isDurable() || check == DurabilityCheck.IGNORE) {
            return;
        }
        if (check == DurabilityCheck.FAIL) {
            throw new IllegalStateException("Redis at " + description + " does not keep idempotency records "
                    + "durably (DurabilityCheck.FAIL): " + String.join("; ", durability.problems()));
        }
        for (String problem : durability.problems()) {
            LOG.log(System.Logger.Level.WARNING, "Redis at {0}: {1}", description, problem);
        }
    }

    private static void shutdown(RedisClient c) {
        c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /** Builds a {@link LatchkeyRedis}. Not thread-safe; {@link #build()} connects. */
    public static final class Builder {
        private final RedisURI uri;
        private @Nullable ClientResources resources;
        private Duration commandTimeout = Duration.ofSeconds(10);
        private int waitReplicas;
        private Duration waitTimeout = Duration.ZERO;
        private DurabilityCheck durabilityCheck = DurabilityCheck.WARN;

        private Builder(RedisURI uri) {
            this.uri = uri;
        }

        /**
         * Shares Lettuce's thread pools with other clients of the application (default: a client
         * of its own). The resources stay open when this is closed.
         *
         * @param resources the resources
         * @return this builder
         */
        public @NotNull Builder clientResources(@NotNull ClientResources resources) {
            this.resources = Objects.requireNonNull(resources, "resources");
            return this;
        }

        /**
         * How long a command waits for its reply (default 10 s). A write that times out fails
         * with {@link WriteOutcomeUnknownException}.
         *
         * @param timeout {@code > 0}
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout <= 0}
         */
        public @NotNull Builder commandTimeout(@NotNull Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("commandTimeout must be > 0: timeout=" + timeout);
            }
            this.commandTimeout = timeout;
            return this;
        }

        /**
         * Requires each write to be acknowledged by {@code replicas} replicas within
         * {@code timeout}: every write script is followed by {@code WAIT replicas timeout} in the
         * same flush (still one round trip, but the connection, shared by all threads, waits for
         * the replicas too). A write that too few replicas acknowledge throws
         * {@link ReplicationNotAcknowledgedException} after it ran on the primary. This narrows,
         * but does not close, the window in which a failover loses a write: Redis replication
         * stays asynchronous and {@code WAIT} is not a consensus protocol.
         *
         * @param replicas {@code >= 0}; 0 turns it off (the default)
         * @param timeout how long {@code WAIT} waits, {@code >= 1 ms} when replicas {@code > 0}
         * @return this builder
         * @throws IllegalArgumentException if {@code replicas < 0} or the timeout is out of range
         */
        public @NotNull Builder waitForReplicas(int replicas, @NotNull Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (replicas < 0) {
                throw new IllegalArgumentException("replicas must be >= 0: replicas=" + replicas);
            }
            if (replicas > 0 && timeout.toMillis() < 1) {
                throw new IllegalArgumentException("the WAIT timeout must be >= 1 ms (0 would wait forever): timeout="
                        + timeout);
            }
            this.waitReplicas = replicas;
            this.waitTimeout = replicas == 0 ? Duration.ZERO : timeout;
            return this;
        }

        /**
         * What {@link #build()} does when the server may lose records (see
         * {@link DurabilityReport}); default {@link DurabilityCheck#WARN}.
         *
         * @param check fail, warn or ignore
         * @return this builder
         */
        public @NotNull Builder durabilityCheck(@NotNull DurabilityCheck check) {
            this.durabilityCheck = Objects.requireNonNull(check, "check");
            return this;
        }

        /**
         * Connects and checks the server: reads its version and durability settings
         * ({@code INFO}, {@code CONFIG GET} where allowed).
         *
         * @return the connection
         * @throws dev.latchkey.ConnectionFailureException if Redis cannot be reached
         * @throws UnsupportedOperationException if the server runs a Redis older than 7.0
         * @throws IllegalStateException under {@link DurabilityCheck#FAIL} if the server may lose records
         */
        public @NotNull LatchkeyRedis build() {
            return new LatchkeyRedis(this);
        }
    }
}

package dev.latchkey.redis.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.latchkey.ConnectionFailureException;
import dev.latchkey.redis.ReplicationNotAcknowledgedException;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Runs Lua scripts on one Lettuce connection (thread-safe, pipelined: every thread shares it):
 * {@code EVALSHA}, and {@code EVAL} of the same text when Redis answers {@code NOSCRIPT} (after a
 * restart, a {@code SCRIPT FLUSH} or a failover; the script did not run, so sending it again is
 * safe). A write is followed on the same connection, in the same flush, by {@code WAIT n timeout}
 * when replica acknowledgement is required, so it still costs one round trip. Failures are
 * translated by {@link RedisErrors}. Thread-safe.
 */
public final class RedisSession {
    private final StatefulRedisConnection<String, byte[]> connection;
    /** Final; Lettuce's async command facade is thread-safe. */
    private final RedisAsyncCommands<String, byte[]> commands;
    private final Duration timeout;
    private final int waitReplicas;
    private final Duration waitTimeout;
    private final String description;
    /** Set once by {@link #markClosed()}; volatile so every thread sees it. */
    private volatile boolean closed;

    /**
     * A session on a connection.
     *
     * @param connection the connection; its client must not replay commands after a reconnect
     * @param timeout how long to wait for one reply
     * @param waitReplicas replicas that must acknowledge each write, 0 for none
     * @param waitTimeout how long {@code WAIT} waits for them
     * @param description the server, for messages
     */
    public RedisSession(@NotNull StatefulRedisConnection<String, byte[]> connection, @NotNull Duration timeout,
                        int waitReplicas, @NotNull Duration waitTimeout, @NotNull String description) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.commands = connection.async();
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.waitReplicas = waitReplicas;
        this.waitTimeout = Objects.requireNonNull(waitTimeout, "waitTimeout");
        this.description = Objects.requireNonNull(description, "description");
    }

    /**
     * Runs a script that only reads (one round trip).
     *
     * @param script the script
     * @param operation what is attempted, for messages
     * @param key the one key the script touches
     * @param args the arguments
     * @return the script's array reply: {@code byte[]} for strings, {@code Long} for integers,
     *         {@code null} for nil
     */
    public @NotNull List<Object> read(@NotNull LuaScript script, @NotNull String operation, @NotNull String key,
                                      byte @NotNull [] @NotNull ... args) {
        return run(script, operation, new String[] {key}, args, false);
    }

    /**
     * Runs a script that writes (one round trip, {@code WAIT} included when configured).
     *
     * @param script the script
     * @param operation what is attempted, for messages
     * @param keys the keys the script touches (one hash slot)
     * @param args the arguments
     * @return the script's array reply
     * @throws ReplicationNotAcknowledgedException if too few replicas acknowledged the write
     */
    public @NotNull List<Object> write(@NotNull LuaScript script, @NotNull String operation,
                                       @NotNull String @NotNull [] keys, byte @NotNull [] @NotNull ... args) {
        return run(script, operation, keys, args, true);
    }

    private List<Object> run(LuaScript script, String operation, String[] keys, byte[][] args, boolean write) {
        checkOpen(operation);
        try {
            RedisFuture<List<Object>> reply = commands.evalsha(script.sha1(), ScriptOutputType.MULTI, keys, args);
            RedisFuture<Long> ack = write && waitReplicas > 0 ? commands.waitForReplication(waitReplicas,
                    waitTimeout.toMillis()) : null;
            List<Object> result;
            try {
                result = await(reply, timeout);
            } catch (RedisNoScriptException notLoaded) {
                reply = commands.eval(script.source(), ScriptOutputType.MULTI, keys, args);
                ack = write && waitReplicas > 0 ? commands.waitForReplication(waitReplicas, waitTimeout.toMillis())
                        : null;
                result = await(reply, timeout);
            }
            if (ack != null) {
                awaitAcknowledgement(ack, operation);
            }
            return result;
        } catch (ReplicationNotAcknowledgedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw RedisErrors.translate(e, operation, write);
        }
    }

    private void awaitAcknowledgement(RedisFuture<Long> ack, String operation) {
        long acknowledged;
        try {
            acknowledged = await(ack, timeout.plus(waitTimeout));
        } catch (RuntimeException e) {
            throw new ReplicationNotAcknowledgedException(operation, waitReplicas, 0, waitTimeout, e);
        }
        if (acknowledged < waitReplicas) {
            throw new ReplicationNotAcknowledgedException(operation, waitReplicas, acknowledged, waitTimeout, null);
        }
    }

    /**
     * Loads scripts into the server's script cache ({@code SCRIPT LOAD}), so that their first
     * {@code EVALSHA} finds them.
     *
     * @param scripts the scripts
     */
    public void load(@NotNull LuaScript @NotNull ... scripts) {
        checkOpen("SCRIPT LOAD");
        try {
            for (LuaScript s : scripts) {
                await(commands.scriptLoad(s.source()), timeout);
            }
        } catch (RuntimeException e) {
            throw RedisErrors.translate(e, "loading the Lua scripts", false);
        }
    }

    /**
     * One section of {@code INFO}.
     *
     * @param section e.g. {@code "memory"}
     * @return the section's text
     */
    public @NotNull String info(@NotNull String section) {
        checkOpen("INFO");
        try {
            return await(commands.info(section), timeout);
        } catch (RuntimeException e) {
            throw RedisErrors.translate(e, "INFO " + section, false);
        }
    }

    /**
     * {@code CONFIG GET} of one parameter, the failure untranslated (managed Redis often
     * disables {@code CONFIG}).
     *
     * @param parameter the parameter
     * @return its value, or {@code null} if the server does not know it
     * @throws RuntimeException the client's exception, e.g. an error reply for a disabled command
     */
    public @Nullable String configGet(@NotNull String parameter) {
        checkOpen("CONFIG GET");
        Map<String, String> m = await(commands.configGet(parameter), timeout);
        return m.get(parameter);
    }

    /**
     * Returns the server, for messages.
     *
     * @return the server, for messages
     */
    public @NotNull String description() {
        return description;
    }

    /** Refuses further commands; the owner closes the connection. */
    public void markClosed() {
        closed = true;
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new IllegalStateException(operation + " on a closed LatchkeyRedis (" + description + ")");
        }
        if (!connection.isOpen()) {
            throw new ConnectionFailureException(operation + " could not reach Redis at " + description
                    + ", nothing was written (safe to retry): the connection is down (reconnecting)", null, null, 0);
        }
    }

    private static <T> T await(RedisFuture<T> future, Duration timeout) {
        return LettuceFutures.awaitOrCancel(future, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}

package dev.latchkey.redis.internal;

import java.util.Locale;

import dev.latchkey.ConnectionFailureException;
import dev.latchkey.redis.RedisServerException;
import dev.latchkey.redis.WriteOutcomeUnknownException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import org.jetbrains.annotations.NotNull;

/**
 * Translates Lettuce's exceptions into Latchkey's: what matters is whether the command can have
 * run. An error reply means Redis refused or aborted it; a failure to connect, or a command
 * rejected while disconnected, means it was never sent; anything else on a write (a timeout, the
 * connection lost with the command in flight, an interrupt while waiting) leaves its outcome
 * unknown.
 */
public final class RedisErrors {
    private RedisErrors() {
    }

    /**
     * Translates a failure of one command.
     *
     * @param failure what the client threw
     * @param operation what was attempted, for the message (e.g. {@code "claim of scope/key"})
     * @param write whether the command writes (then a lost connection leaves its outcome unknown)
     * @return the exception to throw
     */
    public static @NotNull RuntimeException translate(@NotNull RuntimeException failure, @NotNull String operation,
                                                      boolean write) {
        if (failure instanceof RedisCommandExecutionException) {
            String reply = String.valueOf(failure.getMessage());
            if (isFailover(reply)) {
                return new ConnectionFailureException(operation + " was refused by Redis, nothing was written (safe "
                        + "to retry): " + reply, failure, null, 0);
            }
            return new RedisServerException(operation + " failed, nothing was written: Redis replied " + reply, failure);
        }
        if (failure instanceof RedisConnectionException || neverSent(failure)) {
            return new ConnectionFailureException(operation + " could not reach Redis, nothing was written (safe to "
                    + "retry): " + failure, failure, null, 0);
        }
        if (!write) {
            return new ConnectionFailureException(operation + " failed on the connection to Redis (a read; safe to "
                    + "retry): " + failure, failure, null, 0);
        }
        return new WriteOutcomeUnknownException(operation + ": the connection to Redis failed while the write was "
                + "in flight, so whether Redis ran it is unknown (not retried; read the record before trying "
                + "again): " + failure, failure);
    }

    /** Error replies of a server that cannot take writes for now: a replica, loading, failing over. */
    private static boolean isFailover(String reply) {
        String code = reply.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        switch (code) {
            case "READONLY":
            case "LOADING":
            case "MASTERDOWN":
            case "TRYAGAIN":
            case "CLUSTERDOWN":
            case "BUSY":
                return true;
            default:
                return false;
        }
    }

    /** Lettuce's rejection of a command while the connection is down (REJECT_COMMANDS): never written. */
    private static boolean neverSent(RuntimeException failure) {
        String m = failure.getMessage();
        return m != null && m.contains("Currently not connected");
    }
}

package dev.latchkey.redis;

import dev.latchkey.redis.internal.LuaScript;

/**
 * The Lua scripts of {@link RedisIdempotencyStore}, one per operation. A record is one hash:
 * {@code s} state ({@code P} in progress, {@code C} completed), {@code f} fingerprint (hex),
 * {@code o} owner token, {@code a} attempt, {@code l} lease expiry and {@code e} record expiry
 * (milliseconds on the server's clock, {@code TIME}), and once completed {@code rs} status,
 * {@code rc} content type (absent for none), {@code rb} body, {@code rf} failure flag. The key
 * itself expires at {@code e} ({@code PEXPIREAT}): Redis purges records.
 *
 * <p>A record whose {@code e} has passed counts as absent even before Redis deletes it.
 */
final class IdempotencyScripts {
    private IdempotencyScripts() {
    }

    /** The server's clock in milliseconds and the record's fields, in the order the store reads them. */
    private static final String READ = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local k = KEYS[1]
            local r = redis.call('HMGET', k, 's', 'f', 'o', 'a', 'l', 'e', 'rs', 'rc', 'rb', 'rf')
            local live = r[1] and tonumber(r[6]) > now
            """;

    /**
     * ARGV: fingerprint, new owner token, lease ms, retention ms. Replies {@code {'reused'}},
     * {@code {'claimed', attempt, leaseExpiresAt, now}}, or {@code {'found', <record>, now}} for a
     * completed record or a live lease.
     */
    static final LuaScript CLAIM = LuaScript.of("claim", "#!lua\n" + READ + """
            local attempt = 1
            if live then
              if r[2] ~= ARGV[1] then return {'reused'} end
              if r[1] == 'C' or tonumber(r[5]) > now then
                return {'found', r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], now}
              end
              attempt = tonumber(r[4]) + 1
            end
            local lease = now + tonumber(ARGV[3])
            local expires = now + tonumber(ARGV[4])
            redis.call('DEL', k)
            redis.call('HSET', k, 's', 'P', 'f', ARGV[1], 'o', ARGV[2], 'a', attempt, 'l', lease, 'e', expires)
            redis.call('PEXPIREAT', k, expires)
            return {'claimed', attempt, lease, now}
            """);

    /**
     * ARGV: owner token, retention ms, status, content type ({@code ""} for none), body, failure
     * flag. Replies {@code {1}} when applied, {@code {0}} when the owner no longer holds the key.
     */
    static final LuaScript COMPLETE = LuaScript.of("complete", "#!lua\n" + READ + """
            if not live or r[1] ~= 'P' or r[3] ~= ARGV[1] then return {0} end
            local expires = now + tonumber(ARGV[2])
            redis.call('HDEL', k, 'l')
            redis.call('HSET', k, 's', 'C', 'e', expires, 'rs', ARGV[3], 'rb', ARGV[5], 'rf', ARGV[6])
            if ARGV[4] ~= '' then redis.call('HSET', k, 'rc', ARGV[4]) end
            redis.call('PEXPIREAT', k, expires)
            return {1}
            """);

    /**
     * ARGV: owner token, lease ms. Replies {@code {1}} when the owner's live lease now lapses
     * {@code lease} after the server's now (the record's expiry, and the key's {@code PEXPIREAT},
     * move along if they would come first), {@code {0}} when the owner no longer holds the key or
     * its lease had lapsed (nothing changed).
     */
    static final LuaScript RENEW = LuaScript.of("renew", "#!lua\n" + READ + """
            if not live or r[1] ~= 'P' or r[3] ~= ARGV[1] or tonumber(r[5]) <= now then return {0} end
            local lease = now + tonumber(ARGV[2])
            local expires = math.max(tonumber(r[6]), lease)
            redis.call('HSET', k, 'l', lease, 'e', expires)
            redis.call('PEXPIREAT', k, expires)
            return {1}
            """);

    /** ARGV: owner token. Replies {@code {1}} when released, {@code {0}} when not held by the owner. */
    static final LuaScript RELEASE = LuaScript.of("release", "#!lua\n" + READ + """
            if not live or r[1] ~= 'P' or r[3] ~= ARGV[1] then return {0} end
            redis.call('DEL', k)
            return {1}
            """);

    /** No ARGV. Replies {@code {}} for an absent or expired key, else {@code {<record>, now}}. */
    static final LuaScript FIND = LuaScript.of("find", "#!lua flags=no-writes\n" + READ + """
            if not live then return {} end
            return {r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], now}
            """);
}

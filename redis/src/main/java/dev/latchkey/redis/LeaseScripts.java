package dev.latchkey.redis;

import dev.latchkey.redis.internal.LuaScript;

/**
 * The Lua scripts of {@link RedisLeaseBackend}, one per operation. KEYS[1] is the lease's state,
 * a hash: {@code t} fencing token, {@code o} owner, {@code x} expiry, {@code h} hold-until
 * (milliseconds on the server's clock, {@code TIME}); it expires with the lease
 * ({@code PEXPIREAT x}). KEYS[2] is the name's token counter ({@code INCR}), which never
 * expires, so tokens keep increasing after the state is gone. Both keys share one hash tag.
 */
final class LeaseScripts {
    private LeaseScripts() {
    }

    private static final String NOW = """
            #!lua
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    /** The current acquisition {@code ARGV[2]} of owner {@code ARGV[1]}, unexpired: else reply {0}. */
    private static final String HELD = """
            local r = redis.call('HMGET', KEYS[1], 't', 'o', 'x', 'h')
            if not r[1] or r[1] ~= ARGV[2] or r[2] ~= ARGV[1] or tonumber(r[3]) <= now then return {0, now} end
            """;

    /**
     * ARGV: owner, atMostFor ms, atLeastFor ms. Replies {@code {0, now}} when the name is held,
     * else {@code {token, expiresAt, now}}. The token is the counter's next value, and above the
     * token left in the state (should the counter ever have been lost).
     */
    static final LuaScript ACQUIRE = LuaScript.of("lease acquire", NOW + """
            local r = redis.call('HMGET', KEYS[1], 't', 'x')
            if r[2] and tonumber(r[2]) > now then return {0, now} end
            local token = redis.call('INCR', KEYS[2])
            if r[1] and token <= tonumber(r[1]) then
              token = tonumber(r[1]) + 1
              redis.call('SET', KEYS[2], token)
            end
            local expires = now + tonumber(ARGV[2])
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], 't', token, 'o', ARGV[1], 'x', expires, 'h', now + tonumber(ARGV[3]))
            redis.call('PEXPIREAT', KEYS[1], expires)
            return {token, expires, now}
            """);

    /**
     * ARGV: owner, token, by ms. Replies {@code {0, now}} when not held, else
     * {@code {1, expiresAt, now}} with the expiry the later of now + by and the hold-until time.
     */
    static final LuaScript EXTEND = LuaScript.of("lease extend", NOW + HELD + """
            local expires = math.max(now + tonumber(ARGV[3]), tonumber(r[4]))
            redis.call('HSET', KEYS[1], 'x', expires)
            redis.call('PEXPIREAT', KEYS[1], expires)
            return {1, expires, now}
            """);

    /**
     * ARGV: owner, token. Replies {@code {0, now}} when not held, else {@code {1, now}}: the lease
     * then expires at the later of now and its hold-until time.
     */
    static final LuaScript RELEASE = LuaScript.of("lease release", NOW + HELD + """
            local hold = tonumber(r[4])
            if hold <= now then
              redis.call('DEL', KEYS[1])
            else
              redis.call('HSET', KEYS[1], 'x', hold)
              redis.call('PEXPIREAT', KEYS[1], hold)
            end
            return {1, now}
            """);
}

package dev.latchkey.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One connection per test class and a key prefix per test, deleted afterwards; each test is
 * skipped (failed in CI) when no Redis answers. Subclasses' own {@code @BeforeEach} run after
 * {@link #newPrefix()}.
 */
abstract class RedisTestBase {
    static LatchkeyRedis redis;

    String prefix;

    @BeforeAll
    static void connect() {
        redis = LocalRedis.connectIfAvailable();
    }

    @AfterAll
    static void close() {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }

    @BeforeEach
    void newPrefix() {
        LocalRedis.require();
        prefix = LocalRedis.uniquePrefix();
    }

    @AfterEach
    void deleteKeys() {
        if (prefix != null) {
            LocalRedis.deleteAll(prefix);
        }
    }
}

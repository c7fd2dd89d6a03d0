package dev.latchkey.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis server the tests use: {@code LATCHKEY_REDIS_URL} or {@code redis://127.0.0.1:6379}.
 * Probed once with a raw {@code PING}. When it does not answer, tests are skipped with the reason,
 * except in CI ({@code CI=true}), where they fail. Each test uses keys under a prefix of its own
 * and deletes them afterwards (the server may be shared).
 */
final class LocalRedis {
    static final String URL = env("LATCHKEY_REDIS_URL", "redis://127.0.0.1:6379");

    private static String unavailable;
    private static boolean probed;
    private static RedisClient adminClient;
    private static StatefulRedisConnection<String, String> admin;

    private LocalRedis() {
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips the test (fails it in CI) when Redis does not answer. */
    static void require() {
        String reason = probe();
        if (reason != null) {
            if (inCi()) {
                throw new AssertionError("Redis is required in CI (CI=true) but unavailable at " + URL + ": " + reason);
            }
            Assumptions.abort("Redis tests skipped: no Redis answers at " + URL + " (" + reason
                    + "); start one with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save \"\" --appendonly no");
        }
    }

    /** A connection for the tests, durability check off (the test server need not persist). */
    static LatchkeyRedis connect() {
        require();
        return LatchkeyRedis.builder(URL).durabilityCheck(DurabilityCheck.IGNORE).build();
    }

    /**
     * A connection when Redis answers, else {@code null}: for {@code @BeforeAll}, which must not
     * abort (a class aborted there is reported as zero tests, not as skipped ones); each test then
     * calls {@link #require()} first.
     */
    static LatchkeyRedis connectIfAvailable() {
        return probe() == null ? connect() : null;
    }

    /** A key prefix no other test run uses. */
    static String uniquePrefix() {
        return "lk-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /** A plain String connection for checks the store does not offer; shared, never closed before the JVM. */
    static synchronized RedisCommands<String, String> admin() {
        require();
        if (admin == null) {
            adminClient = RedisClient.create(RedisURI.create(URL));
            admin = adminClient.connect();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                admin.close();
                adminClient.shutdown();
            }, "local-redis-admin-shutdown"));
        }
        return admin.sync();
    }

    /** Deletes every key under the prefix. */
    static void deleteAll(String prefix) {
        if (probe() != null) {
            return;
        }
        RedisCommands<String, String> r = admin();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1000));
            List<String> keys = page.getKeys();
            if (!keys.isEmpty()) {
                r.unlink(keys.toArray(new String[0]));
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    private static synchronized String probe() {
        if (!probed) {
            probed = true;
            unavailable = ping();
        }
        return unavailable;
    }

    private static String ping() {
        RedisURI uri;
        try {
            uri = RedisURI.create(URL);
        } catch (RuntimeException e) {
            return "bad LATCHKEY_REDIS_URL: " + e.getMessage();
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 2000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64];
            int n = in.read(buf);
            String reply = n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII).trim();
            // +PONG, or -NOAUTH when the URL carries a password: either way a Redis answers
            return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH") ? null : "unexpected reply to PING: " + reply;
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}

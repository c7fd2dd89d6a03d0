package dev.latchkey.jdbc.lease;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.idempotency.TransactionalIdempotency;

/**
 * One process of {@link MultiProcessLeaseTest#killedProcessesNeverRunAnIdempotencyKeyTwice}: walks
 * the shared keys in a random order and runs each through the transactional idempotency executor
 * (claim, business write, stored response in one transaction, lease 1 s). The work inserts one
 * effects row (key, pid) and then pauses, so that a SIGKILL usually lands inside the transaction.
 * Exits 0 once every key has run here or replayed here; a key that fails (a transient error) is
 * tried again later. Prints {@code begin <key>} and {@code end <key>} to stderr around each key, so
 * that the test can tell a process killed mid-key.
 *
 * <p>Arguments: JDBC URL, idempotency table, effects table, number of keys.
 */
public final class IdempotencyWorker {
    /** The idempotency keys' scope. */
    static final String SCOPE = "multi-process";

    private IdempotencyWorker() {
    }

    public static void main(String[] args) throws Exception {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(args[0]);
        cfg.setMaximumPoolSize(2);
        try (HikariDataSource ds = new HikariDataSource(cfg)) {
            Latchkey latchkey = Latchkey.of(ds);
            IdempotencyPolicy policy = IdempotencyPolicy.builder().lease(Duration.ofSeconds(1)).build();
            TransactionalIdempotency idempotency = latchkey.idempotencyStore(args[1]).transactional(policy);
            String effects = args[2];
            long pid = ProcessHandle.current().pid();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            List<String> left = new ArrayList<>();
            for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                left.add(key(i));
            }
            Collections.shuffle(left);
            while (!left.isEmpty()) {
                String key = left.remove(0);
                try {
                    System.err.println("begin " + key);
                    idempotency.execute(IdempotencyKey.of(SCOPE, key), Fingerprint.sha256(key), tx -> {
                        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO " + effects
                                + " (k, pid) VALUES (?, ?)")) {
                            ps.setString(1, key);
                            ps.setLong(2, pid);
                            ps.executeUpdate();
                        }
                        // the rest of the work: a kill now must take the effects row with it
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(150 + random.nextInt(300)));
                        return StoredResponse.ofText(200, "text/plain", Long.toString(pid));
                    });
                    System.err.println("end " + key);
                } catch (RuntimeException e) {
                    System.err.println("key " + key + ": " + e);
                    left.add(key);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
            }
        }
    }

    static String key(int i) {
        return "key-" + i;
    }
}

package dev.latchkey.jdbc.lease;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.lease.LeaseLostException;

/**
 * One process of {@link MultiProcessLeaseTest}: competes for a lease until killed and, while it
 * holds it, runs fenced transactions that read the shared counter, pause, and write it back with
 * one more and its token, logging each increment. Exits 3 at once if a fenced transaction ever sees
 * a higher token than its own (a later holder's write), which the test reports.
 *
 * <p>Arguments: JDBC URL, lease table, counter table, log table.
 */
public final class LeaseWorker {
    private LeaseWorker() {
    }

    public static void main(String[] args) throws Exception {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(args[0]);
        cfg.setMaximumPoolSize(3);
        try (HikariDataSource ds = new HikariDataSource(cfg)) {
            Latchkey latchkey = Latchkey.of(ds);
            JdbcLeaseRequest request = latchkey.leases().withTable(args[1]).lease("counter");
            String counter = args[2];
            String log = args[3];
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (true) {
                JdbcLease lease = request.acquire(Duration.ofMillis(500), Duration.ZERO, Duration.ofSeconds(30));
                try {
                    for (int i = 0; i < 1 + random.nextInt(8); i++) {
                        long token = lease.fencingToken();
                        lease.runFenced(tx -> {
                            long n;
                            long last;
                            try (PreparedStatement ps = tx.prepareStatement("SELECT n, last_token FROM " + counter
                                    + " WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                n = rs.getLong(1);
                                last = rs.getLong(2);
                            }
                            if (last > token) {
                                System.err.println("VIOLATION: token " + token + " saw a write of token " + last);
                                System.exit(3);
                            }
                            // work that may outlast the lease: the next holder must wait for this transaction
                            long pause = random.nextInt(4) == 0 ? 600 + random.nextInt(400) : random.nextInt(50);
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
                            try (PreparedStatement ps = tx.prepareStatement("UPDATE " + counter
                                    + " SET n = ?, last_token = ? WHERE id = 1")) {
                                ps.setLong(1, n + 1);
                                ps.setLong(2, token);
                                ps.executeUpdate();
                            }
                            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO " + log
                                    + " (n, token, pid) VALUES (?, ?, ?)")) {
                                ps.setLong(1, n + 1);
                                ps.setLong(2, token);
                                ps.setLong(3, ProcessHandle.current().pid());
                                ps.executeUpdate();
                            }
                            return null;
                        });
                    }
                    if (random.nextBoolean()) {
                        lease.release();
                    }
                } catch (LeaseLostException lost) {
                    // paused past expiry and taken over: compete again
                }
            }
        }
    }
}

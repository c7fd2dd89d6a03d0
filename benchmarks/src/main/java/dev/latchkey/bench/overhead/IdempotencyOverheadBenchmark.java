package dev.latchkey.bench.overhead;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.latchkey.bench.stub.Answer;
import dev.latchkey.bench.stub.StubDataSource;
import dev.latchkey.bench.stub.StubProduct;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latchkey's own cost for the JDBC idempotency store, on the stub driver claiming to be
 * PostgreSQL (no I/O), against the same statements hand-written (their text taken from
 * {@code IdempotencySql}, so both sides send exactly the same), binding and reading by hand:
 * <ul>
 *   <li>claim + complete of a new key: the claim upsert returning the claimed record, then the
 *       fenced {@code UPDATE} that stores the response;</li>
 *   <li>replay of a completed key: the claim upsert (which returns no row), then the
 *       {@code SELECT} of the stored record.</li>
 * </ul>
 * What a pair measures is everything the store does around the statements (owner tokens,
 * records, fencing, expiry, translation). Setup checks that both sides send the same statements.
 *
 * <p>Baselines: the {@code ...HandWritten} methods. Figure: {@code latchkey - handWritten} in
 * ns/op and B/op per pair.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
public class IdempotencyOverheadBenchmark {
    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final Duration RETENTION = Duration.ofDays(1);
    private static final String SCOPE = "POST /charges";
    private static final String TABLE = "idem";
    private static final String REPLAYED = "replayed-key";
    private static final List<String> RECORD = List.of("owner_token", "attempt", "state", "fingerprint",
            "lease_expires_at", "expires_at", "response_status", "response_type", "response_body", "observed_at");

    private final Fingerprint fingerprint = Fingerprint.sha256("{\"amount\":100,\"currency\":\"EUR\"}");
    private final byte[] fingerprintBytes = fingerprint.bytes();
    private final StoredResponse response = StoredResponse.ofText(201, "application/json", "{\"id\":\"ch_1\"}");
    private final IdempotencyKey replayKey = IdempotencyKey.of(SCOPE, REPLAYED);
    private final String runId = UUID.randomUUID().toString();

    private StubDataSource dataSource;
    private JdbcIdempotencyStore store;
    private String claimSql;
    private String completeSql;
    private String findSql;
    private long next;

    /** Opens the stub and checks that each pair sends the same statements. */
    @Setup(Level.Trial)
    public void setUp() {
        OffsetDateTime now = OffsetDateTime.of(2026, 11, 30, 12, 0, 0, 0, ZoneOffset.UTC);
        Answer claimed = Answer.rows(RECORD, new Object[] {Answer.param(4), 1, "P", Answer.param(3),
                now.plus(LEASE), now.plus(RETENTION), null, null, null, now});
        Answer noRow = Answer.rows(RECORD);
        Answer completed = Answer.rows(RECORD, new Object[] {"someone-else", 1, "C", fingerprintBytes,
                now.minusSeconds(10), now.plus(RETENTION), response.status(), response.contentType(),
                response.body(), now});
        Answer one = Answer.updated(1);
        dataSource = new StubDataSource(StubProduct.POSTGRESQL, (sql, params) -> {
            if (sql.startsWith("INSERT")) {
                return REPLAYED.equals(params[2]) ? noRow : claimed;
            }
            if (sql.startsWith("UPDATE")) {
                return one;
            }
            if (sql.startsWith("SELECT")) {
                return completed;
            }
            throw new IllegalStateException("unexpected statement: " + sql);
        });
        Latchkey latchkey = Latchkey.of(dataSource);
        store = latchkey.idempotencyStore(TABLE);
        IdempotencySql sql = IdempotencySql.of(latchkey.dialect());
        String rendered = latchkey.dialect().identifier("table", TABLE);
        claimSql = sql.claim(rendered);
        completeSql = sql.complete(rendered);
        findSql = sql.find(rendered);
        var c = dataSource.connection();
        SameStatements.require("claim + complete", c, this::claimCompleteLatchkey, this::claimCompleteHandWritten);
        SameStatements.require("replay", c, this::replayLatchkey, this::replayHandWritten);
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
     * @throws SQLException never on the stub
     */
    @Benchmark
    public int claimCompleteHandWritten() throws SQLException {
        String key = nextKey();
        String owner = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = claimStatement(c, key, owner); ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !owner.equals(rs.getString(1)) || !"P".equals(rs.getString(3))) {
                    throw new IllegalStateException("not claimed: " + key);
                }
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
        ClaimResult r = store.claim(replayKey, fingerprint, LEASE, RETENTION);
        if (!(r instanceof ClaimResult.Replay)) {
            throw new IllegalStateException("expected a replay: " + r);
        }
        return r;
    }

    /**
     * Ask for a completed key, hand-written: the claim upsert, then the read of the record.
     *
     * @return the stored body
     * @throws SQLException never on the stub
     */
    @Benchmark
    public byte[] replayHandWritten() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = claimStatement(c, REPLAYED, UUID.randomUUID().toString());
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new IllegalStateException("claimed a completed key");
                }
            }
            try (PreparedStatement ps = c.prepareStatement(findSql)) {
                ps.setString(1, SCOPE);
                ps.setString(2, REPLAYED);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !"C".equals(rs.getString(3)) || !Arrays.equals(fingerprintBytes, rs.getBytes(4))) {
                        throw new IllegalStateException("not a completed record of this request");
                    }
                    rs.getInt(7);
                    rs.getString(8);
                    return rs.getBytes(9);
                }
            }
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
}

package dev.latchkey.jdbc.anomaly;

import java.util.Map;

import dev.latchkey.jdbc.testing.DbKind;

/**
 * What each database family does, measured and then written down, so that a server upgrade that
 * changes behaviour fails the build loudly. Embedded and external PostgreSQL share one table.
 * Cells: {@code allowed}, {@code prevented} (nothing waited or failed: the reads only saw
 * committed data or their snapshot), {@code blocked} (a session waited for the other's lock) and
 * {@code error <SQLSTATE>[/<vendor code>]} (a transaction was refused and rolled back).
 */
final class ExpectedOutcomes {

    /**
     * PostgreSQL 14 (embedded) and 15: READ UNCOMMITTED runs as READ COMMITTED; REPEATABLE READ is
     * snapshot isolation that refuses to write over a concurrent change (40001), so only write skew
     * and predicate anti-dependencies (G2-item, G2) remain; SERIALIZABLE (SSI) refuses those too,
     * and also the G1c interleaving, whose reads form a read-write cycle.
     */
    static final String POSTGRESQL = """
            | level | G0 | G1a | G1b | G1c | OTV | PMP | PMP-write | P4 | G-single | G-single-write | G2-item | G2 |
            | READ UNCOMMITTED | blocked | prevented | prevented | prevented | blocked | allowed | allowed | allowed | allowed | allowed | allowed | allowed |
            | READ COMMITTED | blocked | prevented | prevented | prevented | blocked | allowed | allowed | allowed | allowed | allowed | allowed | allowed |
            | REPEATABLE READ | error 40001 | prevented | prevented | prevented | error 40001 | prevented | error 40001 | error 40001 | prevented | error 40001 | allowed | allowed |
            | SERIALIZABLE | error 40001 | prevented | prevented | error 40001 | error 40001 | prevented | error 40001 | error 40001 | prevented | error 40001 | error 40001 | error 40001 |
            """;

    /**
     * MariaDB 10.11 (InnoDB): REPEATABLE READ reads from a snapshot but writes to the latest row
     * (a "current read"), so it loses updates (P4) and mixes snapshot and current data (the
     * write-predicate variants); {@code innodb_snapshot_isolation=ON} (OFF by default in 10.11) refuses
     * those writes with 1020 "Record has changed since last read". SERIALIZABLE turns plain reads
     * into shared locks: readers block writers, and cycles end in deadlock 1213.
     */
    static final String MARIADB = """
            | level | G0 | G1a | G1b | G1c | OTV | PMP | PMP-write | P4 | G-single | G-single-write | G2-item | G2 |
            | READ UNCOMMITTED | blocked | allowed | allowed | allowed | allowed | allowed | blocked | allowed | allowed | allowed | allowed | allowed |
            | READ COMMITTED | blocked | prevented | prevented | prevented | blocked | allowed | blocked | allowed | allowed | allowed | allowed | allowed |
            | REPEATABLE READ | blocked | prevented | prevented | prevented | blocked | prevented | allowed | allowed | prevented | allowed | allowed | allowed |
            | REPEATABLE READ + innodb_snapshot_isolation | blocked | prevented | prevented | prevented | blocked | prevented | error HY000/1020 | error HY000/1020 | prevented | error HY000/1020 | allowed | allowed |
            | SERIALIZABLE | blocked | blocked | blocked | error 40001/1213 | blocked | blocked | blocked | error 40001/1213 | blocked | error 40001/1213 | error 40001/1213 | error 40001/1213 |
            """;

    /**
     * H2 2.3 (MVStore): READ COMMITTED and up read committed or snapshot data and refuse a write
     * over a concurrent change (40001); <b>SERIALIZABLE does not prevent
     * write skew or predicate anti-dependencies</b> (G2-item, G2): it behaves like SNAPSHOT.
     */
    static final String H2 = """
            | level | G0 | G1a | G1b | G1c | OTV | PMP | PMP-write | P4 | G-single | G-single-write | G2-item | G2 |
            | READ UNCOMMITTED | blocked | allowed | allowed | allowed | allowed | allowed | blocked | allowed | allowed | allowed | allowed | allowed |
            | READ COMMITTED | blocked | prevented | prevented | prevented | blocked | allowed | allowed | allowed | allowed | allowed | allowed | allowed |
            | REPEATABLE READ | error 40001 | prevented | prevented | prevented | error 40001 | prevented | error 40001 | error 40001 | prevented | error 40001 | allowed | allowed |
            | SNAPSHOT | error 40001 | prevented | prevented | prevented | error 40001 | prevented | error 40001 | error 40001 | prevented | error 40001 | allowed | allowed |
            | SERIALIZABLE | error 40001 | prevented | prevented | prevented | error 40001 | prevented | error 40001 | error 40001 | prevented | error 40001 | allowed | allowed |
            """;

    private ExpectedOutcomes() {
    }

    /**
     * @param kind the database
     * @return level name to (anomaly id to outcome)
     */
    static Map<String, Map<String, Outcome>> of(DbKind kind) {
        switch (kind.product()) {
            case POSTGRESQL:
                return AnomalyTable.parse(POSTGRESQL);
            case MARIADB:
                return AnomalyTable.parse(MARIADB);
            case H2:
                return AnomalyTable.parse(H2);
            default:
                throw new UnsupportedOperationException("no expected anomaly table for " + kind.id());
        }
    }
}

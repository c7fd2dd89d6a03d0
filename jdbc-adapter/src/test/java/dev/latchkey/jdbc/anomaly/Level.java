package dev.latchkey.jdbc.anomaly;

import java.sql.Connection;
import java.util.List;

import dev.latchkey.jdbc.testing.DbKind;

/**
 * An isolation level as a session sets it: a JDBC level and, for the vendor-specific ones
 * (MariaDB's {@code innodb_snapshot_isolation}, H2's {@code SNAPSHOT}), session statements.
 *
 * @param name the name in the tables
 * @param jdbcLevel a {@code Connection.TRANSACTION_*} constant, or {@code -1} to leave it to {@code sessionSql}
 * @param sessionSql statements run on the session before its transaction starts
 */
record Level(String name, int jdbcLevel, List<String> sessionSql) {
    static final Level READ_UNCOMMITTED = standard("READ UNCOMMITTED", Connection.TRANSACTION_READ_UNCOMMITTED);
    static final Level READ_COMMITTED = standard("READ COMMITTED", Connection.TRANSACTION_READ_COMMITTED);
    static final Level REPEATABLE_READ = standard("REPEATABLE READ", Connection.TRANSACTION_REPEATABLE_READ);
    static final Level SERIALIZABLE = standard("SERIALIZABLE", Connection.TRANSACTION_SERIALIZABLE);
    /** MariaDB 10.6.18+/10.11.8+: REPEATABLE READ that refuses to write over a row changed since the snapshot. */
    static final Level MARIADB_SNAPSHOT = new Level("REPEATABLE READ + innodb_snapshot_isolation",
            Connection.TRANSACTION_REPEATABLE_READ, List.of("SET SESSION innodb_snapshot_isolation = ON"));
    /** H2's own level between REPEATABLE READ and SERIALIZABLE. */
    static final Level H2_SNAPSHOT = new Level("SNAPSHOT", -1,
            List.of("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SNAPSHOT"));

    private static Level standard(String name, int jdbcLevel) {
        return new Level(name, jdbcLevel, List.of());
    }

    /**
     * Every level a database offers, weakest first. PostgreSQL accepts READ UNCOMMITTED and runs
     * it as READ COMMITTED; it is measured anyway, so the table shows that.
     *
     * @param kind the database
     * @return the levels
     */
    static List<Level> of(DbKind kind) {
        switch (kind.product()) {
            case POSTGRESQL:
                return List.of(READ_UNCOMMITTED, READ_COMMITTED, REPEATABLE_READ, SERIALIZABLE);
            case MARIADB:
                return List.of(READ_UNCOMMITTED, READ_COMMITTED, REPEATABLE_READ, MARIADB_SNAPSHOT, SERIALIZABLE);
            case H2:
                return List.of(READ_UNCOMMITTED, READ_COMMITTED, REPEATABLE_READ, H2_SNAPSHOT, SERIALIZABLE);
            default:
                throw new UnsupportedOperationException("no isolation levels listed for " + kind.id());
        }
    }
}

package dev.latchkey.jdbc.lease;

import java.util.List;

/**
 * PostgreSQL: {@code INSERT .. ON CONFLICT .. DO UPDATE .. WHERE expired RETURNING}, clock
 * {@code statement_timestamp()}; the fence check locks {@code FOR KEY SHARE}, which an acquisition
 * (a key update: the token is in a unique constraint) waits for and a renewal does not.
 */
final class PostgresLeaseSql extends LeaseSql {
    private static final String PLUS = "statement_timestamp() + CAST(? AS BIGINT) * INTERVAL '1 millisecond'";

    PostgresLeaseSql() {
        super("statement_timestamp()", "(" + PLUS + ")", "FOR KEY SHARE");
    }

    @Override
    String acquire(String table) {
        return "INSERT INTO " + table + " AS l (lease_name, token, holder, acquired_at, hold_until, expires_at) "
                + "VALUES (?, 1, ?, " + now + ", " + nowPlusMillis + ", " + nowPlusMillis + ") "
                + "ON CONFLICT (lease_name) DO UPDATE SET token = l.token + 1, holder = EXCLUDED.holder, "
                + "acquired_at = EXCLUDED.acquired_at, hold_until = EXCLUDED.hold_until, expires_at = EXCLUDED.expires_at "
                + "WHERE l.expires_at <= EXCLUDED.acquired_at "
                + "RETURNING l.token, l.expires_at, l.acquired_at AS backend_now";
    }

    @Override
    List<Object> acquireParams(String name, String owner, String attemptId, long atMostMillis, long atLeastMillis) {
        return List.of(name, owner, atLeastMillis, atMostMillis);
    }

    @Override
    String extend(String table) {
        return "UPDATE " + table + " SET expires_at = GREATEST(" + nowPlusMillis + ", hold_until) "
                + "WHERE lease_name = ? AND token = ? AND holder = ? AND expires_at > " + now
                + " RETURNING token, expires_at, " + now + " AS backend_now";
    }
}

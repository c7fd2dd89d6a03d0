package dev.latchkey.jdbc.lease;

import java.util.List;

/**
 * H2 2.x: {@code MERGE .. WHEN MATCHED AND expired} inside a {@code FINAL TABLE}, clock
 * {@code CURRENT_TIMESTAMP} (in H2 fixed for a whole transaction: a fenced check inside a longer
 * transaction compares with its start, which the row lock makes safe); the fence check locks
 * {@code FOR UPDATE}, H2's only row lock, so a renewal also waits for a fenced transaction.
 */
final class H2LeaseSql extends LeaseSql {
    H2LeaseSql() {
        super("CURRENT_TIMESTAMP", "DATEADD(MILLISECOND, CAST(? AS BIGINT), CURRENT_TIMESTAMP)", "FOR UPDATE");
    }

    @Override
    String acquire(String table) {
        return "SELECT token, expires_at, acquired_at AS backend_now FROM FINAL TABLE (MERGE INTO " + table + " l "
                + "USING (VALUES (CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(255)), CAST(? AS BIGINT), "
                + "CAST(? AS BIGINT))) s(lease_name, holder, least_ms, most_ms) ON l.lease_name = s.lease_name "
                + "WHEN MATCHED AND l.expires_at <= " + now + " THEN UPDATE SET token = l.token + 1, holder = s.holder, "
                + "acquired_at = " + now + ", hold_until = DATEADD(MILLISECOND, s.least_ms, " + now + "), "
                + "expires_at = DATEADD(MILLISECOND, s.most_ms, " + now + ") "
                + "WHEN NOT MATCHED THEN INSERT (lease_name, token, holder, acquired_at, hold_until, expires_at) "
                + "VALUES (s.lease_name, 1, s.holder, " + now + ", DATEADD(MILLISECOND, s.least_ms, " + now + "), "
                + "DATEADD(MILLISECOND, s.most_ms, " + now + ")))";
    }

    @Override
    List<Object> acquireParams(String name, String owner, String attemptId, long atMostMillis, long atLeastMillis) {
        return List.of(name, owner, atLeastMillis, atMostMillis);
    }

    @Override
    String extend(String table) {
        return "SELECT token, expires_at, " + now + " AS backend_now FROM FINAL TABLE (UPDATE " + table
                + " SET expires_at = GREATEST(" + nowPlusMillis + ", hold_until) "
                + "WHERE lease_name = ? AND token = ? AND holder = ? AND expires_at > " + now + ")";
    }
}

package dev.latchkey.jdbc.lease;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

import dev.latchkey.lease.spi.LeaseGrant;
import org.jetbrains.annotations.Nullable;

/**
 * MariaDB 10.5+: no {@code UPDATE .. RETURNING}, so acquisition and extension are both one
 * {@code INSERT .. ON DUPLICATE KEY UPDATE .. RETURNING}, which returns the row whether or not it
 * changed: an acquisition is recognised by its {@code attempt_id}, an extension by its token and
 * an expiry still ahead. Every {@code IF} reads the old {@code expires_at}, assigned last (MariaDB
 * assigns left to right). Clock {@code UTC_TIMESTAMP(6)} into {@code DATETIME(6)}; the fence check
 * locks {@code LOCK IN SHARE MODE}, which an acquisition and a renewal both wait for.
 */
final class MariaDbLeaseSql extends LeaseSql {
    private static final String EXPIRED = "expires_at <= UTC_TIMESTAMP(6)";

    MariaDbLeaseSql() {
        super("UTC_TIMESTAMP(6)", "(UTC_TIMESTAMP(6) + INTERVAL (? * 1000) MICROSECOND)", "LOCK IN SHARE MODE");
    }

    @Override
    String acquire(String table) {
        return "INSERT INTO " + table + " (lease_name, token, holder, attempt_id, acquired_at, hold_until, expires_at) "
                + "VALUES (?, 1, ?, ?, " + now + ", " + nowPlusMillis + ", " + nowPlusMillis + ") "
                + "ON DUPLICATE KEY UPDATE token = IF(" + EXPIRED + ", token + 1, token), "
                + "holder = IF(" + EXPIRED + ", VALUE(holder), holder), "
                + "attempt_id = IF(" + EXPIRED + ", VALUE(attempt_id), attempt_id), "
                + "acquired_at = IF(" + EXPIRED + ", VALUE(acquired_at), acquired_at), "
                + "hold_until = IF(" + EXPIRED + ", VALUE(hold_until), hold_until), "
                + "expires_at = IF(" + EXPIRED + ", VALUE(expires_at), expires_at) "
                + "RETURNING token, expires_at, attempt_id, " + now + " AS backend_now";
    }

    @Override
    List<Object> acquireParams(String name, String owner, String attemptId, long atMostMillis, long atLeastMillis) {
        return List.of(name, owner, attemptId, atLeastMillis, atMostMillis);
    }

    @Override
    @Nullable LeaseGrant acquired(ResultSet rs, String attemptId) throws SQLException {
        return attemptId.equals(rs.getString("attempt_id")) ? grant(rs) : null;
    }

    /**
     * The row exists while its acquisition lasts (rows are never deleted), so the insert branch
     * cannot win; should an operator have deleted it, the placeholder inserted is already expired
     * and carries token 0, which no acquisition has.
     */
    @Override
    String extend(String table) {
        return "INSERT INTO " + table + " (lease_name, token, holder, attempt_id, acquired_at, hold_until, expires_at) "
                + "VALUES (?, 0, '', '', " + now + ", " + now + ", " + now + ") "
                + "ON DUPLICATE KEY UPDATE expires_at = IF(token = ? AND holder = ? AND expires_at > " + now
                + ", GREATEST(" + nowPlusMillis + ", hold_until), expires_at) "
                + "RETURNING token, expires_at, " + now + " AS backend_now";
    }

    @Override
    List<Object> extendParams(String name, String owner, long token, long byMillis) {
        return List.of(name, token, owner, byMillis);
    }

    @Override
    @Nullable LeaseGrant extended(ResultSet rs, long token) throws SQLException {
        if (rs.getLong("token") != token) {
            return null; // taken over (or the placeholder of a deleted row, token 0)
        }
        LeaseGrant row = grant(rs);
        return row.expiresAt().isAfter(row.backendNow()) ? row : null;
    }

    /** {@code DATETIME(6)} columns hold UTC. */
    @Override
    Instant instant(ResultSet rs, String column) throws SQLException {
        return Objects.requireNonNull(rs.getObject(column, LocalDateTime.class), column).toInstant(ZoneOffset.UTC);
    }
}

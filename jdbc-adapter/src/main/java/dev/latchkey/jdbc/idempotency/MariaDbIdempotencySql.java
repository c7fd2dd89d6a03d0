package dev.latchkey.jdbc.idempotency;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * MariaDB 10.5+: {@code INSERT ... ON DUPLICATE KEY UPDATE ... RETURNING} (MySQL has no
 * {@code INSERT ... RETURNING}, so it cannot host the store). The table keeps UTC in
 * {@code DATETIME(6)}, immune to session time zones.
 */
final class MariaDbIdempotencySql extends IdempotencySql {
    /** The clock is {@code UTC_TIMESTAMP(6)}, matching the UTC the table keeps. */
    MariaDbIdempotencySql() {
        super("UTC_TIMESTAMP(6)", "(UTC_TIMESTAMP(6) + INTERVAL (? * 1000) MICROSECOND)");
    }

    /**
     * MariaDB evaluates the update's assignments left to right, each seeing the columns already
     * assigned: {@code attempt} is computed first from the old row, then {@code owner_token}
     * takes the new token only when a takeover is allowed, and every later column changes only
     * if {@code owner_token} now holds the new token. {@code RETURNING} gives the row as it is
     * after the statement, claimed or not.
     */
    @Override
    public @NotNull String claim(@NotNull String table) {
        String takeover = "(expires_at <= " + now + " OR (state = 'P' AND lease_expires_at <= " + now
                + " AND fingerprint = VALUES(fingerprint)))";
        String mine = "owner_token = VALUES(owner_token)";
        return "INSERT INTO " + table + " (scope, idem_key, fingerprint, state, owner_token, attempt, claimed_at, "
                + "lease_expires_at, expires_at) VALUES (?, ?, ?, 'P', ?, 1, " + now + ", " + nowPlusMillis
                + ", " + nowPlusMillis + ") "
                + "ON DUPLICATE KEY UPDATE "
                + "attempt = IF(expires_at <= " + now + ", 1, IF(" + takeover + " AND owner_token <> VALUES(owner_token), "
                + "attempt + 1, attempt)), "
                + "owner_token = IF(" + takeover + ", VALUES(owner_token), owner_token), "
                + "fingerprint = IF(" + mine + ", VALUES(fingerprint), fingerprint), "
                + "state = IF(" + mine + ", 'P', state), "
                + "claimed_at = IF(" + mine + ", VALUES(claimed_at), claimed_at), "
                + "completed_at = IF(" + mine + ", NULL, completed_at), "
                + "response_status = IF(" + mine + ", NULL, response_status), "
                + "response_type = IF(" + mine + ", NULL, response_type), "
                + "response_body = IF(" + mine + ", NULL, response_body), "
                + "lease_expires_at = IF(" + mine + ", VALUES(lease_expires_at), lease_expires_at), "
                + "expires_at = IF(" + mine + ", VALUES(expires_at), expires_at) "
                + "RETURNING " + RECORD_COLUMNS + ", " + now + " AS " + OBSERVED_AT;
    }

    @Override
    public boolean claimReturnsCurrentRow() {
        return true;
    }

    /** {@code DATETIME(6)} columns hold UTC. */
    @Override
    @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    /** A completion carrying a body larger than {@code max_allowed_packet} is refused (1153). */
    @Override
    public @NotNull String maxPacketQuery() {
        return "SELECT @@max_allowed_packet";
    }

    @Override
    public @NotNull String purge(@NotNull String table) {
        return "DELETE FROM " + table + " WHERE expires_at <= " + now + " ORDER BY expires_at LIMIT ?";
    }
}

package dev.latchkey.jdbc.dialect;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/** MariaDB and MySQL: one dialect, with version- and flavour-dependent capabilities. */
final class MySqlDialect extends Dialect {
    private final boolean mysql;

    MySqlDialect(boolean mysql, int majorVersion, int minorVersion) {
        super(majorVersion, minorVersion);
        this.mysql = mysql;
    }

    @Override
    public @NotNull DatabaseProduct product() {
        return mysql ? DatabaseProduct.MYSQL : DatabaseProduct.MARIADB;
    }

    @Override
    String productName() {
        return mysql ? "MySQL" : "MariaDB";
    }

    /** @return whether the server is MySQL rather than MariaDB */
    boolean isMySql() {
        return mysql;
    }

    @Override
    String quote(String part) {
        return '`' + part + '`';
    }

    @Override
    public @NotNull String currentTimestamp() {
        return "CURRENT_TIMESTAMP(6)";
    }

    // ---- row locks ------------------------------------------------------------------------

    /** {@code FOR SHARE} on MySQL 8; MariaDB spells it {@code LOCK IN SHARE MODE}. */
    @Override
    public boolean supportsForShare() {
        return true;
    }

    @Override
    public boolean supportsNowait() {
        return mysql ? versionAtLeast(8, 0) : versionAtLeast(10, 3);
    }

    @Override
    public boolean supportsSkipLocked() {
        return mysql ? versionAtLeast(8, 0) : versionAtLeast(10, 6);
    }

    @Override
    public boolean supportsLockTimeout() {
        return true;
    }

    /** MariaDB 10.3+: {@code max_statement_time} in the statement, to the ms; else whole seconds. */
    @Override
    public @NotNull Duration lockTimeoutResolution() {
        return timeoutInStatement() ? Duration.ofMillis(1) : Duration.ofSeconds(1);
    }

    @Override
    public boolean supportsAdvisoryLocks() {
        return true;
    }

    private boolean timeoutInStatement() {
        return !mysql && versionAtLeast(10, 3);
    }

    // ---- idempotency store ----------------------------------------------------------------

    /** MariaDB 10.5+: the claim needs {@code INSERT ... RETURNING}, which MySQL lacks. */
    @Override
    public boolean supportsIdempotencyStore() {
        return !mysql && versionAtLeast(10, 5);
    }

    @Override
    public @NotNull String idempotencySchemaResource() {
        requireIdempotencyStore();
        return "mariadb.sql";
    }

    /** {@code UTC_TIMESTAMP(6)}: the table keeps UTC in {@code DATETIME(6)}, immune to session time zones. */
    @Override
    public @NotNull String idempotencyNow() {
        requireIdempotencyStore();
        return "UTC_TIMESTAMP(6)";
    }

    @Override
    public @NotNull String idempotencyNowPlusMillis() {
        requireIdempotencyStore();
        return "(UTC_TIMESTAMP(6) + INTERVAL (? * 1000) MICROSECOND)";
    }

    /**
     * {@code INSERT ... ON DUPLICATE KEY UPDATE ... RETURNING}. MariaDB evaluates the update's
     * assignments left to right, each seeing the columns already assigned: {@code attempt} is
     * computed first from the old row, then {@code owner_token} takes the new token only when a
     * takeover is allowed, and every later column changes only if {@code owner_token} now holds
     * the new token. {@code RETURNING} gives the row as it is after the statement, claimed or not.
     */
    @Override
    public @NotNull String idempotencyClaim(@NotNull String table) {
        requireIdempotencyStore();
        String now = idempotencyNow();
        String takeover = "(expires_at <= " + now + " OR (state = 'P' AND lease_expires_at <= " + now
                + " AND fingerprint = VALUES(fingerprint)))";
        String mine = "owner_token = VALUES(owner_token)";
        return "INSERT INTO " + table + " (scope, idem_key, fingerprint, state, owner_token, attempt, claimed_at, "
                + "lease_expires_at, expires_at) VALUES (?, ?, ?, 'P', ?, 1, " + now + ", " + idempotencyNowPlusMillis()
                + ", " + idempotencyNowPlusMillis() + ") "
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
                + "RETURNING " + IDEMPOTENCY_RECORD_COLUMNS + ", " + now;
    }

    @Override
    public boolean idempotencyClaimReturnsCurrentRow() {
        return true;
    }

    @Override
    public @NotNull String idempotencyPurge(@NotNull String table) {
        requireIdempotencyStore();
        return "DELETE FROM " + table + " WHERE expires_at <= " + idempotencyNow() + " ORDER BY expires_at LIMIT ?";
    }

    /** {@code DATETIME(6)} columns hold UTC. */
    @Override
    public @Nullable Instant idempotencyInstant(@NotNull ResultSet rs, int column) throws SQLException {
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    private void requireIdempotencyStore() {
        if (!supportsIdempotencyStore()) {
            throw unsupported("the JDBC idempotency store (its claim needs INSERT ... ON DUPLICATE KEY UPDATE ... "
                    + "RETURNING, MariaDB 10.5+)");
        }
    }
}

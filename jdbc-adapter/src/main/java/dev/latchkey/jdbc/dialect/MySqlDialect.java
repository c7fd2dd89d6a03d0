package dev.latchkey.jdbc.dialect;

import java.sql.ResultSet;
import java.sql.SQLException;
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
    java.util.Set<String> keywords() {
        return Keywords.of(mysql ? Keywords.MYSQL : Keywords.MARIADB);
    }

    @Override
    public @NotNull String currentTimestamp() {
        return "CURRENT_TIMESTAMP(6)";
    }

    // ---- atomic updates and optimistic versions -------------------------------------------

    @Override
    public boolean supportsUpdateReturning() {
        return false;
    }

    @Override
    public boolean assignsSequentially() {
        return true;
    }

    @Override
    public @NotNull String nextTimestampVersion(@NotNull String column) {
        return "GREATEST(" + currentTimestamp() + ", " + column + " + INTERVAL 1 MICROSECOND)";
    }

    @Override
    public @NotNull String latestRowReadSuffix() {
        return " LOCK IN SHARE MODE";
    }

    @Override
    public @NotNull String upsert(@NotNull String table, java.util.@NotNull List<String> keyColumns,
                                  java.util.@NotNull List<String> insertColumns, @NotNull String assignments) {
        return "INSERT INTO " + table + " (" + String.join(", ", insertColumns) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(insertColumns.size(), "?"))
                + ") ON DUPLICATE KEY UPDATE " + assignments;
    }

    @Override
    public @NotNull String upsertExisting(@NotNull String column) {
        return column;
    }

    @Override
    public @NotNull String upsertProposed(@NotNull String column) {
        // VALUES(col): MariaDB's form; MySQL 8.0.20+ deprecates it (a warning) in favour of a row alias
        return "VALUES(" + column + ")";
    }

    @Override
    public boolean supportsUpsertReturning() {
        return !mysql && versionAtLeast(10, 5);
    }

    @Override
    public @NotNull String upsertReturning(@NotNull String upsert, @NotNull String columns) {
        if (!supportsUpsertReturning()) {
            throw unsupported("INSERT ... RETURNING");
        }
        return upsert + " RETURNING " + columns;
    }

    // ---- row locks ------------------------------------------------------------------------

    /** MariaDB's per-statement limit on the whole statement, which ends a lock wait to the ms. */
    private static final int MARIADB_STATEMENT_TIME_EXCEEDED = 1969;
    /** The longest wait {@code GET_LOCK} is asked for when told to wait indefinitely: one year. */
    private static final long GET_LOCK_FOREVER_SECONDS = 365L * 24 * 3600;

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
    public @NotNull java.time.Duration lockTimeoutResolution() {
        return timeoutInStatement() ? java.time.Duration.ofMillis(1) : java.time.Duration.ofSeconds(1);
    }

    @Override
    public boolean supportsAdvisoryLocks() {
        return true;
    }

    private boolean timeoutInStatement() {
        return !mysql && versionAtLeast(10, 3);
    }

    @Override
    String strengthClause(dev.latchkey.jdbc.lock.LockStrength strength) {
        if (strength == dev.latchkey.jdbc.lock.LockStrength.SHARE && !(mysql && versionAtLeast(8, 0))) {
            return "LOCK IN SHARE MODE";
        }
        return strength.sql();
    }

    /**
     * MariaDB: {@code SET STATEMENT max_statement_time=0.300 FOR SELECT ..}: the statement-scoped
     * limit ends the wait to the millisecond ({@code innodb_lock_wait_timeout} and {@code WAIT n}
     * take whole seconds only, and {@code WAIT 0.3} silently means {@code NOWAIT}).
     */
    @Override
    String statementTimeoutPrefix(long millis) {
        return timeoutInStatement() ? "SET STATEMENT max_statement_time=" + decimalSeconds(millis) + " FOR " : "";
    }

    /** MariaDB: {@code WAIT n}, whole seconds rounded up, so InnoDB's own wait never ends first. */
    @Override
    String statementTimeoutSuffix(long millis) {
        return timeoutInStatement() ? " WAIT " + wholeSecondsUp(millis) : "";
    }

    /**
     * MySQL (and MariaDB before 10.3): the session's {@code innodb_lock_wait_timeout} in whole
     * seconds, rounded up, saved in a user variable and put back after the statement, whether it
     * succeeded or not (a lock wait timeout rolls back only the statement).
     */
    @Override
    public @NotNull LockTimeoutSetting applyLockTimeout(@NotNull java.sql.Connection connection,
            @org.jetbrains.annotations.Nullable java.time.Duration timeout) throws java.sql.SQLException {
        if (timeout == null || timeoutInStatement()) {
            return LockTimeoutSetting.NONE;
        }
        try (java.sql.PreparedStatement ps = connection.prepareStatement("SET @latchkey_lock_wait_timeout = "
                + "@@SESSION.innodb_lock_wait_timeout, SESSION innodb_lock_wait_timeout = ?")) {
            ps.setLong(1, wholeSecondsUp(lockTimeoutMillis(timeout)));
            ps.execute();
        }
        return statementSucceeded -> {
            try (java.sql.Statement st = connection.createStatement()) {
                st.execute("SET SESSION innodb_lock_wait_timeout = @latchkey_lock_wait_timeout");
            }
        };
    }

    /** {@code GET_LOCK(name, seconds)} carries its own timeout. */
    @Override
    public @NotNull LockTimeoutSetting applyAdvisoryLockTimeout(@NotNull java.sql.Connection connection,
            @org.jetbrains.annotations.Nullable java.time.Duration timeout) {
        return LockTimeoutSetting.NONE;
    }

    /** NOWAIT is reported as 1205 (lock wait timeout); {@code max_statement_time} as 1969. */
    @Override
    public boolean isLockUnavailable(@NotNull java.sql.SQLException e, boolean timeoutSet) {
        return super.isLockUnavailable(e, timeoutSet)
                || (timeoutSet && timeoutInStatement() && e.getErrorCode() == MARIADB_STATEMENT_TIME_EXCEEDED);
    }

    /** {@code GET_LOCK} names are at most 64 characters. */
    @Override
    public @NotNull Object advisoryLockIdentity(@NotNull String name) {
        if (name.length() > 64) {
            throw new IllegalArgumentException("an advisory lock name on " + name() + " is at most 64 characters: name="
                    + name.substring(0, 64) + "... (" + name.length() + " characters)");
        }
        return name;
    }

    @Override
    public @NotNull String advisoryLockSql(boolean tryOnly) {
        return "SELECT GET_LOCK(?, ?)";
    }

    /** The name, and the wait in seconds: 0 to try, decimal seconds for a timeout, a year to wait. */
    @Override
    public @NotNull java.util.List<Object> advisoryLockParameters(@NotNull String name, boolean tryOnly,
            @org.jetbrains.annotations.Nullable java.time.Duration timeout) {
        Object seconds;
        if (tryOnly) {
            seconds = 0L;
        } else if (timeout == null) {
            seconds = GET_LOCK_FOREVER_SECONDS;
        } else if (mysql) {
            seconds = wholeSecondsUp(lockTimeoutMillis(timeout));
        } else {
            seconds = new java.math.BigDecimal(decimalSeconds(lockTimeoutMillis(timeout)));
        }
        return java.util.List.of(advisoryLockIdentity(name), seconds);
    }

    /** {@code GET_LOCK} returns 1 when acquired, 0 on timeout and NULL on an error. */
    @Override
    public boolean advisoryLockAcquired(@org.jetbrains.annotations.Nullable Object result, boolean tryOnly) {
        if (result == null) {
            throw new IllegalStateException("GET_LOCK returned NULL on " + name()
                    + ": the server reported an error (the session was killed or ran out of memory)");
        }
        return ((Number) result).intValue() == 1;
    }

    @Override
    public @org.jetbrains.annotations.Nullable String advisoryUnlockSql() {
        return "SELECT RELEASE_LOCK(?)";
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

package dev.latchkey.jdbc.lock;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.error.SqlErrorTranslator;
import dev.latchkey.jdbc.internal.Session;
import org.jetbrains.annotations.Nullable;

/**
 * MariaDB and MySQL: {@code LOCK IN SHARE MODE} where {@code FOR SHARE} is missing, the lock
 * timeout in the statement on MariaDB 10.3+ and as {@code innodb_lock_wait_timeout} otherwise,
 * and {@code GET_LOCK} session locks that the transaction runner releases.
 */
final class MySqlLockSql extends LockSql {
    /** MariaDB's per-statement limit on the whole statement, which ends a lock wait to the ms. */
    private static final int MARIADB_STATEMENT_TIME_EXCEEDED = 1969;
    /**
     * MariaDB's longest statement-scoped wait, one year: the maximum of {@code max_statement_time}
     * and {@code lock_wait_timeout} (31536000 s; more is truncated to it with warning 1292). Also
     * the longest wait {@code GET_LOCK} is asked for, and what it is asked for when told to wait
     * indefinitely ({@code GET_LOCK} itself wraps around at 2^64 ns and then returns 0 at once).
     */
    private static final long GET_LOCK_FOREVER_SECONDS = 365L * 24 * 3600;
    /** MySQL's maximum {@code innodb_lock_wait_timeout}, in seconds. */
    private static final long MYSQL_MAX_LOCK_WAIT_SECONDS = 1L << 30;

    private final boolean mysql;
    /**
     * MariaDB 10.3+: {@code max_statement_time} in the statement, to the ms; else whole seconds.
     * The same rule gives {@link Dialect#lockTimeoutResolution()}.
     */
    private final boolean timeoutInStatement;

    MySqlLockSql(Dialect dialect) {
        super(dialect);
        this.mysql = dialect.product() == DatabaseProduct.MYSQL;
        this.timeoutInStatement = !mysql && dialect.versionAtLeast(10, 3);
    }

    /**
     * MySQL: {@code innodb_lock_wait_timeout} (at most 1073741824 s); MariaDB: one year, the
     * maximum of {@code max_statement_time}, {@code lock_wait_timeout} and so of {@code WAIT n}.
     */
    @Override
    long maxLockTimeoutMillis() {
        return (mysql ? MYSQL_MAX_LOCK_WAIT_SECONDS : GET_LOCK_FOREVER_SECONDS) * 1000;
    }

    @Override
    String lockTimeoutLimit() {
        return mysql ? "innodb_lock_wait_timeout (1073741824 seconds)"
                : "max_statement_time and lock_wait_timeout (31536000 seconds, one year)";
    }

    /** {@code FOR SHARE} on MySQL 8; MariaDB (and MySQL 5.7) spell it {@code LOCK IN SHARE MODE}. */
    @Override
    String strengthClause(LockStrength strength) {
        if (strength == LockStrength.SHARE && !(mysql && dialect.versionAtLeast(8, 0))) {
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
        return timeoutInStatement ? "SET STATEMENT max_statement_time=" + decimalSeconds(millis) + " FOR " : "";
    }

    /** MariaDB: {@code WAIT n}, whole seconds rounded up, so InnoDB's own wait never ends first. */
    @Override
    String statementTimeoutSuffix(long millis) {
        return timeoutInStatement ? " WAIT " + wholeSecondsUp(millis) : "";
    }

    /**
     * MySQL (and MariaDB before 10.3): the session's {@code innodb_lock_wait_timeout} in whole
     * seconds, rounded up, saved in a user variable and put back after the statement, whether it
     * succeeded or not (a lock wait timeout rolls back only the statement).
     */
    @Override
    LockTimeoutSetting applyLockTimeout(Session session, @Nullable Duration timeout) {
        if (timeout == null || timeoutInStatement) {
            return LockTimeoutSetting.NONE;
        }
        session.update("SET @latchkey_lock_wait_timeout = @@SESSION.innodb_lock_wait_timeout, "
                + "SESSION innodb_lock_wait_timeout = ?", List.of(wholeSecondsUp(lockTimeoutMillis(timeout))));
        return statementSucceeded -> session.update("SET SESSION innodb_lock_wait_timeout = "
                + "@latchkey_lock_wait_timeout", List.of());
    }

    /** {@code GET_LOCK(name, seconds)} carries its own timeout. */
    @Override
    LockTimeoutSetting applyAdvisoryLockTimeout(Session session, @Nullable Duration timeout) {
        return LockTimeoutSetting.NONE;
    }

    /** NOWAIT is reported as 1205 (lock wait timeout); {@code max_statement_time} as 1969. */
    @Override
    boolean isLockUnavailable(SqlErrorTranslator errors, SQLException e, boolean timeoutSet) {
        return super.isLockUnavailable(errors, e, timeoutSet)
                || (timeoutSet && timeoutInStatement && e.getErrorCode() == MARIADB_STATEMENT_TIME_EXCEEDED);
    }

    /** {@code GET_LOCK} names are at most 64 characters. */
    @Override
    Object advisoryLockIdentity(String name) {
        if (name.length() > 64) {
            throw new IllegalArgumentException("an advisory lock name on " + dialect.name()
                    + " is at most 64 characters: name=" + name.substring(0, 64) + "... (" + name.length()
                    + " characters)");
        }
        return name;
    }

    @Override
    String advisoryLockSql(boolean tryOnly) {
        return "SELECT GET_LOCK(?, ?)";
    }

    /** The name, and the wait in seconds: 0 to try, decimal seconds for a timeout, a year to wait. */
    @Override
    List<Object> advisoryLockParameters(String name, boolean tryOnly, @Nullable Duration timeout) {
        Object seconds;
        if (tryOnly) {
            seconds = 0L;
        } else if (timeout == null) {
            seconds = GET_LOCK_FOREVER_SECONDS;
        } else if (mysql) {
            seconds = wholeSecondsUp(lockTimeoutMillis(timeout));
        } else {
            seconds = new BigDecimal(decimalSeconds(lockTimeoutMillis(timeout)));
        }
        return List.of(advisoryLockIdentity(name), seconds);
    }

    /** {@code GET_LOCK} returns 1 when acquired, 0 on timeout and NULL on an error. */
    @Override
    boolean advisoryLockAcquired(@Nullable Object result, boolean tryOnly) {
        if (result == null) {
            throw new IllegalStateException("GET_LOCK returned NULL on " + dialect.name()
                    + ": the server reported an error (the session was killed or ran out of memory)");
        }
        return ((Number) result).intValue() == 1;
    }

    @Override
    @Nullable String advisoryUnlockSql() {
        return "SELECT RELEASE_LOCK(?)";
    }
}

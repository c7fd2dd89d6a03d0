package dev.latchkey.jdbc.dialect;

import java.util.Set;
import java.time.Duration;
import org.jetbrains.annotations.NotNull;

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

    /**
     * Returns whether the server is MySQL rather than MariaDB.
     *
     * @return whether the server is MySQL rather than MariaDB
     */
    boolean isMySql() {
        return mysql;
    }


    @Override
    Set<String> keywords() {
        return Keywords.of(mysql ? Keywords.MYSQL : Keywords.MARIADB);
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
}

package dev.latchkey.jdbc.lock;

import dev.latchkey.jdbc.dialect.Dialect;

/**
 * H2 (2.x): the lock timeout in the statement ({@code WAIT n.nnn}); no named locks (a lock table
 * would be a different feature, so none is faked).
 */
final class H2LockSql extends LockSql {

    H2LockSql(Dialect dialect) {
        super(dialect);
    }


    @Override
    String lockTimeoutLimit() {
        return "FOR UPDATE WAIT (0 to 2147483.647 seconds)";
    }

    /** {@code FOR UPDATE WAIT 0.300}: H2 takes the wait in decimal seconds. */
    @Override
    String statementTimeoutSuffix(long millis) {
        return " WAIT " + decimalSeconds(millis);
    }
}

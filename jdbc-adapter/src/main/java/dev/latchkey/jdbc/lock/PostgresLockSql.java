package dev.latchkey.jdbc.lock;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.internal.BoundedCache;
import dev.latchkey.jdbc.internal.Session;
import org.jetbrains.annotations.Nullable;

/**
 * PostgreSQL: {@code lock_timeout} set transaction-locally around the statement, and
 * transaction-scoped advisory locks ({@code pg_advisory_xact_lock}) on a key derived from the name.
 */
final class PostgresLockSql extends LockSql {
    /** Reads the current {@code lock_timeout} and sets a transaction-local one in one round trip. */
    private static final String SET_LOCK_TIMEOUT = "SELECT p.v, set_config('lock_timeout', ?, true) "
            + "FROM (SELECT current_setting('lock_timeout') AS v OFFSET 0) p";
    private static final String RESTORE_LOCK_TIMEOUT = "SELECT set_config('lock_timeout', ?, true)";

    /** How many advisory lock names have their key cached (all {@code Latchkey} instances together). */
    static final int KEY_CACHE_CAPACITY = 1024;
    private static final BoundedCache<String, List<Object>> KEYS = new BoundedCache<>(KEY_CACHE_CAPACITY);

    PostgresLockSql(Dialect dialect) {
        super(dialect);
    }


    @Override
    String lockTimeoutLimit() {
        return "lock_timeout (an int of milliseconds)";
    }

    /**
     * {@code SET LOCAL lock_timeout}, as {@code set_config(.., true)} so the value is bound; the
     * previous value is put back after a successful statement (after a failed one the transaction
     * is aborted and the local setting ends with it).
     */
    @Override
    LockTimeoutSetting applyLockTimeout(Session session, @Nullable Duration timeout) {
        if (timeout == null) {
            return LockTimeoutSetting.NONE;
        }
        String previous = session.query(SET_LOCK_TIMEOUT, List.of(lockTimeoutMillis(timeout) + "ms"),
                rs -> rs.getString(1)).get(0);
        return statementSucceeded -> {
            if (statementSucceeded) {
                session.query(RESTORE_LOCK_TIMEOUT, Collections.singletonList(previous), 1);
            }
        };
    }

    @Override
    Object advisoryLockIdentity(String name) {
        return keyParameter(name).get(0);
    }

    /**
     * The advisory lock's key as the statement's one parameter: hashed once per name (SHA-256 is
     * the costliest part of taking the lock) and kept in a bounded cache of
     * {@value #KEY_CACHE_CAPACITY} names.
     */
    private static List<Object> keyParameter(String name) {
        List<Object> p = KEYS.get(name);
        if (p == null) {
            p = List.of(AdvisoryLock.postgresKey(name));
            KEYS.put(name, p);
        }
        return p;
    }

    @Override
    String advisoryLockSql(boolean tryOnly) {
        return tryOnly ? "SELECT pg_try_advisory_xact_lock(?)" : "SELECT pg_advisory_xact_lock(?)";
    }

    @Override
    List<Object> advisoryLockParameters(String name, boolean tryOnly, @Nullable Duration timeout) {
        return keyParameter(name);
    }

    @Override
    boolean advisoryLockAcquired(@Nullable Object result, boolean tryOnly) {
        // pg_advisory_xact_lock returns void: reaching the result means the lock is held
        return !tryOnly || Boolean.TRUE.equals(result);
    }
}

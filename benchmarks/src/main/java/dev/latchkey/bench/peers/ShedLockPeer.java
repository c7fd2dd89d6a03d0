package dev.latchkey.bench.peers;

import java.time.Duration;
import java.util.Optional;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * ShedLock 6's JDBC provider as its README recommends: {@code JdbcTemplateLockProvider} with
 * {@code usingDbTime()} (the database's clock decides expiry), one lock row per job name. A job
 * lock here is one acquisition and its release: {@code lock(..)}, then {@code unlock()}.
 */
final class ShedLockPeer {
    private final JdbcTemplateLockProvider provider;

    ShedLockPeer(DataSource dataSource, String table) {
        provider = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(dataSource))
                .withTableName(table)
                .usingDbTime()
                .build());
    }

    /**
     * Takes the job lock and releases it: {@code lockAtMostFor} one minute, {@code lockAtLeastFor}
     * zero, so the release frees it at once.
     *
     * @param name the job's name
     * @return whether the lock was had
     */
    boolean runJob(String name) {
        Optional<SimpleLock> lock = provider.lock(new LockConfiguration(ClockProvider.now(), name,
                Duration.ofMinutes(1), Duration.ZERO));
        lock.ifPresent(SimpleLock::unlock);
        return lock.isPresent();
    }
}

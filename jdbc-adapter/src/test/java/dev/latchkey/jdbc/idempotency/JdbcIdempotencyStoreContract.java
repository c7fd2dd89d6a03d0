package dev.latchkey.jdbc.idempotency;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.idempotency.contract.IdempotencyStoreContract;
import dev.latchkey.idempotency.spi.IdempotencyStore;
import dev.latchkey.jdbc.Isolation;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.testing.DatabaseServers;
import dev.latchkey.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * The shared idempotency-store contract on one database: each subclass names its database with
 * {@link ContractOn}; every test gets a fresh table made from the shipped schema file. Test names
 * end with {@code [database]} so reports count them per database. Time passes on the database's
 * clock, so {@link #elapse} sleeps.
 */
@DisplayNameGeneration(JdbcIdempotencyStoreContract.PerDatabaseNames.class)
abstract class JdbcIdempotencyStoreContract extends IdempotencyStoreContract {
    private static final Map<String, HikariDataSource> POOLS = new ConcurrentHashMap<>();

    private TestDatabase db;
    private String table;
    private JdbcIdempotencyStore store;

    @BeforeEach
    void createStore() {
        ContractOn on = getClass().getAnnotation(ContractOn.class);
        DatabaseServers.Availability a = DatabaseServers.availability(on.value());
        if (!a.available()) {
            if (DatabaseServers.inCi()) {
                throw new AssertionError(on.value().id() + " is required in CI (CI=true) but unavailable: " + a.reason());
            }
            Assumptions.abort(on.value().id() + " skipped: " + a.reason());
        }
        db = new TestDatabase(a.server());
        DataSource ds = on.isolation() == Isolation.DEFAULT ? db.dataSource() : pool(db, on.isolation());
        Latchkey latchkey = Latchkey.builder(ds).dialect(db.latchkey().dialect()).build();
        table = db.uniqueName("idem");
        store = latchkey.idempotencyStore(table);
        store.createTableIfNotExists();
    }

    @AfterEach
    void dropTable() {
        if (db != null && table != null) {
            db.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    @AfterAll
    static void closePools() {
        POOLS.values().forEach(HikariDataSource::close);
        POOLS.clear();
    }

    /** A pool whose connections run at the given isolation level (READ COMMITTED or REPEATABLE READ). */
    static HikariDataSource pool(TestDatabase db, Isolation isolation) {
        return POOLS.computeIfAbsent(db.kind().id() + "-" + isolation, k -> {
            HikariConfig cfg = new HikariConfig();
            cfg.setPoolName("latchkey-idem-" + k);
            cfg.setJdbcUrl(db.server().jdbcUrl());
            cfg.setMaximumPoolSize(16);
            cfg.setMinimumIdle(1);
            cfg.setConnectionTimeout(60_000);
            cfg.setAutoCommit(true);
            cfg.setTransactionIsolation("TRANSACTION_" + isolation.name());
            return new HikariDataSource(cfg);
        });
    }

    @Override
    protected IdempotencyStore store() {
        return store;
    }

    @Override
    protected void elapse(Duration d) {
        try {
            Thread.sleep(d.toMillis() + 50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Duration shortLease() {
        return Duration.ofMillis(300);
    }

    @Override
    protected Duration briefLease() {
        return Duration.ofSeconds(2);
    }

    /** Appends {@code [database]} to every test name. */
    static final class PerDatabaseNames extends DisplayNameGenerator.Standard {
        @Override
        public String generateDisplayNameForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass,
                                                   Method testMethod) {
            ContractOn on = testClass.getAnnotation(ContractOn.class);
            String id = on == null ? "" : "[" + on.value().id() + (on.suffix().isEmpty() ? "" : "-" + on.suffix()) + "]";
            return super.generateDisplayNameForMethod(enclosingInstanceTypes, testClass, testMethod) + id;
        }
    }
}

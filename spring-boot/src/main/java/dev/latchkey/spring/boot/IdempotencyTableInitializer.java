package dev.latchkey.spring.boot;

import java.sql.SQLException;
import java.util.Objects;
import java.util.Set;

import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;
import org.springframework.beans.factory.InitializingBean;

/**
 * At start-up, makes sure the idempotency store's table exists: creates it (and its index) when
 * {@code latchkey.idempotency.create-table} is true, every statement {@code IF NOT EXISTS};
 * otherwise reads it once and fails start-up with {@link IdempotencyTableMissingException} if it
 * is missing. Runs after Flyway, Liquibase and Boot's SQL initialization (the bean is
 * {@code @DependsOnDatabaseInitialization}), so a table they create is found.
 */
public final class IdempotencyTableInitializer implements InitializingBean {
    /** Table missing: PostgreSQL's undefined_table, the SQL standard's (MariaDB, MySQL, H2), and H2's variants. */
    private static final Set<String> UNDEFINED_TABLE = Set.of("42P01", "42S02", "42S03", "42S04");
    private static final IdempotencyKey PROBE = IdempotencyKey.of("latchkey", "start-up table check");

    private final JdbcIdempotencyStore store;
    private final String database;
    private final boolean createTable;

    /**
     * Creates the initializer.
     *
     * @param store the store whose table to prepare
     * @param latchkey the Latchkey of the store's data source, for the database's name
     * @param createTable whether to create the table, or only check that it exists
     */
    public IdempotencyTableInitializer(@NotNull JdbcIdempotencyStore store, @NotNull Latchkey latchkey,
                                       boolean createTable) {
        this.store = Objects.requireNonNull(store, "store");
        this.database = Objects.requireNonNull(latchkey, "latchkey").dialect().name();
        this.createTable = createTable;
    }

    /**
     * Creates or checks the table: one DDL statement per schema statement, or one {@code SELECT}.
     *
     * @throws IdempotencyTableMissingException if the table is missing and creation is off
     * @throws RuntimeException any other database error, as Latchkey translates it
     */
    @Override
    public void afterPropertiesSet() {
        if (createTable) {
            store.createTableIfNotExists();
            return;
        }
        try {
            store.find(PROBE);
        } catch (RuntimeException e) {
            if (UNDEFINED_TABLE.contains(sqlState(e))) {
                throw new IdempotencyTableMissingException(store.table(), database,
                        store.schemaStatements(), e);
            }
            throw e;
        }
    }

    private static @Nullable String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException && ((SQLException) t).getSQLState() != null) {
                return ((SQLException) t).getSQLState();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "IdempotencyTableInitializer[table=" + store.table() + ", createTable=" + createTable + "]";
    }
}

package dev.latchkey.spring.boot;

import java.util.List;
import java.util.Objects;

import org.jetbrains.annotations.NotNull;

/**
 * Start-up found no idempotency table and was told not to create it
 * ({@code latchkey.idempotency.create-table=false}). {@link IdempotencyTableMissingFailureAnalyzer}
 * turns it into Boot's start-up failure report, with the DDL to run.
 */
public final class IdempotencyTableMissingException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The table; a validated identifier, so never a secret. */
    private final String table;
    /** The database's name, e.g. {@code PostgreSQL 14}. */
    private final String database;
    /** The statements that create the table on that database (an array: serializable, unlike a List type). */
    private final String[] ddl;

    /**
     * Creates the exception.
     *
     * @param table the table that is missing
     * @param database the database, as the dialect names it
     * @param ddl the statements that create the table there
     * @param cause the error reading the table gave
     */
    public IdempotencyTableMissingException(@NotNull String table, @NotNull String database,
                                            @NotNull List<String> ddl, @NotNull Throwable cause) {
        super("Latchkey's idempotency table '" + table + "' does not exist in the application's database ("
                + database + ") and latchkey.idempotency.create-table is false", cause);
        this.table = Objects.requireNonNull(table, "table");
        this.database = Objects.requireNonNull(database, "database");
        this.ddl = List.copyOf(ddl).toArray(String[]::new);
    }

    /**
     * Returns the missing table.
     *
     * @return the missing table
     */
    public @NotNull String table() {
        return table;
    }

    /**
     * Returns the database, as the dialect names it.
     *
     * @return the database, as the dialect names it
     */
    public @NotNull String database() {
        return database;
    }

    /**
     * Returns the statements that create the table on this database.
     *
     * @return the statements that create the table on this database
     */
    public @NotNull List<String> ddl() {
        return List.of(ddl);
    }
}

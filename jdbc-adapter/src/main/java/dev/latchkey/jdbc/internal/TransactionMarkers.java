package dev.latchkey.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.dialect.Dialect;
import org.jetbrains.annotations.NotNull;

/**
 * The commit-marker table of verified commits on the databases that have no transaction-status
 * function (MariaDB, MySQL, H2): its shipped DDL ({@code commit-marker-<database>.sql} beside this
 * class, with the default name replaced), the marker insert a verified transaction runs just
 * before {@code COMMIT}, and the purge of old markers. PostgreSQL needs no table (it reports a
 * transaction's status by its id). Immutable and thread-safe.
 */
public final class TransactionMarkers {
    /** The table name of the shipped DDL files. */
    public static final String DEFAULT_TABLE = "latchkey_commit_marker";
    /** The youngest markers {@link #purge} may delete: far beyond any outcome check still looking for one. */
    public static final Duration MIN_PURGE_AGE = Duration.ofHours(1);


    private final Dialect dialect;
    private final String table;
    private final String rendered;
    private final String insertSql;
    private final String findSql;

    /**
     * The markers of a table.
     *
     * @param dialect the database's dialect
     * @param table the table name, {@code name} or {@code schema.name}; validated here
     * @throws IllegalArgumentException if the name is not a valid identifier
     */
    public TransactionMarkers(@NotNull Dialect dialect, @NotNull String table) {
        this.dialect = dialect;
        this.table = table;
        this.rendered = dialect.identifier("markerTable", table);
        this.insertSql = "INSERT INTO " + rendered + " (id, created_at) VALUES (?, " + now() + ")";
        this.findSql = "SELECT id FROM " + rendered + " WHERE id = ?";
    }

    /**
     * Returns whether this database keeps markers in a table (all but PostgreSQL).
     *
     * @return whether this database keeps markers in a table (all but PostgreSQL)
     */
    public boolean usesTable() {
        return dialect.product() != DatabaseProduct.POSTGRESQL;
    }

    /**
     * Returns the table name as given.
     *
     * @return the table name as given
     */
    public @NotNull String table() {
        return table;
    }

    /**
     * The marker insert. Parameter: the marker id.
     *
     * @return the SQL
     */
    @NotNull String insertSql() {
        return insertSql;
    }

    /**
     * The read of a committed marker. Parameter: the marker id. Returns one row or none.
     *
     * @return the SQL
     */
    @NotNull String findSql() {
        return findSql;
    }

    /**
     * Returns the DDL statements of the table, without comments or terminators; none on PostgreSQL.
     *
     * @return the DDL statements of the table, without comments or terminators; none on PostgreSQL
     */
    public @NotNull List<String> schemaStatements() {
        if (!usesTable()) {
            return List.of();
        }
        String file = dialect.product() == DatabaseProduct.H2 ? "h2" : "mariadb";
        return SchemaScript.statements(TransactionMarkers.class, "commit-marker-" + file + ".sql", DEFAULT_TABLE,
                dialect, table);
    }

    /**
     * Runs the DDL on a connection, statement by statement.
     *
     * @param c the connection
     * @throws SQLException on failure
     */
    public void createTableIfNotExists(@NotNull Connection c) throws SQLException {
        for (String ddl : schemaStatements()) {
            Statements.update(c, ddl, List.of());
        }
    }

    /**
     * Deletes up to {@code limit} markers older than {@code olderThan} by the database's clock.
     *
     * @param c the connection (auto-commit)
     * @param olderThan the age, at least {@link #MIN_PURGE_AGE}
     * @param limit the most rows to delete, {@code >= 1}
     * @return the rows deleted; 0 on PostgreSQL
     * @throws SQLException on failure
     */
    public int purge(@NotNull Connection c, @NotNull Duration olderThan, int limit) throws SQLException {
        if (!usesTable()) {
            return 0;
        }
        long micros = olderThan.toNanos() / 1000;
        String sql = dialect.product() == DatabaseProduct.H2
                ? "DELETE FROM " + rendered + " WHERE created_at < DATEADD(MICROSECOND, ?, " + now()
                        + ") FETCH FIRST ? ROWS ONLY"
                : "DELETE FROM " + rendered + " WHERE created_at < " + now()
                        + " - INTERVAL ? MICROSECOND ORDER BY created_at LIMIT ?";
        return Statements.update(c, sql,
                List.of(dialect.product() == DatabaseProduct.H2 ? -micros : micros, limit));
    }

    private String now() {
        return dialect.product().isMySqlFamily() ? "UTC_TIMESTAMP(6)" : dialect.currentTimestamp();
    }
}

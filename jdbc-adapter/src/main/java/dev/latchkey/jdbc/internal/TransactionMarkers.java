package dev.latchkey.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern NAME = Pattern.compile("\\b" + DEFAULT_TABLE + "(_[a-z]+)?\\b");
    private static final int MAX_IDENTIFIER = 63;

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
        String base = table.substring(table.indexOf('.') + 1);
        StringBuilder script = new StringBuilder();
        for (String line : read("commit-marker-" + file + ".sql").split("\n")) {
            if (!line.strip().startsWith("--") && !line.isBlank()) {
                script.append(line.stripTrailing()).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String statement : script.toString().split(";")) {
            if (!statement.isBlank()) {
                out.add(rename(statement.strip(), base));
            }
        }
        return List.copyOf(out);
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

    private String rename(String sql, String base) {
        Matcher m = NAME.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group(1) == null ? rendered : base + m.group(1);
            if (m.group(1) != null && replacement.length() > MAX_IDENTIFIER) {
                throw new IllegalArgumentException("marker table name too long for the index name derived from it ("
                        + replacement + " is over " + MAX_IDENTIFIER + " characters): markerTable=" + table);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String read(String resource) {
        try (InputStream in = TransactionMarkers.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing from latchkey-jdbc: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + resource, e);
        }
    }
}

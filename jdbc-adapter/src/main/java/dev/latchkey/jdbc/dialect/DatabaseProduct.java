package dev.latchkey.jdbc.dialect;

import java.util.Locale;

import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * The database products Latchkey knows. Vendor error codes are only meaningful per product
 * (1205 is a lock wait timeout on MySQL and a deadlock on SQL Server), so error classification
 * is keyed on this.
 */
public enum DatabaseProduct {
    /** PostgreSQL, the reference database. */
    POSTGRESQL,
    /** MariaDB. */
    MARIADB,
    /** MySQL (shares MariaDB's error codes). */
    MYSQL,
    /** H2. */
    H2,
    /** Oracle Database: error classification only. */
    ORACLE,
    /** Microsoft SQL Server: error classification only. */
    SQL_SERVER,
    /** Anything else: classified by SQLSTATE alone. */
    OTHER;

    /**
     * Maps a JDBC {@code DatabaseMetaData.getDatabaseProductName()} to a product.
     *
     * @param productName the name the driver reports, may be {@code null}
     * @return the product, {@link #OTHER} when not recognised
     */
    public static @NotNull DatabaseProduct fromProductName(@Nullable String productName) {
        if (productName == null) {
            return OTHER;
        }
        String n = productName.toLowerCase(Locale.ROOT);
        if (n.contains("postgres")) {
            return POSTGRESQL;
        }
        if (n.contains("mariadb")) {
            return MARIADB;
        }
        if (n.contains("mysql")) {
            return MYSQL;
        }
        if (n.equals("h2")) {
            return H2;
        }
        if (n.contains("oracle")) {
            return ORACLE;
        }
        if (n.contains("microsoft sql server") || n.contains("sql server")) {
            return SQL_SERVER;
        }
        return OTHER;
    }

    /**
     * Returns whether vendor codes follow MySQL's numbering (MySQL and MariaDB).
     *
     * @return whether vendor codes follow MySQL's numbering (MySQL and MariaDB)
     */
    public boolean isMySqlFamily() {
        return this == MARIADB || this == MYSQL;
    }
}

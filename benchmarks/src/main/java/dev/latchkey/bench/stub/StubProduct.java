package dev.latchkey.bench.stub;

/** The database the stub driver claims to be in its {@code DatabaseMetaData}; Latchkey picks its dialect from it. */
public enum StubProduct {
    /** PostgreSQL 14.22, the reference database. */
    POSTGRESQL("PostgreSQL", "14.22", 14, 22),
    /** MariaDB 10.11.19. */
    MARIADB("MariaDB", "10.11.19-MariaDB", 10, 11);

    final String productName;
    final String productVersion;
    final int major;
    final int minor;

    StubProduct(String productName, String productVersion, int major, int minor) {
        this.productName = productName;
        this.productVersion = productVersion;
        this.major = major;
        this.minor = minor;
    }

    /**
     * The product for a benchmark parameter.
     *
     * @param name {@code postgresql} or {@code mariadb}, any case
     * @return the product
     * @throws IllegalArgumentException for another name
     */
    public static StubProduct named(String name) {
        for (StubProduct p : values()) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("stub product must be postgresql or mariadb: product=" + name);
    }
}

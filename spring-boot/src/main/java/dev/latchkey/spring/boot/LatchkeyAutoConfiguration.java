package dev.latchkey.spring.boot;

import javax.sql.DataSource;

import dev.latchkey.ConcurrencyListener;
import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore;
import dev.latchkey.jdbc.idempotency.TransactionalIdempotency;
import dev.latchkey.retry.RetryPolicy;
import dev.latchkey.spring.LatchkeySpring;
import dev.latchkey.spring.LatchkeySqlExceptionTranslator;
import dev.latchkey.spring.boot.metrics.LatchkeyMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.jetbrains.annotations.NotNull;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Latchkey in a Spring Boot application (Boot 3.5 and 4.0), from the one data source it has:
 * <ul>
 *   <li>a {@link Latchkey} that joins the Spring-managed transaction the thread runs
 *       ({@code latchkey.join-spring-transactions}, on by default), with the retry policy of
 *       {@code latchkey.retry.*} and every {@link ConcurrencyListener} bean as its listener;</li>
 *   <li>a {@link LatchkeySqlExceptionTranslator} as the application's
 *       {@link SQLExceptionTranslator}, which Boot's auto-configured {@code JdbcTemplate} uses,
 *       unless the application declares its own translator;</li>
 *   <li>the JDBC idempotency store on {@code latchkey.idempotency.table}, its policy, a
 *       {@link TransactionalIdempotency} over them, the table created or checked at start-up,
 *       and the purge of expired records when {@code latchkey.idempotency.purge.interval} is set;</li>
 *   <li>{@link LatchkeyMetrics} when the application has a Micrometer {@code MeterRegistry}.</li>
 * </ul>
 * Every bean backs off when the application declares one of the same type. The class names of
 * Boot's auto-configurations are given in both their Boot 3 and Boot 4 packages.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
        },
        beforeName = {
            "org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration"
        })
@ConditionalOnClass(name = {
    "dev.latchkey.jdbc.Latchkey",
    "org.springframework.jdbc.datasource.DataSourceUtils"
})
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(LatchkeyProperties.class)
public class LatchkeyAutoConfiguration {

    /** Created by Spring. */
    public LatchkeyAutoConfiguration() {
    }

    /**
     * The transaction runner's retry policy, from {@code latchkey.retry.*}.
     *
     * @param properties the properties
     * @return the policy
     */
    @Bean
    @ConditionalOnMissingBean
    public @NotNull RetryPolicy latchkeyRetryPolicy(@NotNull LatchkeyProperties properties) {
        return properties.getRetry().toPolicy();
    }

    /**
     * The Latchkey over the application's data source; detects the dialect with one connection.
     *
     * @param dataSource the application's data source
     * @param properties the properties
     * @param retryPolicy the retry policy bean
     * @param listeners every {@link ConcurrencyListener} bean, in order
     * @return the Latchkey
     */
    @Bean
    @ConditionalOnMissingBean
    public @NotNull Latchkey latchkey(@NotNull DataSource dataSource, @NotNull LatchkeyProperties properties,
                                      @NotNull RetryPolicy retryPolicy,
                                      @NotNull ObjectProvider<ConcurrencyListener> listeners) {
        Latchkey.Builder builder = properties.isJoinSpringTransactions()
                ? LatchkeySpring.builder(dataSource)
                : Latchkey.builder(dataSource);
        return builder.retryPolicy(retryPolicy)
                .listener(ConcurrencyListeners.of(listeners.orderedStream().toList()))
                .build();
    }

    /**
     * The exception translator that Boot's {@code JdbcTemplate} picks up: Latchkey's
     * classification of the database's errors, Spring's for the rest.
     *
     * @param latchkey the Latchkey
     * @return the translator
     */
    @Bean
    @ConditionalOnMissingBean(SQLExceptionTranslator.class)
    public @NotNull LatchkeySqlExceptionTranslator latchkeySqlExceptionTranslator(@NotNull Latchkey latchkey) {
        return new LatchkeySqlExceptionTranslator(latchkey);
    }

    /** The JDBC idempotency store and what goes with it ({@code latchkey.idempotency.*}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "latchkey.idempotency", name = "enabled", matchIfMissing = true)
    public static class IdempotencyConfiguration {

        /** Created by Spring. */
        public IdempotencyConfiguration() {
        }

        /**
         * The idempotency policy: lease and retention.
         *
         * @param properties the properties
         * @return the policy
         */
        @Bean
        @ConditionalOnMissingBean
        public @NotNull IdempotencyPolicy latchkeyIdempotencyPolicy(@NotNull LatchkeyProperties properties) {
            return properties.getIdempotency().toPolicy();
        }

        /**
         * The JDBC idempotency store on the configured table.
         *
         * @param latchkey the Latchkey
         * @param properties the properties
         * @return the store
         */
        @Bean
        @ConditionalOnMissingBean
        public @NotNull JdbcIdempotencyStore latchkeyIdempotencyStore(@NotNull Latchkey latchkey,
                                                                      @NotNull LatchkeyProperties properties) {
            return latchkey.idempotencyStore(properties.getIdempotency().getTable());
        }

        /**
         * Creates, or checks, the store's table at start-up.
         *
         * @param store the store
         * @param latchkey the Latchkey
         * @param properties the properties
         * @return the initializer
         */
        @Bean
        @ConditionalOnMissingBean
        @DependsOnDatabaseInitialization
        public @NotNull IdempotencyTableInitializer latchkeyIdempotencyTableInitializer(
                @NotNull JdbcIdempotencyStore store, @NotNull Latchkey latchkey, @NotNull LatchkeyProperties properties) {
            return new IdempotencyTableInitializer(store, latchkey, properties.getIdempotency().isCreateTable());
        }

        /**
         * Idempotent execution in the caller's transaction: the claim, the work's writes and
         * the stored response commit together.
         *
         * @param store the store
         * @param policy the policy
         * @return the executor
         */
        @Bean
        @ConditionalOnMissingBean
        public @NotNull TransactionalIdempotency latchkeyTransactionalIdempotency(@NotNull JdbcIdempotencyStore store,
                                                                                  @NotNull IdempotencyPolicy policy) {
            return store.transactional(policy);
        }

        /**
         * The scheduled purge of expired records, when {@code latchkey.idempotency.purge.interval} is set.
         *
         * @param store the store
         * @param properties the properties
         * @return the purge
         */
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnProperty(prefix = "latchkey.idempotency.purge", name = "interval")
        public @NotNull IdempotencyPurge latchkeyIdempotencyPurge(@NotNull JdbcIdempotencyStore store,
                                                                  @NotNull LatchkeyProperties properties) {
            LatchkeyProperties.Purge purge = properties.getIdempotency().getPurge();
            if (purge.getInterval() == null) {
                throw new IllegalStateException("latchkey.idempotency.purge.interval is set but bound to nothing");
            }
            return new IdempotencyPurge(store, purge.getInterval(), purge.getBatchSize());
        }
    }

    /** Micrometer metrics, when the application has a {@code MeterRegistry} ({@code latchkey.metrics.*}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    @ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
    @ConditionalOnProperty(prefix = "latchkey.metrics", name = "enabled", matchIfMissing = true)
    public static class MetricsConfiguration {

        /** Created by Spring. */
        public MetricsConfiguration() {
        }

        /**
         * The listener that publishes Latchkey's meters; the Latchkey bean takes it as one of its
         * listeners.
         *
         * @param registry the application's registry
         * @return the listener
         */
        @Bean
        @ConditionalOnMissingBean
        public @NotNull LatchkeyMetrics latchkeyMetrics(@NotNull MeterRegistry registry) {
            return new LatchkeyMetrics(registry);
        }
    }
}

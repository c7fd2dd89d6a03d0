package dev.latchkey.spring.boot;

import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore;
import dev.latchkey.jdbc.idempotency.TransactionalIdempotency;
import dev.latchkey.spring.web.HttpIdempotencyPolicy;
import dev.latchkey.spring.web.LatchkeyIdempotencyFilter;
import org.jetbrains.annotations.NotNull;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * HTTP {@code Idempotency-Key} for {@code @Idempotent} Spring MVC handlers in a servlet web
 * application: a {@link LatchkeyIdempotencyFilter} bean (Boot registers every filter bean with the
 * servlet container, in its {@linkplain LatchkeyIdempotencyFilter#getOrder() order}) over the JDBC
 * idempotency store that {@link LatchkeyAutoConfiguration} defines. Transactional mode
 * ({@code latchkey.web.idempotency.transactional}, on by default) when the application has exactly
 * one {@link PlatformTransactionManager} and Latchkey joins Spring transactions; otherwise the
 * store's plain executor with the {@link IdempotencyPolicy} bean. Both the filter and the
 * {@link HttpIdempotencyPolicy} back off before the application's own.
 */
@AutoConfiguration(
        after = LatchkeyAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration",
            "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration"
        })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {
    "dev.latchkey.spring.web.LatchkeyIdempotencyFilter",
    "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping",
    "jakarta.servlet.Filter"
})
@ConditionalOnBean({JdbcIdempotencyStore.class, IdempotencyPolicy.class})
@ConditionalOnProperty(prefix = "latchkey.web.idempotency", name = "enabled", matchIfMissing = true)
public class LatchkeyWebAutoConfiguration {

    /** Created by Spring. */
    public LatchkeyWebAutoConfiguration() {
    }

    /**
     * The HTTP policy: which statuses are stored, which headers replayed, limits.
     *
     * @return the default policy
     */
    @Bean
    @ConditionalOnMissingBean
    public @NotNull HttpIdempotencyPolicy latchkeyHttpIdempotencyPolicy() {
        return HttpIdempotencyPolicy.defaults();
    }

    /**
     * The filter serving {@code @Idempotent} handlers.
     *
     * @param handlers Spring MVC's handler mapping of the controllers
     * @param store the JDBC idempotency store
     * @param policy the idempotency policy (lease, retention)
     * @param transactional the transactional executor
     * @param managers the application's transaction managers
     * @param http the HTTP policy
     * @param properties the properties
     * @return the filter
     */
    @Bean
    @ConditionalOnMissingBean
    public @NotNull LatchkeyIdempotencyFilter latchkeyIdempotencyFilter(
            @Qualifier("requestMappingHandlerMapping") @NotNull RequestMappingHandlerMapping handlers,
            @NotNull JdbcIdempotencyStore store, @NotNull IdempotencyPolicy policy,
            @NotNull ObjectProvider<TransactionalIdempotency> transactional,
            @NotNull ObjectProvider<PlatformTransactionManager> managers,
            @NotNull HttpIdempotencyPolicy http, @NotNull LatchkeyProperties properties) {
        LatchkeyIdempotencyFilter.Builder builder = LatchkeyIdempotencyFilter.builder(handlers).policy(http);
        PlatformTransactionManager manager = managers.getIfUnique();
        TransactionalIdempotency inTransaction = transactional.getIfUnique();
        if (properties.getWeb().getIdempotency().isTransactional() && properties.isJoinSpringTransactions()
                && manager != null && inTransaction != null) {
            builder.transactional(inTransaction, manager);
        } else {
            builder.idempotency(store.executor(policy));
        }
        return builder.build();
    }
}

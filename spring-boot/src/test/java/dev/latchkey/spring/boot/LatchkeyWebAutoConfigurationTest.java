package dev.latchkey.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore;
import dev.latchkey.spring.web.HttpIdempotencyPolicy;
import dev.latchkey.spring.web.LatchkeyIdempotencyFilter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** The {@code @Idempotent} filter is defined in servlet web applications only, and backs off. */
class LatchkeyWebAutoConfigurationTest {

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(Boot.jdbc())
            .withConfiguration(Boot.webMvc());

    @Test
    void transactionalFilterInAServletApplication() {
        web.run(context -> {
            assertThat(context).hasNotFailed();
            LatchkeyIdempotencyFilter filter = context.getBean(LatchkeyIdempotencyFilter.class);
            assertThat(filter.isTransactional()).isTrue();
            assertThat(filter.policy()).isSameAs(context.getBean(HttpIdempotencyPolicy.class));
        });
    }

    @Test
    void plainFilterWhenTransactionalModeIsOffOrLatchkeyDoesNotJoin() {
        web.withPropertyValues("latchkey.web.idempotency.transactional=false").run(context ->
                assertThat(context.getBean(LatchkeyIdempotencyFilter.class).isTransactional()).isFalse());
        web.withPropertyValues("latchkey.join-spring-transactions=false").run(context ->
                assertThat(context.getBean(LatchkeyIdempotencyFilter.class).isTransactional()).isFalse());
    }

    @Test
    void noFilterWhenTurnedOffOrWithoutTheStoreOrOutsideAServletApplication() {
        web.withPropertyValues("latchkey.web.idempotency.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(LatchkeyIdempotencyFilter.class));
        web.withPropertyValues("latchkey.idempotency.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(LatchkeyIdempotencyFilter.class);
        });
        new ApplicationContextRunner().withConfiguration(Boot.jdbc()).withConfiguration(Boot.webMvc())
                .run(context -> {
                    assertThat(context).hasSingleBean(JdbcIdempotencyStore.class);
                    assertThat(context).doesNotHaveBean(LatchkeyIdempotencyFilter.class);
                });
    }

    @Test
    void theApplicationsFilterAndPolicyWin() {
        HttpIdempotencyPolicy mine = HttpIdempotencyPolicy.builder().maxKeyLength(64).build();
        web.withBean(HttpIdempotencyPolicy.class, () -> mine).run(context ->
                assertThat(context.getBean(LatchkeyIdempotencyFilter.class).policy()).isSameAs(mine));
        web.withUserConfiguration(OwnFilter.class).run(context -> {
            assertThat(context).hasSingleBean(LatchkeyIdempotencyFilter.class);
            assertThat(context).hasBean("myFilter");
            assertThat(context.getBean(LatchkeyIdempotencyFilter.class).isTransactional()).isFalse();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnFilter {
        @Bean
        LatchkeyIdempotencyFilter myFilter(
                @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping handlers,
                JdbcIdempotencyStore store, IdempotencyPolicy policy) {
            return LatchkeyIdempotencyFilter.builder(handlers).idempotency(store.executor(policy)).build();
        }
    }
}

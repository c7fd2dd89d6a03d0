package dev.latchkey.spring.boot;

import static dev.latchkey.jdbc.update.Expressions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;

import javax.sql.DataSource;

import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The auto-configured Latchkey and Boot's JdbcTemplate in one {@code @Transactional} service
 * method: one connection, one transaction, committed or rolled back together.
 */
class TransactionParticipationTest {

    /** The service of an application: a JdbcTemplate insert and a Latchkey update in one method. */
    public static class OrderService {
        @Autowired
        JdbcTemplate jdbc;
        @Autowired
        Latchkey latchkey;
        @Autowired
        DataSource dataSource;

        /** What the method saw. */
        record Seen(Connection spring, Connection latchkeys, int stockSeenByJdbcTemplate) {
        }

        @Transactional
        public Seen order(String product, String orders, long id, boolean fail) {
            jdbc.update("INSERT INTO " + orders + " (id, product_id) VALUES (?, 1)", id);
            assertThat(latchkey.update(product).set("stock", col("stock").minus(1)).whereId(1)
                    .require(col("stock").ge(1)).execute().applied()).isTrue();
            Integer stock = jdbc.queryForObject("SELECT stock FROM " + product + " WHERE id = 1", Integer.class);
            Seen seen = new Seen(DataSourceUtils.getConnection(dataSource), latchkey.transactions().run(c -> c),
                    stock == null ? -1 : stock);
            if (fail) {
                throw new IllegalStateException("fail after both writes");
            }
            return seen;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    static class App {
        @Bean
        OrderService orderService() {
            return new OrderService();
        }
    }

    private static void orderTwice(ConfigurableApplicationContext context, String product, String orders) {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        OrderService service = context.getBean(OrderService.class);

        OrderService.Seen seen = service.order(product, orders, 1, false);
        assertThat(seen.latchkeys()).as("Latchkey's connection is the @Transactional method's").isSameAs(seen.spring());
        assertThat(seen.stockSeenByJdbcTemplate()).as("JdbcTemplate sees Latchkey's uncommitted write").isEqualTo(99);
        assertThat(jdbc.queryForObject("SELECT stock FROM " + product + " WHERE id = 1", Integer.class)).isEqualTo(99);

        assertThatThrownBy(() -> service.order(product, orders, 2, true)).hasMessage("fail after both writes");
        assertThat(jdbc.queryForObject("SELECT stock FROM " + product + " WHERE id = 1", Integer.class))
                .as("Latchkey's update rolled back with the method").isEqualTo(99);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + orders, Integer.class))
                .as("the JdbcTemplate insert rolled back with it").isEqualTo(1);
    }

    /** A pool of one connection: a second connection taken anywhere would time out (250 ms). */
    @Test
    void oneConnectionOnAPoolOfOne() {
        new ApplicationContextRunner().withConfiguration(Boot.jdbc()).withUserConfiguration(App.class)
                .withPropertyValues("spring.datasource.hikari.maximum-pool-size=1",
                        "spring.datasource.hikari.connection-timeout=250")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                    jdbc.execute("CREATE TABLE product (id BIGINT PRIMARY KEY, stock INT NOT NULL)");
                    jdbc.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, product_id BIGINT NOT NULL)");
                    jdbc.update("INSERT INTO product (id, stock) VALUES (1, 100)");
                    orderTwice(context, "product", "orders");
                });
    }

    @DatabaseTest
    void oneTransactionOnEveryDatabase(TestDatabase db) {
        String product = db.table("product", "id BIGINT PRIMARY KEY, stock INT NOT NULL");
        db.execute("INSERT INTO " + product + " (id, stock) VALUES (1, 100)");
        String orders = db.table("orders", "id BIGINT PRIMARY KEY, product_id BIGINT NOT NULL");
        // the test database's shared pool, behind a wrapper the context cannot close
        new ApplicationContextRunner().withConfiguration(Boot.jdbc()).withUserConfiguration(App.class)
                .withBean(DataSource.class, () -> new DelegatingDataSource(db.dataSource()))
                .withPropertyValues("latchkey.idempotency.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    orderTwice(context, product, orders);
                });
    }

    private static Connection latchkeysConnection(Latchkey latchkey) {
        return latchkey.transactions().run(c -> c);
    }

    @Test
    void withJoiningOffLatchkeyTakesItsOwnConnection() {
        new ApplicationContextRunner().withConfiguration(Boot.jdbc())
                .withPropertyValues("latchkey.join-spring-transactions=false")
                .run(context -> {
                    DataSource dataSource = context.getBean(DataSource.class);
                    Latchkey latchkey = context.getBean(Latchkey.class);
                    new TransactionTemplate(context.getBean(
                            org.springframework.transaction.PlatformTransactionManager.class)).executeWithoutResult(s ->
                            assertThat(latchkeysConnection(latchkey)).isNotSameAs(DataSourceUtils.getConnection(dataSource)));
                });
    }
}

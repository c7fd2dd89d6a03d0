package dev.latchkey.spring;

import static dev.latchkey.jdbc.update.Expressions.col;

import javax.sql.DataSource;

import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.testing.TestDatabase;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A real Spring application context for one test: the data source, a transaction manager
 * ({@code DataSourceTransactionManager} or {@code JdbcTransactionManager}), a
 * {@code TransactionTemplate}, a {@code JdbcTemplate} over the plain data source (the way an
 * application's DAOs use it), a Latchkey joined to Spring's transactions, and a
 * {@code @Transactional} service proxied by {@code @EnableTransactionManagement}.
 */
final class SpringApp implements AutoCloseable {
    /** Which transaction manager the context uses. */
    enum Manager { DATA_SOURCE, JDBC }

    final AnnotationConfigApplicationContext context;
    final DataSource dataSource;
    final Latchkey latchkey;
    final TransactionTemplate tx;
    final JdbcTemplate jdbc;
    final OrderService service;
    final PlatformTransactionManager manager;

    private SpringApp(AnnotationConfigApplicationContext context) {
        this.context = context;
        this.dataSource = context.getBean(DataSource.class);
        this.latchkey = context.getBean(Latchkey.class);
        this.tx = context.getBean(TransactionTemplate.class);
        this.jdbc = context.getBean(JdbcTemplate.class);
        this.service = context.getBean(OrderService.class);
        this.manager = context.getBean(PlatformTransactionManager.class);
    }

    /**
     * Starts a context over a data source.
     *
     * @param dataSource what the application (and the transaction manager) is given
     * @param manager the transaction manager's kind
     */
    static SpringApp start(DataSource dataSource, Manager manager) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        // the test owns the pool: no inferred close() when the context closes
        context.registerBean(DataSource.class, () -> dataSource, bd -> bd.setDestroyMethodName(""));
        context.registerBean(Manager.class, () -> manager);
        context.register(Config.class);
        context.refresh();
        return new SpringApp(context);
    }

    static SpringApp start(TestDatabase db) {
        return start(db.dataSource(), Manager.DATA_SOURCE);
    }

    @Override
    public void close() {
        context.close();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableTransactionManagement
    static class Config {
        @Bean
        PlatformTransactionManager transactionManager(DataSource dataSource, Manager manager) {
            return manager == Manager.JDBC ? new JdbcTransactionManager(dataSource)
                    : new DataSourceTransactionManager(dataSource);
        }

        @Bean
        TransactionTemplate transactionTemplate(PlatformTransactionManager manager) {
            return new TransactionTemplate(manager);
        }

        @Bean
        JdbcTemplate jdbcTemplate(DataSource dataSource) {
            return new JdbcTemplate(dataSource);
        }

        @Bean
        Latchkey latchkey(DataSource dataSource) {
            return LatchkeySpring.latchkey(dataSource);
        }

        @Bean
        OrderService orderService(Latchkey latchkey, JdbcTemplate jdbc) {
            return new OrderService(latchkey, jdbc);
        }
    }

    /** An application service: takes stock with Latchkey, writes the order with a JdbcTemplate DAO. */
    static class OrderService {
        private final Latchkey latchkey;
        private final JdbcTemplate jdbc;

        OrderService(Latchkey latchkey, JdbcTemplate jdbc) {
            this.latchkey = latchkey;
            this.jdbc = jdbc;
        }

        /** Takes one unit of stock and stores the order, then fails: everything must roll back. */
        @Transactional
        public void placeOrderAndFail(String product, String orders, long orderId) {
            latchkey.update(product).set("stock", col("stock").minus(1)).whereId(1).execute();
            jdbc.update("INSERT INTO " + orders + " (id, product_id) VALUES (?, 1)", orderId);
            throw new IllegalStateException("payment declined");
        }

        /** Takes one unit of stock and stores the order. */
        @Transactional
        public void placeOrder(String product, String orders, long orderId) {
            latchkey.update(product).set("stock", col("stock").minus(1)).whereId(1).execute();
            jdbc.update("INSERT INTO " + orders + " (id, product_id) VALUES (?, 1)", orderId);
        }
    }
}

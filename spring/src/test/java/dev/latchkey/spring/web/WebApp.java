package dev.latchkey.spring.web;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.idempotency.memory.InMemoryIdempotencyStore;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore;
import dev.latchkey.jdbc.testing.TestDatabase;
import dev.latchkey.spring.LatchkeySpring;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.mock.web.MockServletContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.context.support.GenericWebApplicationContext;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * A real Spring MVC application for one test: {@code @EnableWebMvc}, a {@code @Transactional}
 * order service writing with a {@code JdbcTemplate}, a controller with {@code @Idempotent}
 * endpoints, a JDBC idempotency store, and the filter in plain or transactional mode, driven
 * through {@link MockMvc} (the filter in front of the dispatcher, as a container runs it).
 */
final class WebApp implements AutoCloseable {
    /** How the filter runs requests. */
    enum Mode {
        /** The JDBC store's plain executor. */
        PLAIN,
        /** The JDBC store's transactional executor in a Spring transaction. */
        TRANSACTIONAL,
        /** The in-memory store's executor (no key in the database). */
        MEMORY
    }

    /** The modes whose keys are in the database. */
    static final List<Mode> DB_MODES = List.of(Mode.PLAIN, Mode.TRANSACTIONAL);

    /** Settings of one application. */
    record Settings(Mode mode, HttpIdempotencyPolicy http, IdempotencyPolicy policy) {
        static Settings of(Mode mode) {
            return new Settings(mode, HttpIdempotencyPolicy.defaults(), IdempotencyPolicy.defaults());
        }
    }

    final GenericWebApplicationContext context;
    final MockMvc mvc;
    final State state;
    final String orders;
    final String keys;
    final TestDatabase db;

    private WebApp(TestDatabase db, GenericWebApplicationContext context, String orders, String keys) {
        this.db = db;
        this.context = context;
        this.orders = orders;
        this.keys = keys;
        this.state = context.getBean(State.class);
        this.mvc = MockMvcBuilders.webAppContextSetup(context)
                .addFilters(context.getBean(LatchkeyIdempotencyFilter.class)).build();
    }

    static WebApp start(TestDatabase db, Mode mode) {
        return start(db, Settings.of(mode));
    }

    static WebApp start(TestDatabase db, Settings settings) {
        String orders = db.table("orders", "id BIGINT PRIMARY KEY, item VARCHAR(100) NOT NULL");
        String keys = db.uniqueName("idem");
        db.dropAfterTest(keys);
        GenericWebApplicationContext context = new GenericWebApplicationContext(new MockServletContext());
        AnnotationConfigUtils.registerAnnotationConfigProcessors(context);
        context.registerBean(DataSource.class, db::dataSource, bd -> bd.setDestroyMethodName(""));
        context.registerBean(Settings.class, () -> settings);
        context.registerBean(Tables.class, () -> new Tables(orders, keys));
        context.registerBean(State.class, State::new);
        context.registerBean(Config.class);
        context.refresh();
        return new WebApp(db, context, orders, keys);
    }

    long orderCount() {
        return db.queryLong("SELECT COUNT(*) FROM " + orders);
    }

    long keyCount() {
        return db.queryLong("SELECT COUNT(*) FROM " + keys);
    }

    @Override
    public void close() {
        context.close();
    }

    record Tables(String orders, String keys) {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebMvc
    @EnableTransactionManagement
    static class Config {
        @Bean
        PlatformTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
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
        JdbcIdempotencyStore idempotencyStore(Latchkey latchkey, Tables tables) {
            JdbcIdempotencyStore store = latchkey.idempotencyStore(tables.keys());
            store.createTableIfNotExists();
            return store;
        }

        @Bean
        Shop shop(State state, JdbcTemplate jdbc, Tables tables) {
            return new Shop(state, jdbc, tables.orders());
        }

        @Bean
        ShopController shopController(Shop shop, State state) {
            return new ShopController(shop, state);
        }

        @Bean
        LatchkeyIdempotencyFilter idempotencyFilter(RequestMappingHandlerMapping requestMappingHandlerMapping,
                                                    JdbcIdempotencyStore store, PlatformTransactionManager manager,
                                                    Settings settings) {
            LatchkeyIdempotencyFilter.Builder b = LatchkeyIdempotencyFilter.builder(requestMappingHandlerMapping)
                    .policy(settings.http());
            if (settings.mode() == Mode.TRANSACTIONAL) {
                b.transactional(store.transactional(settings.policy()), manager);
            } else if (settings.mode() == Mode.MEMORY) {
                b.idempotency(InMemoryIdempotencyStore.create().executor(settings.policy()));
            } else {
                b.idempotency(store.executor(settings.policy()));
            }
            return b.build();
        }
    }

    /** Payment declined: a business failure a service throws and an exception handler turns into 402. */
    static final class DeclinedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeclinedException() {
            super("declined");
        }
    }

    /** What the test observes and steers (not a proxied bean). */
    static final class State {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicLong ids = new AtomicLong();
        /** When set, the handler waits for it (to hold a request in flight). */
        volatile CountDownLatch gate;
        final CountDownLatch entered = new CountDownLatch(1);
    }

    /** The application service: writes orders in its (joined) transaction. */
    static class Shop {
        private final State state;
        private final JdbcTemplate jdbc;
        private final String orders;

        Shop(State state, JdbcTemplate jdbc, String orders) {
            this.state = state;
            this.jdbc = jdbc;
            this.orders = orders;
        }

        @Transactional
        public long place(String item) {
            state.runs.incrementAndGet();
            state.entered.countDown();
            CountDownLatch g = state.gate;
            if (g != null) {
                try {
                    if (!g.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("gate never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            long id = state.ids.incrementAndGet();
            jdbc.update("INSERT INTO " + orders + " (id, item) VALUES (?, ?)", id, item);
            return id;
        }

        @Transactional
        public void placeAndDecline(String item) {
            place(item);
            throw new DeclinedException();
        }
    }

    @RestController
    static class ShopController {
        private final Shop shop;
        private final State state;

        ShopController(Shop shop, State state) {
            this.shop = shop;
            this.state = state;
        }

        @PostMapping("/orders")
        @Idempotent
        ResponseEntity<String> create(@RequestBody String item) {
            long id = shop.place(item);
            return ResponseEntity.status(HttpStatus.CREATED).header("Location", "/orders/" + id)
                    .header("X-Trace", "run-" + state.runs.get())
                    .header("Content-Type", "application/json")
                    .body("{\"id\":" + id + ",\"item\":\"" + item + "\"}");
        }

        @PostMapping("/optional")
        @Idempotent(required = false, scope = "optional")
        String optional(@RequestBody String item) {
            return "order " + shop.place(item);
        }

        @PostMapping("/fail")
        @Idempotent
        ResponseEntity<String> fail(@RequestBody String item) {
            shop.place(item);
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("try later");
        }

        @PostMapping("/throw")
        @Idempotent
        String fails(@RequestBody String item) {
            shop.place(item);
            throw new IllegalStateException("handler failed");
        }

        @PostMapping("/declined")
        @Idempotent(lease = "10s", retention = "1h")
        String declined(@RequestBody String item) {
            shop.placeAndDecline(item);
            return "never";
        }

        @PostMapping("/swallow")
        @Idempotent
        ResponseEntity<String> swallow(@RequestBody String item) {
            long id = shop.place(item);
            try {
                shop.placeAndDecline(item); // joins the request's transaction and, failing, dooms it
            } catch (DeclinedException e) {
                // the handler reports success anyway
            }
            return ResponseEntity.status(HttpStatus.CREATED).body("order " + id);
        }

        @PostMapping("/gone")
        @Idempotent
        String gone(@RequestBody String item) {
            shop.place(item);
            throw new ResponseStatusException(HttpStatus.GONE, "gone for good");
        }

        @PostMapping("/big")
        @Idempotent
        String big(@RequestBody String item, @RequestHeader("X-Size") int size) {
            shop.place(item);
            return "x".repeat(size);
        }

        @PostMapping("/form")
        @Idempotent
        String form(@RequestParam("item") String item) {
            return "order " + shop.place(item);
        }

        @PostMapping("/async")
        @Idempotent
        Callable<String> async(@RequestBody String item) {
            shop.place(item);
            return () -> "later";
        }

        @PostMapping("/upload")
        @Idempotent
        String upload(@RequestParam("file") MultipartFile file, @RequestParam("note") String note) {
            return "order " + shop.place(file.getOriginalFilename() + " " + note);
        }

        @PostMapping("/badlease")
        @Idempotent(lease = "soon")
        String badLease(@RequestBody String item) {
            return "order " + shop.place(item);
        }

        @PostMapping("/plain")
        String plain(HttpServletRequest request, HttpServletResponse response) {
            return request.getClass().getSimpleName() + " " + response.getClass().getSimpleName();
        }

        @GetMapping("/orders/{id}")
        String get(HttpServletRequest request) {
            return request.getRequestURI();
        }

        @ExceptionHandler(DeclinedException.class)
        ResponseEntity<String> declined(DeclinedException e) {
            return ResponseEntity.status(HttpStatus.PAYMENT_REQUIRED).body("payment declined");
        }
    }
}

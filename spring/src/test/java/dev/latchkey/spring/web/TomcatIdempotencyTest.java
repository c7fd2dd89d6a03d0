package dev.latchkey.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The filter in a real servlet container (embedded Tomcat) over real HTTP: concurrent duplicate
 * POSTs with one key create exactly one order and all succeed with the same body (transactional
 * mode: the duplicates wait on the key's row and replay), a mismatched body is a 422 problem, and
 * a {@code sendError} response is replayed through the container's error handling.
 */
class TomcatIdempotencyTest {

    /** A running Tomcat serving one {@link WebApp} with the filter in front of its dispatcher. */
    private static final class Server implements AutoCloseable {
        final Tomcat tomcat = new Tomcat();
        final File base;
        final int port;

        Server(WebApp app) throws Exception {
            base = Files.createTempDirectory("latchkey-tomcat").toFile();
            tomcat.setBaseDir(base.getAbsolutePath());
            tomcat.setPort(0);
            Context context = tomcat.addContext("", base.getAbsolutePath());
            Tomcat.addServlet(context, "dispatcher", new DispatcherServlet(app.context)).addMapping("/");
            FilterDef filter = new FilterDef();
            filter.setFilterName("idempotency");
            filter.setFilter(app.context.getBean(LatchkeyIdempotencyFilter.class));
            context.addFilterDef(filter);
            FilterMap map = new FilterMap();
            map.setFilterName("idempotency");
            map.addURLPattern("/*");
            context.addFilterMap(map);
            tomcat.getConnector();
            tomcat.start();
            port = tomcat.getConnector().getLocalPort();
        }

        HttpResponse<String> post(HttpClient client, String path, String key, String body) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (key != null) {
                b.header("Idempotency-Key", key);
            }
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() throws LifecycleException {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @DatabaseTest
    void concurrentDuplicatePostsCreateOneOrderAndAllGetTheSameBody(TestDatabase db) throws Exception {
        int threads = 32;
        try (WebApp app = WebApp.start(db, WebApp.Mode.TRANSACTIONAL); Server server = new Server(app)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            try {
                for (int i = 0; i < threads; i++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        return server.post(client, "/orders", "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"", "apple");
                    }));
                }
                start.countDown();
                List<HttpResponse<String>> responses = new ArrayList<>();
                for (Future<HttpResponse<String>> f : futures) {
                    responses.add(f.get(120, TimeUnit.SECONDS));
                }
                Map<String, Long> outcomes = responses.stream().collect(Collectors.groupingBy(
                        r -> r.statusCode() + r.headers().firstValue(IdempotencyKeyHeader.REPLAYED).map(v -> " replayed")
                                .orElse(""), Collectors.counting()));
                System.out.println("Tomcat, " + threads + " concurrent POSTs, one key, " + db.kind() + ": " + outcomes);
                assertThat(outcomes).as(db.kind() + " " + outcomes).containsEntry("201", 1L);
                assertThat(outcomes.keySet()).as(outcomes.toString()).isSubsetOf("201", "201 replayed", "409");
                for (HttpResponse<String> r : responses) {
                    if (r.statusCode() == 201) {
                        assertThat(r.body()).isEqualTo("{\"id\":1,\"item\":\"apple\"}");
                        assertThat(r.headers().firstValue("Location")).hasValue("/orders/1");
                    }
                }
            } finally {
                start.countDown();
                pool.shutdownNow();
            }
            assertThat(app.state.runs.get()).isOne();
            assertThat(app.orderCount()).isOne();

            HttpResponse<String> reused = server.post(client, "/orders", "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"",
                    "pear");
            assertThat(reused.statusCode()).isEqualTo(422);
            assertThat(reused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(reused.body()).contains("\"code\":\"idempotency-key-reused\"");

            HttpResponse<String> gone = server.post(client, "/gone", "\"g\"", "apple");
            HttpResponse<String> goneAgain = server.post(client, "/gone", "\"g\"", "apple");
            assertThat(gone.statusCode()).isEqualTo(410);
            assertThat(goneAgain.statusCode()).isEqualTo(410);
            assertThat(goneAgain.headers().firstValue(IdempotencyKeyHeader.REPLAYED)).hasValue("true");
            assertThat(app.state.runs.get()).isEqualTo(2);
        }
    }
}

package dev.latchkey.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.security.Principal;
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

import dev.latchkey.idempotency.IdempotencyPolicy;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.idempotency.TransactionalIdempotency;
import dev.latchkey.jdbc.testing.DbKind;
import dev.latchkey.spring.LatchkeySpring;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;
import jakarta.servlet.ServletException;
import org.springframework.http.MediaType;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockPart;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The Idempotency-Key filter in a real Spring MVC application (MockMvc in front of the
 * dispatcher), on every database, in plain and transactional mode: every status the draft and
 * the filter define, replay headers, principal scoping, concurrent duplicates, release on 5xx and
 * on exceptions, and the transactional rollback of the claim with the handler's writes.
 */
class LatchkeyIdempotencyFilterTest {
    private static final Principal ALICE = () -> "alice";
    private static final Principal BOB = () -> "bob";

    private static MockHttpServletResponse send(WebApp app, RequestBuilder request) throws Exception {
        return app.mvc.perform(request).andReturn().getResponse();
    }

    private static MockHttpServletRequestBuilder order(String path, String key, String body) {
        MockHttpServletRequestBuilder b = post(path).contentType(MediaType.TEXT_PLAIN).content(body);
        return key == null ? b : b.header("Idempotency-Key", key);
    }

    private static void assertProblem(MockHttpServletResponse r, int status, String code) throws Exception {
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(status);
        assertThat(r.getContentType()).startsWith("application/problem+json");
        assertThat(r.getContentAsString()).contains("\"type\":\"about:blank\"").contains("\"status\":" + status)
                .contains("\"code\":\"" + code + "\"")
                .contains("\"title\":");
        assertThat(r.getHeader(IdempotencyKeyHeader.REPLAYED)).isNull();
    }

    @DatabaseTest
    void firstRequestRunsAndRetriesReplayStatusChosenHeadersAndBody(TestDatabase db) throws Exception {
        for (WebApp.Mode mode : WebApp.DB_MODES) {
            try (WebApp app = WebApp.start(db, mode)) {
                MockHttpServletResponse first = send(app, order("/orders", "\"k-1\"", "apple"));
                assertThat(first.getStatus()).as(mode + ": " + first.getContentAsString()).isEqualTo(201);
                assertThat(first.getHeader("Location")).isEqualTo("/orders/1");
                assertThat(first.getHeader("X-Trace")).isEqualTo("run-1");
                assertThat(first.getHeader(IdempotencyKeyHeader.REPLAYED)).isNull();
                assertThat(first.getContentAsString()).isEqualTo("{\"id\":1,\"item\":\"apple\"}");

                for (String spelling : List.of("\"k-1\"", "k-1", " \"k-1\";p=1 ")) {
                    MockHttpServletResponse again = send(app, order("/orders", spelling, "apple"));
                    assertThat(again.getStatus()).as(mode + " " + spelling).isEqualTo(201);
                    assertThat(again.getHeader(IdempotencyKeyHeader.REPLAYED)).isEqualTo("true");
                    assertThat(again.getHeader("Location")).isEqualTo("/orders/1");
                    assertThat(again.getContentType()).startsWith("application/json");
                    assertThat(again.getHeader("X-Trace")).as("not in the allow-list").isNull();
                    assertThat(again.getContentAsString()).isEqualTo(first.getContentAsString());
                }
                assertThat(app.state.runs.get()).isOne();
                assertThat(app.orderCount()).isOne();

                MockHttpServletResponse other = send(app, order("/orders", "\"k-2\"", "apple"));
                assertThat(other.getStatus()).isEqualTo(201);
                assertThat(other.getHeader("Location")).isEqualTo("/orders/2");
                assertThat(app.orderCount()).isEqualTo(2);
            }
        }
    }

    @DatabaseTest
    void sameKeyWithAnotherBodyIs422AndRunsNothing(TestDatabase db) throws Exception {
        for (WebApp.Mode mode : WebApp.DB_MODES) {
            try (WebApp app = WebApp.start(db, mode)) {
                assertThat(send(app, order("/orders", "\"k\"", "apple")).getStatus()).isEqualTo(201);
                assertProblem(send(app, order("/orders", "\"k\"", "pear")), 422, "idempotency-key-reused");
                assertProblem(send(app, order("/orders", "\"k\"", "apple").queryParam("x", "1")), 422,
                        "idempotency-key-reused");
                assertThat(app.state.runs.get()).as(mode.name()).isOne();
                assertThat(app.orderCount()).isOne();
            }
        }
    }

    @DatabaseTest
    void missingMalformedAndOversizedKeysAre400(TestDatabase db) throws Exception {
        try (WebApp app = WebApp.start(db, WebApp.Mode.TRANSACTIONAL)) {
            assertProblem(send(app, order("/orders", null, "apple")), 400, "idempotency-key-missing");
            List<String> bad = List.of("", "\"\"", "\"unterminated", "\"bad \\x escape\"", "a b", "a,b", "\"ok\" junk",
                    "\" lead\"", "\"\u00e9\"", "\"" + "k".repeat(HttpIdempotencyPolicy.DEFAULT_MAX_KEY_LENGTH + 1) + "\"");
            for (String key : bad) {
                assertProblem(send(app, order("/orders", key, "apple")), 400, "idempotency-key-malformed");
            }
            assertProblem(send(app, order("/orders", "\"a\"", "apple").header("Idempotency-Key", "\"b\"")), 400,
                    "idempotency-key-malformed");
            MockHttpServletResponse longest = send(app, order("/orders",
                    "\"" + "k".repeat(HttpIdempotencyPolicy.DEFAULT_MAX_KEY_LENGTH) + "\"", "apple"));
            assertThat(longest.getStatus()).isEqualTo(201);
            assertThat(app.state.runs.get()).isOne();
        }
    }

    @DatabaseTest
    void strictPolicyRefusesBareKeys(TestDatabase db) throws Exception {
        WebApp.Settings strict = new WebApp.Settings(WebApp.Mode.PLAIN,
                HttpIdempotencyPolicy.builder().acceptBareKeys(false).build(), IdempotencyPolicy.defaults());
        try (WebApp app = WebApp.start(db, strict)) {
            assertProblem(send(app, order("/orders", "k-1", "apple")), 400, "idempotency-key-malformed");
            assertThat(send(app, order("/orders", "\"k-1\"", "apple")).getStatus()).isEqualTo(201);
        }
    }

    @DatabaseTest
    void optionalKeyMissingRunsTheHandlerEveryTime(TestDatabase db) throws Exception {
        try (WebApp app = WebApp.start(db, WebApp.Mode.TRANSACTIONAL)) {
            assertThat(send(app, order("/optional", null, "apple")).getContentAsString()).isEqualTo("order 1");
            assertThat(send(app, order("/optional", null, "apple")).getContentAsString()).isEqualTo("order 2");
            assertThat(send(app, order("/optional", "\"o\"", "apple")).getContentAsString()).isEqualTo("order 3");
            MockHttpServletResponse replay = send(app, order("/optional", "\"o\"", "apple"));
            assertThat(replay.getContentAsString()).isEqualTo("order 3");
            assertThat(replay.getHeader(IdempotencyKeyHeader.REPLAYED)).isEqualTo("true");
            assertProblem(send(app, order("/optional", "a b", "apple")), 400, "idempotency-key-malformed");
            assertThat(app.orderCount()).isEqualTo(3);
        }
    }

    @DatabaseTest
    void aKeyOfOnePrincipalNeverReplaysToAnother(TestDatabase db) throws Exception {
        for (WebApp.Mode mode : WebApp.DB_MODES) {
            try (WebApp app = WebApp.start(db, mode)) {
                MockHttpServletResponse alice = send(app, order("/orders", "\"shared\"", "apple").principal(ALICE));
                MockHttpServletResponse bob = send(app, order("/orders", "\"shared\"", "apple").principal(BOB));
                MockHttpServletResponse anonymous = send(app, order("/orders", "\"shared\"", "apple"));
                assertThat(List.of(alice, bob, anonymous)).allSatisfy(r -> {
                    assertThat(r.getStatus()).isEqualTo(201);
                    assertThat(r.getHeader(IdempotencyKeyHeader.REPLAYED)).isNull();
                });
                assertThat(List.of(alice.getHeader("Location"), bob.getHeader("Location"),
                        anonymous.getHeader("Location"))).doesNotHaveDuplicates();
                MockHttpServletResponse aliceAgain = send(app, order("/orders", "\"shared\"", "apple").principal(ALICE));
                assertThat(aliceAgain.getHeader(IdempotencyKeyHeader.REPLAYED)).isEqualTo("true");
                assertThat(aliceAgain.getHeader("Location")).isEqualTo(alice.getHeader("Location"));
                // bob's key differs by a body change: 422 for bob only, alice still replays
                assertProblem(send(app, order("/orders", "\"shared\"", "pear").principal(BOB)), 422,
                        "idempotency-key-reused");
                assertThat(app.state.runs.get()).as(mode.name()).isEqualTo(3);
                assertThat(app.orderCount()).isEqualTo(3);
            }
        }
    }

    @DatabaseTest
    void a5xxReleasesTheKeyAndTransactionalModeRollsBackTheWrites(TestDatabase db) throws Exception {
        for (WebApp.Mode mode : WebApp.DB_MODES) {
            try (WebApp app = WebApp.start(db, mode)) {
                for (int attempt = 1; attempt <= 2; attempt++) {
                    MockHttpServletResponse r = send(app, order("/fail", "\"f\"", "apple"));
                    assertThat(r.getStatus()).isEqualTo(503);
                    assertThat(r.getContentAsString()).isEqualTo("try later");
                    assertThat(r.getHeader(IdempotencyKeyHeader.REPLAYED)).isNull();
                    assertThat(app.state.runs.get()).as(mode + " attempt " + attempt).isEqualTo(attempt);
                }
                assertThat(app.keyCount()).as(mode.name()).isZero();
                assertThat(app.orderCount()).as(mode.name()).isEqualTo(mode == WebApp.Mode.TRANSACTIONAL ? 0 : 2);
            }
        }
    }

    @DatabaseTest
    void anExceptionReleasesTheKeyAndTransactionalModeRollsBackTheWrites(TestDatabase db) throws Exception {
        for (WebApp.Mode mode : WebApp.DB_MODES) {
            try (WebApp app = WebApp.start(db, mode)) {
                for (int attempt = 1; attempt <= 2; attempt++) {
                    assertThatThrownBy(() -> send(app, order("/throw", "\"t\"", "apple")))
                            .isInstanceOf(ServletException.class).rootCause().hasMessage("handler failed");
                    assertThat(app.state.runs.get()).isEqualTo(attempt);
                }
                assertThat(app.keyCount()).as(mode.name()).isZero();
                assertThat(app.orderCount()).as(mode.name()).isEqualTo(mode == WebApp.Mode.TRANSACTIONAL ? 0 : 2);
            }
        }
    }

    @DatabaseTest
    void a4xxFromARolledBackServiceIsStoredWithoutItsWrites(TestDatabase db) throws Exception {
        try (WebApp app = WebApp.start(db, WebApp.Mode.TRANSACTIONAL)) {
            MockHttpServletResponse first = send(app, order("/declined", "\"d\"", "apple"));
            assertThat(first.getStatus()).isEqualTo(402);
            assertThat(first.getContentAsString()).isEqualTo("payment declined");
            MockHttpServletResponse again = send(app, order("/declined", "\"d\"", "apple"));
            assertThat(again.getStatus()).isEqualTo(402);
            assertThat(again.getHeader(IdempotencyKeyHeader.REPLAYED)).isEqualTo("true");
            assertThat(again.getContentAsString()).isEqualTo("payment declined");
            assertThat(app.state.runs.get()).isOne();
            assertThat(app.orderCount()).as("the declined order rolled back").isZero();
            assertThat(app.keyCount()).isOne();
        }
    }

    @DatabaseTest
    void sendErrorIsStoredAndReplayedAsSendError(TestDatabase db) throws Exception {
        for (WebApp.Mode mode : WebApp.DB_MODES) {
            try (WebApp app = WebApp.start(db, mode)) {
                MockHttpServletResponse first = send(app, order("/gone", "\"g\"", "apple"));
                assertThat(first.getStatus()).isEqualTo(410);
                MockHttpServletResponse again = send(app, order("/gone", "\"g\"", "apple"));
                assertThat(again.getStatus()).isEqualTo(410);
                assertThat(again.getErrorMessage()).isEqualTo(first.getErrorMessage());
                assertThat(again.getHeader(IdempotencyKeyHeader.REPLAYED)).isEqualTo("true");
                assertThat(app.state.runs.get()).isOne();
            }
        }
    }

    @DatabaseTest
    void anOversizedResponseIs500AndReleasesTheKey(TestDatabase db) throws Exception {
        for (WebApp.Mode mode : WebApp.DB_MODES) {
            WebApp.Settings small = new WebApp.Settings(mode, HttpIdempotencyPolicy.defaults(),
                    IdempotencyPolicy.builder().maxResponseBytes(1000).build());
            try (WebApp app = WebApp.start(db, small)) {
                assertThat(send(app, order("/big", "\"s\"", "apple").header("X-Size", 500)).getStatus()).isEqualTo(200);
                assertProblem(send(app, order("/big", "\"b\"", "apple").header("X-Size", 5000)), 500,
                        "response-too-large");
                assertProblem(send(app, order("/big", "\"b\"", "apple").header("X-Size", 5000)), 500,
                        "response-too-large");
                assertThat(app.state.runs.get()).as(mode.name()).isEqualTo(3);
                assertThat(app.keyCount()).isOne();
                assertThat(app.orderCount()).isEqualTo(mode == WebApp.Mode.TRANSACTIONAL ? 1 : 3);
            }
        }
    }

    @DatabaseTest
    void anOversizedRequestIs413(TestDatabase db) throws Exception {
        WebApp.Settings small = new WebApp.Settings(WebApp.Mode.PLAIN,
                HttpIdempotencyPolicy.builder().maxRequestBytes(10).build(), IdempotencyPolicy.defaults());
        try (WebApp app = WebApp.start(db, small)) {
            assertProblem(send(app, order("/orders", "\"r\"", "a".repeat(11))), 413, "request-too-large");
            assertThat(send(app, order("/orders", "\"r\"", "a".repeat(10))).getStatus()).isEqualTo(201);
            assertThat(app.state.runs.get()).isOne();
        }
    }

    @DatabaseTest
    void otherEndpointsAreNotWrapped(TestDatabase db) throws Exception {
        try (WebApp app = WebApp.start(db, WebApp.Mode.TRANSACTIONAL)) {
            String classes = send(app, post("/plain").header("Idempotency-Key", "\"x\"")).getContentAsString();
            assertThat(classes).doesNotContain("Buffered").doesNotContain("Capturing");
            assertThat(send(app, get("/orders/7")).getContentAsString()).isEqualTo("/orders/7");
            assertThat(app.keyCount()).isZero();
        }
    }

    @DatabaseTest
    void aDuplicateOfARequestInFlightIs409WithRetryAfterInPlainMode(TestDatabase db) throws Exception {
        try (WebApp app = WebApp.start(db, WebApp.Mode.PLAIN)) {
            app.state.gate = new CountDownLatch(1);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<MockHttpServletResponse> first = pool.submit(() -> send(app, order("/orders", "\"f\"", "apple")));
                assertThat(app.state.entered.await(30, TimeUnit.SECONDS)).isTrue();
                MockHttpServletResponse duplicate = send(app, order("/orders", "\"f\"", "apple"));
                assertProblem(duplicate, 409, "idempotency-key-in-use");
                assertThat(duplicate.getHeader("Retry-After")).isEqualTo("1");
                app.state.gate.countDown();
                assertThat(first.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(201);
            } finally {
                app.state.gate.countDown();
                pool.shutdownNow();
            }
            assertThat(send(app, order("/orders", "\"f\"", "apple")).getHeader(IdempotencyKeyHeader.REPLAYED))
                    .isEqualTo("true");
            assertThat(app.state.runs.get()).isOne();
        }
    }

    @DatabaseTest
    void aDuplicateWaitsAndReplaysWhenThePolicyWaits(TestDatabase db) throws Exception {
        WebApp.Settings waiting = new WebApp.Settings(WebApp.Mode.PLAIN, HttpIdempotencyPolicy.defaults(),
                IdempotencyPolicy.builder().waitWhenInProgress(Duration.ofSeconds(30)).build());
        try (WebApp app = WebApp.start(db, waiting)) {
            app.state.gate = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<MockHttpServletResponse> first = pool.submit(() -> send(app, order("/orders", "\"w\"", "apple")));
                assertThat(app.state.entered.await(30, TimeUnit.SECONDS)).isTrue();
                Future<MockHttpServletResponse> duplicate = pool.submit(() -> send(app, order("/orders", "\"w\"",
                        "apple")));
                Thread.sleep(200); // let the duplicate start polling; it must not finish before the first
                assertThat(duplicate.isDone()).isFalse();
                app.state.gate.countDown();
                assertThat(first.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(201);
                MockHttpServletResponse d = duplicate.get(30, TimeUnit.SECONDS);
                assertThat(d.getStatus()).isEqualTo(201);
                assertThat(d.getHeader(IdempotencyKeyHeader.REPLAYED)).isEqualTo("true");
            } finally {
                app.state.gate.countDown();
                pool.shutdownNow();
            }
            assertThat(app.state.runs.get()).isOne();
        }
    }

    @DatabaseTest
    void concurrentDuplicatesRunTheHandlerExactlyOnce(TestDatabase db) throws Exception {
        int threads = 16;
        for (WebApp.Mode mode : WebApp.DB_MODES) {
            try (WebApp app = WebApp.start(db, mode)) {
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<MockHttpServletResponse>> results = new ArrayList<>();
                try {
                    for (int i = 0; i < threads; i++) {
                        results.add(pool.submit(() -> {
                            start.await();
                            return send(app, order("/orders", "\"same\"", "apple"));
                        }));
                    }
                    start.countDown();
                    List<MockHttpServletResponse> responses = new ArrayList<>();
                    for (Future<MockHttpServletResponse> f : results) {
                        responses.add(f.get(60, TimeUnit.SECONDS));
                    }
                    Map<String, Long> outcomes = responses.stream().collect(Collectors.groupingBy(
                            r -> r.getStatus() + (r.getHeader(IdempotencyKeyHeader.REPLAYED) != null ? " replayed" : ""),
                            Collectors.counting()));
                    assertThat(outcomes.get("201")).as(mode + " " + outcomes).isOne();
                    assertThat(outcomes.keySet()).as(mode + " " + outcomes).isSubsetOf("201", "201 replayed", "409");
                    for (MockHttpServletResponse r : responses) {
                        if (r.getStatus() == 201) {
                            assertThat(r.getContentAsString()).isEqualTo("{\"id\":1,\"item\":\"apple\"}");
                        } else {
                            assertThat(r.getHeader("Retry-After")).isNotNull();
                        }
                    }
                } finally {
                    start.countDown();
                    pool.shutdownNow();
                }
                assertThat(app.state.runs.get()).as(mode.name()).isOne();
                assertThat(app.orderCount()).isOne();
            }
        }
    }

    @DatabaseTest
    void formPostsAreFingerprintedByTheirParameters(TestDatabase db) throws Exception {
        try (WebApp app = WebApp.start(db, WebApp.Mode.TRANSACTIONAL)) {
            MockHttpServletRequestBuilder apple = post("/form").header("Idempotency-Key", "\"f\"")
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("item=apple");
            assertThat(send(app, apple).getContentAsString()).isEqualTo("order 1");
            MockHttpServletResponse again = send(app, apple);
            assertThat(again.getContentAsString()).isEqualTo("order 1");
            assertThat(again.getHeader(IdempotencyKeyHeader.REPLAYED)).isEqualTo("true");
            assertProblem(send(app, post("/form").header("Idempotency-Key", "\"f\"")
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("item=pear")), 422,
                    "idempotency-key-reused");
            assertThat(app.state.runs.get()).isOne();
        }
    }

    @DatabaseTest
    void anAsynchronousHandlerFailsAndLeavesNoKey(TestDatabase db) throws Exception {
        for (WebApp.Mode mode : WebApp.DB_MODES) {
            try (WebApp app = WebApp.start(db, mode)) {
                assertThatThrownBy(() -> send(app, order("/async", "\"a\"", "apple")))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("synchronously");
                assertThat(app.keyCount()).as(mode.name()).isZero();
                assertThat(app.orderCount()).as(mode.name()).isEqualTo(mode == WebApp.Mode.TRANSACTIONAL ? 0 : 1);
            }
        }
    }

    @DatabaseTest
    void multipartRequestsAreFingerprintedByTheirParts(TestDatabase db) throws Exception {
        try (WebApp app = WebApp.start(db, WebApp.Mode.TRANSACTIONAL)) {
            // parts, as a container's request.getParts() has them (MockMvc's file(..) is invisible there)
            assertThat(send(app, upload("AAA")).getContentAsString()).isEqualTo("order 1");
            MockHttpServletResponse again = send(app, upload("AAA"));
            assertThat(again.getContentAsString()).isEqualTo("order 1");
            assertThat(again.getHeader(IdempotencyKeyHeader.REPLAYED)).isEqualTo("true");
            assertProblem(send(app, upload("BBB")), 422, "idempotency-key-reused");
            assertThat(app.state.runs.get()).isOne();
        }
    }

    /** A {@link RequestBuilder}: the multipart builder is no MockHttpServletRequestBuilder on Spring 7. */
    private static RequestBuilder upload(String content) {
        MockPart file = new MockPart("file", "a.txt", content.getBytes(UTF_8));
        file.getHeaders().setContentType(MediaType.TEXT_PLAIN);
        return multipart("/upload").part(file, new MockPart("note", "n".getBytes(UTF_8)))
                .header("Idempotency-Key", "\"u\"");
    }

    @DatabaseTest(DbKind.H2)
    void anyStoreWorksInPlainMode(TestDatabase db) throws Exception {
        try (WebApp app = WebApp.start(db, WebApp.Mode.MEMORY)) {
            assertThat(send(app, order("/orders", "\"m\"", "apple")).getStatus()).isEqualTo(201);
            MockHttpServletResponse again = send(app, order("/orders", "\"m\"", "apple"));
            assertThat(again.getHeader(IdempotencyKeyHeader.REPLAYED)).isEqualTo("true");
            assertThat(again.getHeader("Location")).isEqualTo("/orders/1");
            assertProblem(send(app, order("/orders", "\"m\"", "pear")), 422, "idempotency-key-reused");
            assertThat(app.state.runs.get()).isOne();
            assertThat(app.keyCount()).as("the keys are in memory").isZero();
        }
    }

    @DatabaseTest(DbKind.H2)
    void aBadAnnotationFailsItsRequestsNamingTheMethodAndValue(TestDatabase db) throws Exception {
        try (WebApp app = WebApp.start(db, WebApp.Mode.PLAIN)) {
            assertThatThrownBy(() -> send(app, order("/badlease", "\"b\"", "apple")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("badLease")
                    .hasMessageContaining("lease='soon'");
            assertThat(app.state.runs.get()).isZero();
            assertThat(send(app, order("/orders", "\"o\"", "apple")).getStatus()).isEqualTo(201);
        }
    }

    @DatabaseTest(DbKind.H2)
    void transactionalModeRefusesALatchkeyThatDoesNotJoinSpringOrAnotherDataSource(TestDatabase db) {
        try (WebApp app = WebApp.start(db, WebApp.Mode.TRANSACTIONAL)) {
            RequestMappingHandlerMapping handlers = app.context.getBean(RequestMappingHandlerMapping.class);
            PlatformTransactionManager manager = app.context.getBean(PlatformTransactionManager.class);
            TransactionalIdempotency notJoining = Latchkey.of(db.dataSource()).idempotencyStore(app.keys)
                    .transactional(IdempotencyPolicy.defaults());
            assertThatThrownBy(() -> LatchkeyIdempotencyFilter.builder(handlers).transactional(notJoining, manager))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LatchkeySpring.latchkey");
            TransactionalIdempotency joining = LatchkeySpring.latchkey(db.dataSource()).idempotencyStore(app.keys)
                    .transactional(IdempotencyPolicy.defaults());
            DataSourceTransactionManager other = new DataSourceTransactionManager(new DriverManagerDataSource(
                    "jdbc:h2:mem:other"));
            assertThatThrownBy(() -> LatchkeyIdempotencyFilter.builder(handlers).transactional(joining, other))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another data source");
            assertThatThrownBy(() -> LatchkeyIdempotencyFilter.builder(handlers).build())
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("Builder.idempotency");
            assertThat(LatchkeyIdempotencyFilter.builder(handlers).transactional(joining, manager).build()
                    .isTransactional()).isTrue();
        }
    }

    @DatabaseTest
    void aSuccessInARollbackOnlyTransactionFailsAndStoresNothing(TestDatabase db) throws Exception {
        try (WebApp app = WebApp.start(db, WebApp.Mode.TRANSACTIONAL)) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                assertThatThrownBy(() -> send(app, order("/swallow", "\"s\"", "apple")))
                        .isInstanceOf(UnexpectedRollbackException.class);
                assertThat(app.state.runs.get()).isEqualTo(2 * attempt);
            }
            assertThat(app.orderCount()).isZero();
            assertThat(app.keyCount()).isZero();
        }
    }
}

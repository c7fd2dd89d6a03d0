package dev.latchkey.samples.shop;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fires concurrent requests at a running shop and reports what each strategy did: duplicate
 * POSTs with one Idempotency-Key, a reused key with another body, more reservations than there is
 * stock, optimistic writers racing on one version, and the Latchkey meters at /actuator/metrics.
 * The sample's test asserts these numbers; {@code --shop.demo=true} prints them.
 */
public final class ShopDemo {
    private static final Pattern NUMBER = Pattern.compile("\"(stock|version)\":(\\d+)");
    private static final Pattern VALUE = Pattern.compile("\"value\":([0-9.]+)");

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ShopDemo(URI base) {
        this.base = base;
    }

    /** What the demo saw. */
    public record Report(int duplicates, Map<Integer, Integer> orderStatuses, int distinctOrderBodies, int replayed,
                         long ordersCreated, int reusedKeyStatus, String reusedKeyContentType,
                         int reservations, long stockBefore, Map<Integer, Integer> reserveStatuses, long stockAfter,
                         int writers, Map<Integer, Integer> priceStatuses, Map<String, Double> meters) {
        @Override
        public String toString() {
            return "idempotent POST /orders: " + duplicates + " concurrent requests with one Idempotency-Key\n"
                    + "  statuses " + orderStatuses + ", distinct bodies " + distinctOrderBodies
                    + ", replayed (Idempotent-Replayed: true) " + replayed + ", orders created " + ordersCreated + "\n"
                    + "same key, different body: " + reusedKeyStatus + " " + reusedKeyContentType + "\n"
                    + "guarded stock decrement: " + reservations + " concurrent reservations of 1 on a stock of "
                    + stockBefore + "\n"
                    + "  statuses " + reserveStatuses + ", stock left " + stockAfter + "\n"
                    + "optimistic price update: " + writers + " concurrent writers with the same version\n"
                    + "  statuses " + priceStatuses + "\n"
                    + "/actuator/metrics " + meters;
        }
    }

    /**
     * Runs every scenario once against the shop at {@code base}.
     *
     * @param base e.g. {@code http://localhost:8080}
     * @param orderCount counts the orders in the database
     * @return what happened
     * @throws Exception if a request cannot be sent
     */
    public static Report run(URI base, LongSupplier orderCount) throws Exception {
        return new ShopDemo(base).runAll(orderCount);
    }

    private Report runAll(LongSupplier orderCount) throws Exception {
        // 1. duplicates of one order
        int duplicates = 32;
        String key = "demo-" + UUID.randomUUID();
        long ordersBefore = orderCount.getAsLong();
        List<HttpResponse<String>> orders = concurrently(duplicates,
                () -> send(post("/orders", "{\"productId\":2,\"quantity\":1}").header("Idempotency-Key", "\"" + key + "\"")));
        long ordersCreated = orderCount.getAsLong() - ordersBefore;
        int replayed = (int) orders.stream()
                .filter(r -> r.headers().firstValue("Idempotent-Replayed").orElse("").equals("true")).count();
        int distinct = (int) orders.stream().map(HttpResponse::body).distinct().count();

        // 2. the same key with another request
        HttpResponse<String> reused = send(post("/orders", "{\"productId\":2,\"quantity\":2}")
                .header("Idempotency-Key", "\"" + key + "\""));

        // 3. more reservations than stock
        long stockBefore = number(send(get("/products/1")).body(), "stock");
        int reservations = (int) stockBefore + 30;
        List<HttpResponse<String>> reserved = concurrently(reservations,
                () -> send(post("/products/1/reserve", "{\"quantity\":1}")));
        long stockAfter = number(send(get("/products/1")).body(), "stock");

        // 4. optimistic writers on one version
        int writers = 10;
        long version = number(send(get("/products/1")).body(), "version");
        List<HttpResponse<String>> prices = concurrently(writers, () -> send(HttpRequest.newBuilder(base.resolve("/products/1/price"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"priceCents\":2500,\"version\":" + version + "}"))));

        // 5. what Micrometer saw
        Map<String, Double> meters = new TreeMap<>();
        for (String meter : List.of("latchkey.idempotency.claims", "latchkey.idempotency.replays",
                "latchkey.conflicts")) {
            HttpResponse<String> m = send(get("/actuator/metrics/" + meter));
            Matcher v = VALUE.matcher(m.body());
            meters.put(meter, m.statusCode() == 200 && v.find() ? Double.parseDouble(v.group(1)) : -1.0);
        }

        return new Report(duplicates, statuses(orders), distinct, replayed, ordersCreated, reused.statusCode(),
                reused.headers().firstValue("Content-Type").orElse(""), reservations, stockBefore,
                statuses(reserved), stockAfter, writers, statuses(prices), meters);
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).GET();
    }

    private HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long number(String json, String field) {
        Matcher m = NUMBER.matcher(json);
        while (m.find()) {
            if (m.group(1).equals(field)) {
                return Long.parseLong(m.group(2));
            }
        }
        throw new IllegalStateException("no " + field + " in " + json);
    }

    private static Map<Integer, Integer> statuses(List<HttpResponse<String>> responses) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (HttpResponse<String> r : responses) {
            counts.merge(r.statusCode(), 1, Integer::sum);
        }
        return counts;
    }

    /** Runs {@code n} calls at once (all released by one latch) and returns their results. */
    private static <T> List<T> concurrently(int n, Callable<T> call) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}

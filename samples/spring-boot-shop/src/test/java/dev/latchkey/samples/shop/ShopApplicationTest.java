package dev.latchkey.samples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The shop started for real (random port, embedded PostgreSQL) and driven over HTTP by
 * {@link ShopDemo}: exact outcomes of every strategy.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShopApplicationTest {

    @LocalServerPort
    int port;

    @Autowired
    ShopService shop;

    @Test
    void everyStrategyDoesWhatItSays() throws Exception {
        ShopDemo.Report report = ShopDemo.run(URI.create("http://localhost:" + port), shop::orderCount);
        System.out.println(report);

        assertThat(report.orderStatuses()).as("every duplicate gets the order").isEqualTo(Map.of(201, 32));
        assertThat(report.distinctOrderBodies()).as("the same body").isEqualTo(1);
        assertThat(report.replayed()).as("all but the first are replays").isEqualTo(31);
        assertThat(report.ordersCreated()).as("exactly one order").isEqualTo(1);
        assertThat(report.reusedKeyStatus()).isEqualTo(422);
        assertThat(report.reusedKeyContentType()).startsWith("application/problem+json");

        assertThat(report.stockBefore()).isEqualTo(20);
        assertThat(report.reserveStatuses()).as("no oversell").isEqualTo(Map.of(200, 20, 409, 30));
        assertThat(report.stockAfter()).isZero();

        assertThat(report.priceStatuses()).as("one optimistic writer wins").isEqualTo(Map.of(200, 1, 409, 9));

        assertThat(report.meters().get("latchkey.idempotency.claims")).isEqualTo(1.0);
        assertThat(report.meters().get("latchkey.idempotency.replays")).isEqualTo(31.0);
        assertThat(report.meters().get("latchkey.conflicts")).as("the 9 stale versions").isEqualTo(9.0);
    }
}

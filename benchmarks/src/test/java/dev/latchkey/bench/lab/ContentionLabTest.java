package dev.latchkey.bench.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.TestDatabase;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Runs the lab briefly on every database and holds each Latchkey strategy to the invariants:
 * nothing oversold, no duplicate charge, no lost stock update, no failed request, and the
 * duplicate sends really answered from the idempotency store.
 */
class ContentionLabTest {
    private static final LabOptions BRIEF = new LabOptions(8, Duration.ofMillis(1500), Duration.ZERO, "unused", 8, 2,
            40, 0.3, LabOptions.ALL_STRATEGIES, false, LabOptions.Progress.NONE);

    @DatabaseTest
    void latchkeyStrategiesNeverOversellChargeTwiceOrLoseAnUpdate(TestDatabase db)
            throws SQLException, InterruptedException {
        List<StrategyResult> streamed = new ArrayList<>();
        LabReport report = ContentionLab.run(BRIEF, db.dataSource(), db.kind().id(), ProgressBar.none(),
                (database, threads) -> { }, streamed::add);

        assertThat(report.results()).extracting(StrategyResult::id)
                .containsExactly("atomic", "optimistic", "pessimistic", "naive");
        assertThat(streamed).isEqualTo(report.results());
        SoftAssertions soft = new SoftAssertions();
        for (StrategyResult r : report.results()) {
            Shop.Audit a = r.audit();
            soft.assertThat(r.requests()).as(r.id() + " requests").isPositive();
            soft.assertThat(a.orders()).as(r.id() + " orders").isPositive();
            if (!r.latchkey()) {
                continue; // the control: its damage depends on timing, so it is shown, not asserted
            }
            soft.assertThat(a.oversold()).as(r.id() + " oversold units").isZero();
            soft.assertThat(a.duplicateCharges()).as(r.id() + " duplicate charges").isZero();
            soft.assertThat(a.lostStockUpdates()).as(r.id() + " lost stock updates").isZero();
            soft.assertThat(a.unitsSold()).as(r.id() + " units sold").isLessThanOrEqualTo(a.unitsAvailable());
            soft.assertThat(r.failed()).as(r.id() + " failed requests: " + r.firstError()).isZero();
            soft.assertThat(r.duplicatesSent()).as(r.id() + " duplicates sent").isPositive();
            soft.assertThat(r.replayed()).as(r.id() + " duplicates answered by replay").isPositive();
            soft.assertThat(r.accepted()).as(r.id() + " orders the clients were told about").isEqualTo(a.orders());
        }
        soft.assertThat(report.latchkeyClean()).isTrue();
        soft.assertAll();
    }

    @Test
    void theCommandLinePrintsJsonAndExitsZeroOnH2() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = ContentionLab.run(new String[] {"--db", "h2", "--threads", "4", "--duration", "500ms",
            "--warmup", "0", "--stock", "20", "--json", "--no-progress"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(json).startsWith("{").contains("\"latchkeyInvariantsHeld\": true")
                .contains("\"id\": \"atomic\"", "\"id\": \"optimistic\"", "\"id\": \"pessimistic\"", "\"id\": \"naive\"");
    }

    @Test
    void theCommandLinePrintsTablesWithAVerdict() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = ContentionLab.run(new String[] {"--db", "h2", "--threads", "4", "--duration", "300ms",
            "--warmup", "0", "--stock", "10", "--strategies", "atomic,naive", "--no-progress"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).isZero();
        assertThat(text).contains("== atomic update (Latchkey) ==", "== naive read-then-write (control, no Latchkey) ==",
                "oversold units", "duplicate charges", "latency p50 / p99",
                "atomic update:           ok: nothing oversold, nobody charged twice, no stock update lost");
    }

    @Test
    void badArgumentsExitTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = ContentionLab.run(new String[] {"--threads", "none"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--threads must be an integer: none");
    }
}

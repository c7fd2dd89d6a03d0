package dev.latchkey.bench.lab;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints the lab's results as plain-text tables. */
final class TableReport {
    private final PrintStream out;

    TableReport(PrintStream out) {
        this.out = out;
    }

    /**
     * Prints the setting.
     *
     * @param database the dialect's name of the database
     * @param label what the user asked for
     * @param o the options
     * @param threadKind how buyer threads are made
     */
    void header(String database, String label, LabOptions o, String threadKind) {
        out.println("Latchkey contention lab: a flash sale, once per strategy");
        out.printf(Locale.ROOT, "  database  %s (%s)%n", database, label);
        out.printf(Locale.ROOT, "  buyers    %d on %s, sharing %d connections%n", o.threads(), threadKind, o.poolSize());
        out.printf(Locale.ROOT, "  sale      %d products x %,d units; %.0f%% of requests sent twice with the same key; "
                + "each sale lasts until sold out or %s (%s)%n", o.products(), o.stock(),
                o.duplicateRate() * 100, seconds(o.duration().toNanos()),
                o.warmup().isZero() ? "no warm-up" : "after a " + seconds(o.warmup().toNanos()) + " warm-up each");
        out.println();
        out.flush();
    }

    /**
     * Prints one strategy's table.
     *
     * @param r the result
     */
    void strategy(StrategyResult r) {
        Shop.Audit a = r.audit();
        out.printf(Locale.ROOT, "== %s (%s) ==%n", r.title(), r.latchkey() ? "Latchkey" : "control, no Latchkey");
        out.printf(Locale.ROOT, "   %s%n", r.description());
        row("requests answered", num(r.requests()), "(" + num(r.duplicatesSent()) + " sent twice)");
        row("orders accepted", num(a.orders()), "");
        row("units sold", num(a.unitsSold()) + " / " + num(a.unitsAvailable()),
                r.endedSoldOut() ? "(sold out after " + seconds(r.elapsedNanos()) + ")" : "(sale time over)");
        row("oversold units", num(a.oversold()), verdict(r, a.oversold()));
        row("duplicate charges", num(a.duplicateCharges()), verdict(r, a.duplicateCharges()));
        row("lost stock updates", num(a.lostStockUpdates()), verdict(r, a.lostStockUpdates()));
        row("retries", num(r.retries()), "");
        row("other answers", "", "sold out " + num(r.soldOut()) + ", replayed " + num(r.replayed())
                + ", in flight (409) " + num(r.inFlight()) + ", failed " + num(r.failed()));
        row("throughput", String.format(Locale.ROOT, "%,.0f", r.throughput()), "requests/s");
        row("latency p50 / p99", millis(r.p50Nanos()) + " / " + millis(r.p99Nanos()), "ms");
        if (r.firstError() != null) {
            out.printf(Locale.ROOT, "   first error: %s%n", r.firstError());
        }
        out.println();
        out.flush();
    }

    /**
     * Prints the side-by-side summary and the verdict.
     *
     * @param report the whole run
     */
    void summary(LabReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"strategy", "orders", "sold", "oversold", "dup charges", "lost updates", "retries",
                "req/s", "p50 ms", "p99 ms"});
        for (StrategyResult r : report.results()) {
            Shop.Audit a = r.audit();
            rows.add(new String[] {r.title(), num(a.orders()), num(a.unitsSold()), num(a.oversold()),
                    num(a.duplicateCharges()), num(a.lostStockUpdates()), num(r.retries()),
                    String.format(Locale.ROOT, "%,.0f", r.throughput()), millis(r.p50Nanos()), millis(r.p99Nanos())});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (int k = 0; k < rows.size(); k++) {
            String[] row = rows.get(k);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String cell = i == 0 ? pad(row[i], widths[i]) : lpad(row[i], widths[i]);
                line.append(i == 0 ? "" : "  ").append(cell);
            }
            out.println(line.toString().stripTrailing());
            if (k == 0) {
                out.println("-".repeat(line.length()));
            }
        }
        out.println();
        for (StrategyResult r : report.results()) {
            Shop.Audit a = r.audit();
            if (r.latchkey()) {
                out.printf(Locale.ROOT, "%-24s %s%n", r.title() + ":", a.clean()
                        ? "ok: nothing oversold, nobody charged twice, no stock update lost"
                        : "BROKEN: " + damage(a));
            } else {
                out.printf(Locale.ROOT, "%-24s %s%n", r.title() + ":", a.clean()
                        ? "no damage this time (races are timing-dependent: try more --threads or less --stock)"
                        : "the damage without Latchkey: " + damage(a));
            }
        }
        out.flush();
    }

    private static String damage(Shop.Audit a) {
        return num(a.oversold()) + " units oversold, " + num(a.duplicateCharges()) + " duplicate charges, "
                + num(a.lostStockUpdates()) + " units of stock updates lost";
    }

    private static String verdict(StrategyResult r, long bad) {
        if (!r.latchkey()) {
            return bad == 0 ? "" : "<- damage";
        }
        return bad == 0 ? "ok" : "<- INVARIANT BROKEN";
    }

    private void row(String name, String value, String note) {
        out.println(String.format(Locale.ROOT, "   %-20s %15s  %s", name, value, note).stripTrailing());
    }

    private static String num(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    private static String lpad(String s, int w) {
        return " ".repeat(Math.max(0, w - s.length())) + s;
    }
}

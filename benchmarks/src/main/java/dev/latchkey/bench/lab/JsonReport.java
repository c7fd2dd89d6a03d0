package dev.latchkey.bench.lab;

import java.util.Locale;

/** Renders the lab's results as JSON (no library: a handful of fields, escaped by hand). */
final class JsonReport {
    private JsonReport() {
    }

    /**
     * Renders a run.
     *
     * @param report the run
     * @return the JSON document
     */
    static String render(LabReport report) {
        LabOptions o = report.options();
        StringBuilder b = new StringBuilder(1024);
        b.append("{\n");
        field(b, 1, "database", report.database()).append(",\n");
        field(b, 1, "databaseLabel", report.databaseLabel()).append(",\n");
        field(b, 1, "threads", o.threads()).append(",\n");
        field(b, 1, "threadKind", report.threadKind()).append(",\n");
        field(b, 1, "poolSize", o.poolSize()).append(",\n");
        field(b, 1, "products", o.products()).append(",\n");
        field(b, 1, "stockPerProduct", o.stock()).append(",\n");
        field(b, 1, "duplicateRate", o.duplicateRate()).append(",\n");
        field(b, 1, "durationMillis", o.duration().toMillis()).append(",\n");
        field(b, 1, "warmupMillis", o.warmup().toMillis()).append(",\n");
        field(b, 1, "latchkeyInvariantsHeld", report.latchkeyClean()).append(",\n");
        indent(b, 1).append("\"strategies\": [");
        for (int i = 0; i < report.results().size(); i++) {
            StrategyResult r = report.results().get(i);
            Shop.Audit a = r.audit();
            b.append(i == 0 ? "\n" : ",\n");
            indent(b, 2).append("{\n");
            field(b, 3, "id", r.id()).append(",\n");
            field(b, 3, "title", r.title()).append(",\n");
            field(b, 3, "latchkey", r.latchkey()).append(",\n");
            field(b, 3, "requests", r.requests()).append(",\n");
            field(b, 3, "duplicatesSent", r.duplicatesSent()).append(",\n");
            field(b, 3, "ordersAccepted", a.orders()).append(",\n");
            field(b, 3, "unitsSold", a.unitsSold()).append(",\n");
            field(b, 3, "unitsAvailable", a.unitsAvailable()).append(",\n");
            field(b, 3, "oversoldUnits", a.oversold()).append(",\n");
            field(b, 3, "duplicateCharges", a.duplicateCharges()).append(",\n");
            field(b, 3, "lostStockUpdates", a.lostStockUpdates()).append(",\n");
            field(b, 3, "retries", r.retries()).append(",\n");
            field(b, 3, "answersSoldOut", r.soldOut()).append(",\n");
            field(b, 3, "answersReplayed", r.replayed()).append(",\n");
            field(b, 3, "answersInFlight", r.inFlight()).append(",\n");
            field(b, 3, "failed", r.failed()).append(",\n");
            field(b, 3, "firstError", r.firstError()).append(",\n");
            field(b, 3, "elapsedMillis", r.elapsedNanos() / 1_000_000.0).append(",\n");
            field(b, 3, "endedSoldOut", r.endedSoldOut()).append(",\n");
            field(b, 3, "throughputPerSecond", r.throughput()).append(",\n");
            field(b, 3, "latencyP50Millis", r.p50Nanos() / 1e6).append(",\n");
            field(b, 3, "latencyP99Millis", r.p99Nanos() / 1e6).append('\n');
            indent(b, 2).append('}');
        }
        b.append('\n');
        indent(b, 1).append("]\n");
        b.append("}\n");
        return b.toString();
    }

    private static StringBuilder indent(StringBuilder b, int level) {
        return b.append("  ".repeat(level));
    }

    private static StringBuilder field(StringBuilder b, int level, String name, Object value) {
        indent(b, level).append('"').append(name).append("\": ");
        if (value == null) {
            return b.append("null");
        }
        if (value instanceof Double) {
            return b.append(String.format(Locale.ROOT, "%.3f", (Double) value));
        }
        if (value instanceof Number || value instanceof Boolean) {
            return b.append(value);
        }
        return quote(b, value.toString());
    }

    static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"');
    }
}

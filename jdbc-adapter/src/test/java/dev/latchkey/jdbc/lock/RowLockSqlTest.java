package dev.latchkey.jdbc.lock;

import static dev.latchkey.jdbc.sql.Expression.column;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import dev.latchkey.jdbc.dialect.DatabaseProduct;
import dev.latchkey.jdbc.dialect.Dialect;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.sql.Expression;
import org.junit.jupiter.api.Test;

/**
 * The SQL each option renders to on each dialect, and the options each dialect refuses (the
 * rendering half of Django's select_for_update tests: test_for_update_sql_generated,
 * test_for_update_sql_generated_nowait, test_for_update_sql_generated_skip_locked,
 * test_for_update_sql_generated_no_key, test_unsupported_* and test_nowait_and_skip_locked).
 */
class RowLockSqlTest {
    private static final Dialect PG = Dialect.of(DatabaseProduct.POSTGRESQL, 15, 4);
    private static final Dialect MARIADB = Dialect.of(DatabaseProduct.MARIADB, 10, 11);
    private static final Dialect MARIADB_10_5 = Dialect.of(DatabaseProduct.MARIADB, 10, 5);
    private static final Dialect MARIADB_10_2 = Dialect.of(DatabaseProduct.MARIADB, 10, 2);
    private static final Dialect MYSQL = Dialect.of(DatabaseProduct.MYSQL, 8, 0);
    private static final Dialect MYSQL_5_7 = Dialect.of(DatabaseProduct.MYSQL, 5, 7);
    private static final Dialect H2 = Dialect.of(DatabaseProduct.H2, 2, 3);
    private static final Dialect H2_2_1 = Dialect.of(DatabaseProduct.H2, 2, 1);

    private static JdbcContext ctx(Dialect d) {
        return LockTestSupport.renderingContext(d);
    }

    private static Expression col(String name) {
        return column(name);
    }

    private static RowLockQuery product(Dialect d) {
        return RowLockQuery.of(ctx(d), "product");
    }

    @Test
    void forUpdateByOneKeyNeedsNoOrder() {
        assertThat(product(PG).key(7).sql()).isEqualTo("SELECT * FROM product WHERE id = ? FOR UPDATE");
        assertThat(product(MARIADB).key(7).sql()).isEqualTo("SELECT * FROM product WHERE id = ? FOR UPDATE");
        assertThat(product(H2).key(7).sql()).isEqualTo("SELECT * FROM product WHERE id = ? FOR UPDATE");
    }

    @Test
    void severalKeysAreSortedDistinctAndOrdered() {
        RowLockQuery q = product(PG).keys(3L, 1L, 2L, 3L);
        assertThat(q.keys()).containsExactly(1L, 2L, 3L);
        assertThat(q.sql()).isEqualTo("SELECT * FROM product WHERE id IN (?, ?, ?) ORDER BY id FOR UPDATE");
        assertThat(product(PG).keys(List.of("b", "a")).keys()).containsExactly("a", "b");
    }

    @Test
    void nowaitPerDialect() {
        assertThat(product(PG).keys(1, 2).nowait().sql())
                .isEqualTo("SELECT * FROM product WHERE id IN (?, ?) ORDER BY id FOR UPDATE NOWAIT");
        assertThat(product(MARIADB).keys(1, 2).nowait().sql())
                .isEqualTo("SELECT * FROM product WHERE id IN (?, ?) ORDER BY id FOR UPDATE NOWAIT");
        assertThat(product(MYSQL).key(1).nowait().sql()).isEqualTo("SELECT * FROM product WHERE id = ? FOR UPDATE NOWAIT");
        assertThat(product(H2).key(1).nowait().sql()).isEqualTo("SELECT * FROM product WHERE id = ? FOR UPDATE NOWAIT");
    }

    @Test
    void skipLockedPerDialect() {
        assertThat(product(PG).keys(1, 2).skipLocked().sql())
                .isEqualTo("SELECT * FROM product WHERE id IN (?, ?) ORDER BY id FOR UPDATE SKIP LOCKED");
        assertThat(product(MARIADB).keys(1, 2).skipLocked().sql())
                .isEqualTo("SELECT * FROM product WHERE id IN (?, ?) ORDER BY id FOR UPDATE SKIP LOCKED");
        assertThat(product(H2).keys(1, 2).skipLocked().sql())
                .isEqualTo("SELECT * FROM product WHERE id IN (?, ?) ORDER BY id FOR UPDATE SKIP LOCKED");
    }

    @Test
    void strengthsPerDialect() {
        assertThat(product(PG).key(1).forNoKeyUpdate().sql())
                .isEqualTo("SELECT * FROM product WHERE id = ? FOR NO KEY UPDATE");
        assertThat(product(PG).key(1).forShare().sql()).isEqualTo("SELECT * FROM product WHERE id = ? FOR SHARE");
        assertThat(product(MARIADB).key(1).forShare().sql())
                .isEqualTo("SELECT * FROM product WHERE id = ? LOCK IN SHARE MODE");
        assertThat(product(MARIADB).key(1).forShare().nowait().sql())
                .isEqualTo("SELECT * FROM product WHERE id = ? LOCK IN SHARE MODE NOWAIT");
        assertThat(product(MYSQL).key(1).forShare().sql()).isEqualTo("SELECT * FROM product WHERE id = ? FOR SHARE");
        assertThat(product(MYSQL_5_7).key(1).forShare().sql())
                .isEqualTo("SELECT * FROM product WHERE id = ? LOCK IN SHARE MODE");
    }

    @Test
    void timeoutPerDialect() {
        Duration t = Duration.ofMillis(300);
        // PostgreSQL: lock_timeout is set by a separate statement (set_config) around this one
        assertThat(product(PG).key(1).timeout(t).sql()).isEqualTo("SELECT * FROM product WHERE id = ? FOR UPDATE");
        assertThat(product(MARIADB).key(1).timeout(t).sql()).isEqualTo(
                "SET STATEMENT max_statement_time=0.300 FOR SELECT * FROM product WHERE id = ? FOR UPDATE WAIT 1");
        assertThat(product(MARIADB).key(1).timeout(Duration.ofMillis(2_500)).sql()).isEqualTo(
                "SET STATEMENT max_statement_time=2.500 FOR SELECT * FROM product WHERE id = ? FOR UPDATE WAIT 3");
        assertThat(product(H2).key(1).timeout(t).sql())
                .isEqualTo("SELECT * FROM product WHERE id = ? FOR UPDATE WAIT 0.300");
        // MySQL: innodb_lock_wait_timeout is set (and put back) by separate statements
        assertThat(product(MYSQL).key(1).timeout(t).sql()).isEqualTo("SELECT * FROM product WHERE id = ? FOR UPDATE");
        // sub-millisecond timeouts round up, never down
        assertThat(product(H2).key(1).timeout(Duration.ofNanos(1_000_001)).sql())
                .isEqualTo("SELECT * FROM product WHERE id = ? FOR UPDATE WAIT 0.002");
    }

    @Test
    void timeoutResolutionPerDialect() {
        assertThat(PG.lockTimeoutResolution()).isEqualTo(Duration.ofMillis(1));
        assertThat(MARIADB.lockTimeoutResolution()).isEqualTo(Duration.ofMillis(1));
        assertThat(MARIADB_10_2.lockTimeoutResolution()).isEqualTo(Duration.ofSeconds(1));
        assertThat(MYSQL.lockTimeoutResolution()).isEqualTo(Duration.ofSeconds(1));
        assertThat(H2.lockTimeoutResolution()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void claimIsOrderByLimitForUpdateSkipLocked() {
        assertThat(product(PG).where("state", "ready").orderBy("run_at").claim(10).sql()).isEqualTo(
                "SELECT * FROM product WHERE state = ? ORDER BY run_at, id LIMIT ? FOR UPDATE SKIP LOCKED");
        assertThat(product(MARIADB).where("state", "ready").claim(10).sql()).isEqualTo(
                "SELECT * FROM product WHERE state = ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED");
        assertThat(product(H2).claim(5).sql())
                .isEqualTo("SELECT * FROM product ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED");
    }

    @Test
    void conditionsColumnsAndOrderRender() {
        RowLockQuery q = product(PG).keyColumn("sku").columns("stock", "price").keys("b", "a")
                .where("stock", ">", 0).whereNull("deleted_at").whereNotNull("price").orderByDescending("price");
        assertThat(q.sql()).isEqualTo("SELECT sku, stock, price FROM product WHERE sku IN (?, ?) AND stock > ? "
                + "AND deleted_at IS NULL AND price IS NOT NULL ORDER BY price DESC, sku FOR UPDATE");
        // the key column is not repeated when asked for, nor ordered twice
        assertThat(product(PG).columns("id", "stock").orderBy("id").where("stock", "<=", 5).sql())
                .isEqualTo("SELECT id, stock FROM product WHERE stock <= ? ORDER BY id FOR UPDATE");
        // reserved words are quoted per dialect, by that database's own keyword list (status is not
        // reserved on MariaDB, order is)
        assertThat(RowLockQuery.of(ctx(MARIADB), "order").columns("status").key(1).sql())
                .isEqualTo("SELECT id, status FROM `order` WHERE id = ? FOR UPDATE");
    }

    @Test
    void typedConditionsRenderLikeTheConveniences() {
        // one condition language with the update builders: where(column, op, value) builds the same Condition
        assertThat(product(PG).where(col("stock").lt(5)).where(col("deleted_at").isNull()).sql())
                .isEqualTo(product(PG).where("stock", "<", 5).whereNull("deleted_at").sql())
                .isEqualTo("SELECT * FROM product WHERE stock < ? AND deleted_at IS NULL ORDER BY id FOR UPDATE");
        assertThat(product(MARIADB).key(1).where(col("state").eq("a").or(col("stock").ge(col("reserved")))).sql())
                .isEqualTo("SELECT * FROM product WHERE id = ? AND (state = ? OR stock >= reserved) FOR UPDATE");
        assertThat(product(PG).where("state", "!=", "x").sql())
                .isEqualTo("SELECT * FROM product WHERE state <> ? ORDER BY id FOR UPDATE");
    }

    @Test
    void unsupportedOptionsAreRefusedWithTheDialectNamed() {
        assertThatThrownBy(() -> product(MARIADB).forNoKeyUpdate()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("FOR NO KEY UPDATE is not supported by MariaDB 10.11");
        assertThatThrownBy(() -> product(H2).forNoKeyUpdate()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("FOR NO KEY UPDATE is not supported by H2 2.3");
        assertThatThrownBy(() -> product(MYSQL).forNoKeyUpdate()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("FOR NO KEY UPDATE is not supported by MySQL 8.0");
        assertThatThrownBy(() -> product(H2).forShare()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("FOR SHARE is not supported by H2 2.3");
        assertThatThrownBy(() -> product(MARIADB_10_5).skipLocked()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("SKIP LOCKED is not supported by MariaDB 10.5");
        assertThatThrownBy(() -> product(MARIADB_10_5).claim(1)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("SKIP LOCKED is not supported by MariaDB 10.5");
        assertThatThrownBy(() -> product(MARIADB_10_2).nowait()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("NOWAIT is not supported by MariaDB 10.2");
        assertThatThrownBy(() -> product(MYSQL_5_7).skipLocked()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("SKIP LOCKED is not supported by MySQL 5.7");
        assertThatThrownBy(() -> product(H2_2_1).nowait()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("NOWAIT is not supported by H2 2.1");
        assertThatThrownBy(() -> product(H2_2_1).timeout(Duration.ofSeconds(1)))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("a lock timeout is not supported by H2 2.1");
        // MariaDB 10.5 still has NOWAIT
        assertThat(product(MARIADB_10_5).key(1).nowait().sql()).endsWith("FOR UPDATE NOWAIT");
    }

    @Test
    void contradictoryWaitPoliciesAreRefused() {
        assertThatThrownBy(() -> product(PG).nowait().skipLocked()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("skipLocked() cannot be combined with nowait()");
        assertThatThrownBy(() -> product(PG).skipLocked().nowait()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nowait() cannot be combined with skipLocked()");
        assertThatThrownBy(() -> product(PG).timeout(Duration.ofSeconds(1)).nowait())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("nowait() cannot be combined with timeout(PT1S)");
        assertThatThrownBy(() -> product(PG).nowait().timeout(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout() cannot be combined with nowait()");
        assertThatThrownBy(() -> product(PG).skipLocked().timeout(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout() cannot be combined with skipLocked()");
        assertThatThrownBy(() -> product(PG).nowait().claim(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("skipLocked() cannot be combined with nowait()");
        // waitIndefinitely() clears the policy, so a new one may be chosen
        assertThat(product(PG).key(1).nowait().waitIndefinitely().skipLocked().sql())
                .isEqualTo("SELECT * FROM product WHERE id = ? FOR UPDATE SKIP LOCKED");
    }

    @Test
    void badArgumentsAreRefusedNamingTheInput() {
        assertThatThrownBy(() -> product(PG).timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be at least 1 ms (use nowait() not to wait): timeout=PT0S");
        assertThatThrownBy(() -> product(PG).limit(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be >= 1: limit=0");
        assertThatThrownBy(() -> RowLockQuery.of(ctx(PG), "product; drop table x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table=");
        assertThatThrownBy(() -> product(PG).where("stock", "LIKE", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("operator must be one of [!=, <, <=, <>, =, >, >=]: operator=LIKE");
        assertThatThrownBy(() -> product(PG).where("stock", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value must not be null (use whereNull(\"stock\")): column=stock");
        assertThatThrownBy(() -> product(PG).keys(1, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keys must not contain null: keys=[1, null]");
        assertThatThrownBy(() -> product(PG).keys(1, "a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keys must be mutually comparable (one type) so they can be locked in one order: keys=[1, a]");
        assertThatThrownBy(() -> product(PG).key(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key must not be null");
    }

    @Test
    void everyStepReturnsANewValue() {
        RowLockQuery base = product(PG).keys(1, 2);
        RowLockQuery nowait = base.nowait();
        RowLockQuery limited = base.limit(1);
        assertThat(base.waitPolicy()).isEqualTo(WaitPolicy.WAIT);
        assertThat(base.limit()).isZero();
        assertThat(nowait.waitPolicy()).isEqualTo(WaitPolicy.NOWAIT);
        assertThat(limited.limit()).isEqualTo(1);
        assertThat(base.sql()).isEqualTo("SELECT * FROM product WHERE id IN (?, ?) ORDER BY id FOR UPDATE");
        assertThat(base.forShare().strength()).isEqualTo(LockStrength.SHARE);
        assertThat(base.strength()).isEqualTo(LockStrength.UPDATE);
        assertThat(base.timeout(Duration.ofSeconds(2)).timeout()).contains(Duration.ofSeconds(2));
        assertThat(base.timeout()).isEmpty();
    }

    @Test
    void capabilitiesPerDialect() {
        assertThat(List.of(PG.supportsForShare(), PG.supportsForNoKeyUpdate(), PG.supportsNowait(),
                PG.supportsSkipLocked(), PG.supportsLockTimeout(), PG.supportsAdvisoryLocks()))
                .containsExactly(true, true, true, true, true, true);
        assertThat(List.of(MARIADB.supportsForShare(), MARIADB.supportsForNoKeyUpdate(), MARIADB.supportsNowait(),
                MARIADB.supportsSkipLocked(), MARIADB.supportsLockTimeout(), MARIADB.supportsAdvisoryLocks()))
                .containsExactly(true, false, true, true, true, true);
        assertThat(List.of(MARIADB_10_5.supportsSkipLocked(), MARIADB_10_5.supportsNowait())).containsExactly(false, true);
        assertThat(List.of(MYSQL.supportsForShare(), MYSQL.supportsForNoKeyUpdate(), MYSQL.supportsNowait(),
                MYSQL.supportsSkipLocked(), MYSQL.supportsLockTimeout(), MYSQL.supportsAdvisoryLocks()))
                .containsExactly(true, false, true, true, true, true);
        assertThat(List.of(H2.supportsForShare(), H2.supportsForNoKeyUpdate(), H2.supportsNowait(),
                H2.supportsSkipLocked(), H2.supportsLockTimeout(), H2.supportsAdvisoryLocks()))
                .containsExactly(false, false, true, true, true, false);
    }

    @Test
    void advisoryLockRenderingPerDialect() {
        long key = AdvisoryLock.postgresKey("nightly-report");
        assertThat(key).isEqualTo(AdvisoryLock.postgresKey("nightly-report")).isNotEqualTo(AdvisoryLock.postgresKey("x"));
        assertThat(LockSql.of(PG).advisoryLockSql(false)).isEqualTo("SELECT pg_advisory_xact_lock(?)");
        assertThat(LockSql.of(PG).advisoryLockSql(true)).isEqualTo("SELECT pg_try_advisory_xact_lock(?)");
        assertThat(LockSql.of(PG).advisoryLockParameters("nightly-report", false, null)).containsExactly(key);
        assertThat(LockSql.of(PG).advisoryUnlockSql()).isNull();
        assertThat(LockSql.of(MARIADB).advisoryLockSql(false)).isEqualTo("SELECT GET_LOCK(?, ?)");
        assertThat(LockSql.of(MARIADB).advisoryLockParameters("r", true, null)).containsExactly("r", 0L);
        assertThat(LockSql.of(MARIADB).advisoryLockParameters("r", false, Duration.ofMillis(250)))
                .containsExactly("r", new BigDecimal("0.250"));
        assertThat(LockSql.of(MYSQL).advisoryLockParameters("r", false, Duration.ofMillis(250))).containsExactly("r", 1L);
        assertThat(LockSql.of(MARIADB).advisoryUnlockSql()).isEqualTo("SELECT RELEASE_LOCK(?)");
        assertThatThrownBy(() -> AdvisoryLock.of(ctx(H2), "x"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("advisory locking is not supported by H2 2.3");
        assertThatThrownBy(() -> AdvisoryLock.of(ctx(PG), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("an advisory lock name must not be empty: name=");
        assertThatThrownBy(() -> AdvisoryLock.of(ctx(PG), "x".repeat(65)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an advisory lock name is at most 64 characters: name=" + "x".repeat(64) + "... (65 characters)");
    }
}

package dev.latchkey.bench.lab;

import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.idempotency.JdbcIdempotencyStore;

/**
 * What a strategy works with.
 *
 * @param dataSource the pool of auto-commit connections the buyers share
 * @param latchkey Latchkey over that pool
 * @param shop the shop's tables
 * @param idempotencyStore the JDBC idempotency store, on a table of this lab run
 * @param retries the counter a strategy adds each retry to (thread-safe)
 */
record LabContext(DataSource dataSource, Latchkey latchkey, Shop shop, JdbcIdempotencyStore idempotencyStore,
                  LongAdder retries) {
}

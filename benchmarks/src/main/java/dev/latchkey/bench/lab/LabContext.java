package dev.latchkey.bench.lab;

import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import dev.latchkey.jdbc.Latchkey;

/**
 * What a strategy works with.
 *
 * @param dataSource the pool of auto-commit connections the buyers share
 * @param latchkey Latchkey over that pool
 * @param shop the shop's tables
 * @param retries the counter a strategy adds each retry to (thread-safe)
 */
record LabContext(DataSource dataSource, Latchkey latchkey, Shop shop, LongAdder retries) {
}

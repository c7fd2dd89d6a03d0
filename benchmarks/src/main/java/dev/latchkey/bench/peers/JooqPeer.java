package dev.latchkey.bench.peers;

import java.util.Optional;

import javax.sql.DataSource;

import dev.latchkey.jdbc.dialect.DatabaseProduct;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.SelectForUpdateWaitStep;
import org.jooq.conf.Settings;
import org.jooq.exception.DataChangedException;
import org.jooq.impl.DSL;

/**
 * jOOQ 3.19 (open-source edition) as its manual recommends: a {@code DSLContext} over the pool,
 * {@code UpdatableRecord.store()} with {@code Settings.withExecuteWithOptimisticLocking(true)}
 * and a record version field, the DSL's {@code update}, and {@code forUpdate().noWait()} /
 * {@code skipLocked()} in {@code transactionResult}. jOOQ's only bounded wait is
 * {@code forUpdate().wait(int seconds)} (on PostgreSQL it prepends
 * {@code set local lock_timeout = n * 1000}), so it has no 300 ms lock timeout.
 */
final class JooqPeer {
    private final DSLContext dsl;
    private final JooqItemTable items;

    JooqPeer(DataSource dataSource, DatabaseProduct product, String table) {
        SQLDialect dialect = switch (product) {
            case POSTGRESQL -> SQLDialect.POSTGRES;
            case MARIADB -> SQLDialect.MARIADB;
            case MYSQL -> SQLDialect.MYSQL;
            default -> throw new IllegalArgumentException("no jOOQ dialect chosen for product=" + product);
        };
        items = JooqItemTable.forTrial(table);
        dsl = DSL.using(dataSource, dialect, new Settings().withExecuteWithOptimisticLocking(true)
                .withRenderSchema(false).withExecuteLogging(false));
    }

    /**
     * Optimistic update: fetch the record, change it, {@code store()} ({@code UPDATE .. WHERE id = ?
     * AND version = ?}); a {@code DataChangedException} fetches and stores again, at once.
     *
     * @param id the row
     * @return the retries it took
     */
    int optimisticTake(long id) {
        for (int retries = 0; ; retries++) {
            JooqItemTable.ItemRecord item = dsl.fetchSingle(items, items.id.eq(id));
            item.setStock(item.getStock() - 1);
            try {
                item.store();
                return retries;
            } catch (DataChangedException e) {
                if (retries == Peers.MAX_RETRIES) {
                    throw e;
                }
            }
        }
    }

    /**
     * Guarded decrement: {@code update(items).set(stock, stock - 1).where(id = ? and stock >= 1)}.
     *
     * @param id the row
     * @return the rows updated
     */
    int decrement(long id) {
        return dsl.update(items).set(items.stock, items.stock.minus(1L))
                .where(items.id.eq(id).and(items.stock.ge(1L))).execute();
    }

    /**
     * Locking read in {@code transactionResult}: {@code selectFrom(items).where(id = ?)
     * .forUpdate().noWait()} or {@code .skipLocked()}.
     *
     * @param id the row
     * @param wait {@code NOWAIT} or {@code SKIP_LOCKED}
     * @return the stock, or empty when the row was skipped
     * @throws UnsupportedOperationException for a millisecond timeout, which jOOQ cannot express
     */
    Optional<Long> lockedRead(long id, Peers.Wait wait) {
        if (wait == Peers.Wait.TIMEOUT_300_MS) {
            throw new UnsupportedOperationException("jOOQ's forUpdate().wait(int) takes whole seconds: " + waitOneSecondSql());
        }
        return dsl.transactionResult(cfg -> {
            SelectForUpdateWaitStep<JooqItemTable.ItemRecord> locking = cfg.dsl().selectFrom(items)
                    .where(items.id.eq(id)).forUpdate();
            return (wait == Peers.Wait.NOWAIT ? locking.noWait() : locking.skipLocked())
                    .fetchOptional().map(JooqItemTable.ItemRecord::getStock);
        });
    }

    /**
     * What jOOQ renders for its nearest bounded wait, {@code forUpdate().wait(1)}, on this
     * dialect.
     *
     * @return the SQL, or why jOOQ refused to render it
     */
    String waitOneSecondSql() {
        try {
            return dsl.selectFrom(items).where(items.id.eq(1L)).forUpdate().wait(1).getSQL();
        } catch (RuntimeException e) {
            return "not rendered (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }
}

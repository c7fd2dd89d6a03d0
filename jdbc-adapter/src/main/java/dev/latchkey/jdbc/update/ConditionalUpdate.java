package dev.latchkey.jdbc.update;

import java.util.List;

import dev.latchkey.StaleVersionException;
import dev.latchkey.jdbc.internal.JdbcContext;
import dev.latchkey.jdbc.internal.Session;

/**
 * The engine shared by atomic updates and optimistic version checks: runs one
 * {@link UpdatePlan} on one connection.
 *
 * <ul>
 *   <li>Applied: one statement (the {@code UPDATE}, returning its row where the dialect can).
 *       Where it cannot (MariaDB, MySQL) and columns were asked for, a second statement reads them
 *       back inside the same transaction, under the row lock of the {@code UPDATE}.</li>
 *   <li>Zero rows without guard or expected version: not found, no further statement.</li>
 *   <li>Zero rows with a guard or an expected version: one follow-up read of the row tells not
 *       found, guard failed and stale version (thrown as {@link StaleVersionException}) apart.</li>
 * </ul>
 */
final class ConditionalUpdate {
    private ConditionalUpdate() {
    }

    static UpdateResult run(Session jdbc, UpdatePlan plan, JdbcContext ctx) {
        if (plan.readBackSql != null && jdbc.autoCommit()) {
            return jdbc.inTransaction(tx -> once(tx, plan, ctx));
        }
        return once(jdbc, plan, ctx);
    }

    private static UpdateResult once(Session jdbc, UpdatePlan plan, JdbcContext ctx) {
        int count;
        List<Object> returned = null;
        if (plan.returnsRow) {
            List<List<Object>> rows = jdbc.writeQuery(plan.sql, plan.params, plan.statementColumns.size());
            count = rows.size();
            if (count == 1) {
                returned = rows.get(0);
            }
        } else {
            count = jdbc.update(plan.sql, plan.params);
        }
        if (count > 1) {
            throw plan.tooManyRows(count);
        }
        if (count == 1) {
            if (plan.readBackSql != null) {
                List<List<Object>> rows = jdbc.query(plan.readBackSql, plan.keyValues(), plan.readBackColumns.size());
                if (rows.size() != 1) {
                    throw new IllegalStateException("the row of " + plan.table + " updated for key " + plan.key
                            + " could not be read back in the same transaction (" + rows.size() + " rows)");
                }
                return plan.applied(plan.readBackColumns, rows.get(0));
            }
            return plan.applied(plan.statementColumns, returned);
        }
        if (plan.followUpSql == null) {
            return plan.notFound();
        }
        String followUp = jdbc.autoCommit() ? plan.followUpSql : plan.followUpSql + plan.latestRowReadSuffix;
        List<List<Object>> rows = jdbc.query(followUp, plan.followUpParams(), plan.followUpColumnCount());
        UpdateResult result = plan.classify(rows.isEmpty() ? null : rows.get(0));
        if (result.staleVersion()) {
            StaleVersionException stale = plan.staleException(result);
            ctx.listener().onConflict(stale.table(), stale.key(), stale);
            throw stale;
        }
        return result;
    }
}

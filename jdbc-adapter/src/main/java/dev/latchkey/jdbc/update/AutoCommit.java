package dev.latchkey.jdbc.update;

import java.util.function.Function;

import dev.latchkey.jdbc.Latchkey;
import dev.latchkey.jdbc.internal.OwnConnection;
import dev.latchkey.jdbc.internal.TransactionScope;

/**
 * Runs an operation on a connection of the Latchkey's data source in auto-commit mode, for the
 * {@code execute()} methods that take no connection.
 *
 * <p>Refuses to run while this thread is inside a Latchkey transaction on the same data source:
 * the operation would silently run outside that transaction, on another connection, and could
 * wait forever on a row lock the transaction holds. Such code must pass the transaction's
 * connection.
 */
final class AutoCommit {
    private AutoCommit() {
    }

    /**
     * Runs the work under the Latchkey's retry policy: in auto-commit mode a deadlock or lock
     * timeout rolls back only the failed statement (or the short transaction Latchkey opened), so
     * re-running is safe; a connection lost during a write is reported as
     * {@link dev.latchkey.CommitOutcomeUnknownException}, which is never retried.
     */
    static <T> T run(Latchkey latchkey, String operation, Function<Jdbc, T> work) {
        refuseInsideTransaction(latchkey, operation);
        return latchkey.retryPolicy().execute(attempt -> once(latchkey, work));
    }

    static void refuseInsideTransaction(Latchkey latchkey, String operation) {
        if (TransactionScope.isActive(latchkey.dataSource())) {
            throw new IllegalStateException(operation + " without a connection runs on its own connection in "
                    + "auto-commit mode, but this thread is inside a Latchkey transaction on the same data source; "
                    + "pass the transaction's connection: execute(connection)");
        }
    }

    /** One attempt on a connection of its own (see {@link OwnConnection#call}). */
    static <T> T once(Latchkey latchkey, Function<Jdbc, T> work) {
        return OwnConnection.call(latchkey.dataSource(), latchkey.errors(),
                c -> work.apply(Jdbc.on(c, latchkey.errors())));
    }
}

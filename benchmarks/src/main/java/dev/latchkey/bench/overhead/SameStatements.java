package dev.latchkey.bench.overhead;

import java.sql.SQLException;
import java.util.List;

import dev.latchkey.bench.stub.StubConnection;

/**
 * Checks, when a benchmark is set up, that Latchkey's side of a pair and the hand-written side
 * ask the stub connection for exactly the same statements, commits, rollbacks and auto-commit
 * changes, in the same order: a pair only measures Latchkey's own work if both do the same
 * database work.
 */
final class SameStatements {
    private SameStatements() {
    }

    /** One side of a pair, run once while the connection records. */
    @FunctionalInterface
    interface Side {
        void run() throws SQLException;
    }

    /**
     * Runs each side once while recording and fails when the logs differ.
     *
     * @param what the operation, for the message
     * @param connection the stub connection both sides use
     * @param latchkey Latchkey's side
     * @param handWritten the baseline
     * @throws IllegalStateException when they differ or a side throws
     */
    static void require(String what, StubConnection connection, Side latchkey, Side handWritten) {
        List<String> l = record(what, connection, latchkey);
        List<String> h = record(what, connection, handWritten);
        if (!l.equals(h) || l.isEmpty()) {
            throw new IllegalStateException(what + ": the baseline must do what Latchkey does;\n  latchkey:     "
                    + String.join("\n                ", l) + "\n  hand-written: "
                    + String.join("\n                ", h));
        }
    }

    private static List<String> record(String what, StubConnection connection, Side side) {
        connection.record();
        try {
            side.run();
        } catch (SQLException | RuntimeException e) {
            connection.stopRecording();
            throw new IllegalStateException(what + " failed on the stub: " + e, e);
        }
        return connection.stopRecording();
    }
}

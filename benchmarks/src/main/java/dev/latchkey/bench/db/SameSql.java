package dev.latchkey.bench.db;

/**
 * Checks, when a benchmark is set up, that Latchkey's side of a pair renders exactly the SQL the
 * hand-written side runs: a pair only measures Latchkey's overhead if both send the same
 * statements.
 */
public final class SameSql {
    private SameSql() {
    }

    /**
     * Fails when the statements differ.
     *
     * @param what the operation, for the message
     * @param latchkey the SQL Latchkey renders
     * @param handWritten the SQL of the baseline
     * @throws IllegalStateException when they differ
     */
    public static void require(String what, String latchkey, String handWritten) {
        if (!latchkey.equals(handWritten)) {
            throw new IllegalStateException(what + ": the baseline must run the SQL Latchkey runs;\n  latchkey:     "
                    + latchkey + "\n  hand-written: " + handWritten);
        }
    }
}

package dev.latchkey.bench.lab;

import java.util.List;

/**
 * A whole lab run: the setting and one result per strategy.
 *
 * @param database the database, as its dialect names it (e.g. {@code PostgreSQL 15.4})
 * @param databaseLabel what the user asked for (e.g. {@code embedded-postgres})
 * @param options the options the lab ran with
 * @param threadKind how the buyer threads were made
 * @param results one per strategy, in the order run
 */
record LabReport(String database, String databaseLabel, LabOptions options, String threadKind,
                 List<StrategyResult> results) {

    /** @return whether every Latchkey strategy kept the invariants */
    boolean latchkeyClean() {
        return results.stream().noneMatch(StrategyResult::violatesInvariants);
    }
}

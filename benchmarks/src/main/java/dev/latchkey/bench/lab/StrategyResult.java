package dev.latchkey.bench.lab;

/**
 * What one strategy's sale produced: what the clients saw, and what the database holds.
 *
 * @param id the strategy id
 * @param title the strategy title
 * @param description how it sells
 * @param latchkey whether it is held to the invariants (else it is the control)
 * @param requests requests answered, duplicates included
 * @param duplicatesSent requests that were a client's retry with a key already sent
 * @param accepted answers "order placed"
 * @param soldOut answers "sold out"
 * @param replayed answers replayed from a finished request with the same key
 * @param inFlight answers "409: the same key is still running" (the client retried later)
 * @param failed requests that ended in an error
 * @param firstError the first error's text, or {@code null}
 * @param retries retries the strategy made (stale versions, deadlocks, lock timeouts...)
 * @param elapsedNanos how long the sale lasted
 * @param endedSoldOut whether the sale ended because everything was sold
 * @param p50Nanos median request latency
 * @param p99Nanos 99th percentile request latency
 * @param audit what the database holds afterwards
 */
record StrategyResult(String id, String title, String description, boolean latchkey, long requests,
                      long duplicatesSent, long accepted, long soldOut, long replayed, long inFlight, long failed,
                      String firstError, long retries, long elapsedNanos, boolean endedSoldOut, long p50Nanos,
                      long p99Nanos, Shop.Audit audit) {

    /** @return requests answered per second */
    double throughput() {
        return elapsedNanos == 0 ? 0 : requests * 1e9 / elapsedNanos;
    }

    /** @return whether a Latchkey strategy broke an invariant (the control never "fails") */
    boolean violatesInvariants() {
        return latchkey && !audit.clean();
    }
}

package dev.latchkey.bench.lab;

/** What a buyer's client saw for one request. */
public enum Outcome {
    /** The order was placed and charged. */
    ACCEPTED,
    /** Not enough stock left: nothing charged. */
    SOLD_OUT,
    /** A retry of a request that already finished: its stored answer, nothing charged again. */
    REPLAYED,
    /** A retry that arrived while the first request was still running (HTTP 409): try later. */
    IN_FLIGHT,
    /** An error the strategy did not handle (e.g. retries exhausted). */
    FAILED
}

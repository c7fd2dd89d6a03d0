package dev.latchkey.bench.lab;

/**
 * One way to sell stock to concurrent buyers. Implementations are thread-safe: every buyer
 * thread calls {@link #purchase(Purchase)} at once.
 */
interface Strategy {
    /** @return the short id used on the command line, e.g. {@code "atomic"} */
    String id();

    /** @return the title printed above its table */
    String title();

    /** @return one line on how it sells, printed under the title */
    String description();

    /** @return whether this is a Latchkey strategy, held to the invariants (else: the control) */
    boolean latchkey();

    /**
     * Handles one request, including any retries the strategy makes on its own.
     *
     * @param purchase the request
     * @return what the client sees
     * @throws Exception a failure the strategy does not handle; counted as {@link Outcome#FAILED}
     */
    Outcome purchase(Purchase purchase) throws Exception;
}

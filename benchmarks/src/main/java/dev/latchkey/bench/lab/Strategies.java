package dev.latchkey.bench.lab;

/** Makes the strategies by id. */
final class Strategies {
    private Strategies() {
    }

    /**
     * A new strategy.
     *
     * @param id one of {@link LabOptions#ALL_STRATEGIES}
     * @param context what it works with
     * @return the strategy
     * @throws IllegalArgumentException for an unknown id
     */
    static Strategy create(String id, LabContext context) {
        switch (id) {
            case "atomic":
                return new LatchkeyStrategy(id, "atomic update",
                        "UPDATE product SET stock = stock - ? WHERE id = ? AND stock >= ?, in one transaction with "
                                + "the idempotency key", context, new AtomicSeller(context));
            case "optimistic":
                return new LatchkeyStrategy(id, "optimistic + retry",
                        "read stock and version; UPDATE .. SET stock = ?, version = version + 1 WHERE id = ? AND "
                                + "version = ?; a stale version re-runs the transaction", context,
                        new OptimisticSeller(context));
            case "pessimistic":
                return new LatchkeyStrategy(id, "pessimistic lock",
                        "SELECT id, stock FROM product WHERE id = ? FOR UPDATE; UPDATE product SET stock = ?; "
                                + "the lock is held to commit", context, new PessimisticSeller(context));
            case "naive":
                return new NaiveStrategy(context);
            default:
                throw new IllegalArgumentException("unknown strategy: " + id);
        }
    }
}

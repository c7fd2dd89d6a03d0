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
            case "naive":
                return new NaiveStrategy(context);
            default:
                throw new IllegalArgumentException("unknown strategy: " + id);
        }
    }
}

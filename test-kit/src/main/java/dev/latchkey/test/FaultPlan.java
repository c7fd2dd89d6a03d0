package dev.latchkey.test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Which failures a {@link FaultInjectingDataSource} injects, and when: an ordered list of rules
 * (fault, {@link Trigger}, how many times at most), a random seed for probability triggers, and
 * the database whose error codes to use (detected from the connection when not named).
 *
 * <p>A plan is an immutable value: every method returns a new plan, so a base plan can be kept in
 * a constant and extended per test. When several rules would fire for one call, the first one
 * added wins (and only its firing is counted).
 *
 * <pre>{@code
 * FaultPlan plan = FaultPlan.none()
 *         .inject(Fault.DEADLOCK, Trigger.statementsMatching("(?i)^update account"), 2)
 *         .inject(Fault.COMMIT_REPLY_LOST, Trigger.commit(3))
 *         .inject(Fault.CONNECTION_LOST, Trigger.statementsWithProbability(0.01))
 *         .seed(42);
 * }</pre>
 */
public final class FaultPlan {
    private static final FaultPlan NONE = new FaultPlan(List.of(), 0, null);

    private final List<Rule> rules;
    private final long seed;
    private final @Nullable Database database;

    private FaultPlan(List<Rule> rules, long seed, @Nullable Database database) {
        this.rules = rules;
        this.seed = seed;
        this.database = database;
    }

    /**
     * Returns the plan that injects nothing, with seed 0 and the database detected: the start of
     * every plan.
     *
     * @return the empty plan
     */
    public static @NotNull FaultPlan none() {
        return NONE;
    }

    /**
     * Returns this plan with one more rule that fires every time its trigger does (a
     * {@link Trigger#statement numbered} trigger fires once anyway).
     *
     * @param fault the failure to inject
     * @param trigger when
     * @return the new plan
     * @throws IllegalArgumentException if the fault cannot happen where the trigger fires
     *         ({@link Fault#canHappenAt}: e.g. {@link Fault#COMMIT_REPLY_LOST} before a statement, a
     *         lock or cancel fault at COMMIT)
     */
    public @NotNull FaultPlan inject(@NotNull Fault fault, @NotNull Trigger trigger) {
        return inject(fault, trigger, Integer.MAX_VALUE);
    }

    /**
     * Returns this plan with one more rule that fires at most {@code times} times.
     *
     * @param fault the failure to inject
     * @param trigger when
     * @param times how many times at most, {@code >= 1}
     * @return the new plan
     * @throws IllegalArgumentException if {@code times < 1}, or if the fault cannot happen where the
     *         trigger fires ({@link Fault#canHappenAt})
     */
    public @NotNull FaultPlan inject(@NotNull Fault fault, @NotNull Trigger trigger, int times) {
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(trigger, "trigger");
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1: times=" + times);
        }
        if (!fault.canHappenAt(trigger.point())) {
            throw new IllegalArgumentException("fault " + fault + " cannot happen at " + trigger
                    + ": see Fault.canHappenAt");
        }
        List<Rule> more = new ArrayList<>(rules);
        more.add(new Rule(fault, trigger, times));
        return new FaultPlan(Collections.unmodifiableList(more), seed, database);
    }

    /**
     * Returns this plan with the seed of its probability triggers: the same seed makes the same
     * numbered calls fail.
     *
     * @param seed any value
     * @return the new plan
     */
    public @NotNull FaultPlan seed(long seed) {
        return new FaultPlan(rules, seed, database);
    }

    /**
     * Returns this plan with the database whose error codes to use, instead of detecting it from
     * the first connection's metadata.
     *
     * @param database the database
     * @return the new plan
     */
    public @NotNull FaultPlan database(@NotNull Database database) {
        return new FaultPlan(rules, seed, Objects.requireNonNull(database, "database"));
    }

    /**
     * Returns the seed.
     *
     * @return the seed of the probability triggers
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns the named database, if any.
     *
     * @return the database, or {@code null} when it is detected from the connection
     */
    public @Nullable Database database() {
        return database;
    }

    /**
     * Returns the rules, in the order they were added.
     *
     * @return an immutable list
     */
    public @NotNull List<Rule> rules() {
        return rules;
    }

    /**
     * The random draw in [0, 1) for a call: a pure function of the seed, the rule and the call's
     * number (SplitMix64's finalizer), so it needs no shared random state and repeats exactly.
     */
    double draw(int rule, long number, Trigger.Point point) {
        long z = seed + 0x9E3779B97F4A7C15L * (number * 31 + rule * 2L + point.ordinal() + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    @Override
    public String toString() {
        return "FaultPlan" + rules + "[seed=" + seed + (database == null ? "" : ", " + database) + "]";
    }

    /**
     * One rule of a plan.
     *
     * @param fault the failure
     * @param trigger when it fires
     * @param times how many times at most
     */
    public record Rule(@NotNull Fault fault, @NotNull Trigger trigger, int times) {
        /**
         * Checks the parts.
         *
         * @param fault the failure
         * @param trigger when it fires
         * @param times how many times at most
         */
        public Rule {
            Objects.requireNonNull(fault, "fault");
            Objects.requireNonNull(trigger, "trigger");
        }

        @Override
        public String toString() {
            return fault + " at " + trigger + (times == Integer.MAX_VALUE ? "" : " (at most " + times + "x)");
        }
    }
}

package dev.latchkey.test.junit;

import dev.latchkey.test.InjectedFault;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jetbrains.annotations.NotNull;
import org.opentest4j.AssertionFailedError;

/**
 * What a {@link Contention} run saw: how many calls succeeded, every failure with the thread and
 * call it came from, and the faults injected meanwhile. The {@code assert*} methods throw JUnit's
 * {@link AssertionFailedError} with all of that in the message, and return this result so that
 * assertions chain. Immutable.
 */
public final class ContentionResult {
    private static final int SHOWN = 10;

    private final int calls;
    private final int successes;
    private final List<Failure> failures;
    private final List<InjectedFault> injected;

    ContentionResult(int calls, int successes, List<Failure> failures, List<InjectedFault> injected) {
        this.calls = calls;
        this.successes = successes;
        this.failures = failures;
        this.injected = List.copyOf(injected);
    }

    /**
     * Returns how many calls were made.
     *
     * @return threads x repetitions
     */
    public int calls() {
        return calls;
    }

    /**
     * Returns how many calls returned normally.
     *
     * @return the successful calls
     */
    public int successes() {
        return successes;
    }

    /**
     * Returns the calls that threw, in no particular order.
     *
     * @return an immutable list
     */
    public @NotNull List<Failure> failures() {
        return failures;
    }

    /**
     * Returns how many calls threw an exception of the given type (or a subtype).
     *
     * @param type the exception type
     * @return the count
     */
    public long failuresOf(@NotNull Class<? extends Throwable> type) {
        Objects.requireNonNull(type, "type");
        return failures.stream().filter(f -> type.isInstance(f.error())).count();
    }

    /**
     * Returns the faults injected during the run (empty when the run named no injector).
     *
     * @return an immutable list
     */
    public @NotNull List<InjectedFault> injected() {
        return injected;
    }

    /**
     * Asserts that every call returned normally.
     *
     * @return this result
     * @throws AssertionFailedError if a call threw
     */
    public @NotNull ContentionResult assertNoFailures() {
        if (!failures.isEmpty()) {
            throw failure(failures.size() + " of " + calls + " calls failed", failures.get(0).error());
        }
        return this;
    }

    /**
     * Asserts that every call that threw, threw one of the given types (or a subtype): the
     * failures the code is expected to let through, such as an
     * {@code CommitOutcomeUnknownException} it must not hide.
     *
     * @param allowed the expected exception types
     * @return this result
     * @throws AssertionFailedError if a call threw anything else
     */
    public @NotNull ContentionResult assertFailuresOnly(@NotNull Class<?>... allowed) {
        List<Class<?>> types = Arrays.asList(allowed.clone());
        for (Failure f : failures) {
            if (types.stream().noneMatch(t -> t.isInstance(f.error()))) {
                throw failure("a call failed with an unexpected " + f.error().getClass().getName()
                        + " (expected only " + types.stream().map(Class::getSimpleName).collect(Collectors.joining(", "))
                        + ")", f.error());
            }
        }
        return this;
    }

    /**
     * Asserts that an invariant holds after the run (evaluated once, now).
     *
     * @param description what the invariant says, for the message
     * @param invariant returns whether it holds; may query the database
     * @return this result
     * @throws AssertionFailedError if it does not hold or cannot be evaluated
     */
    public @NotNull ContentionResult assertInvariant(@NotNull String description, @NotNull Callable<Boolean> invariant) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(invariant, "invariant");
        boolean holds;
        try {
            holds = invariant.call();
        } catch (Exception e) {
            throw failure("the invariant \"" + description + "\" could not be evaluated", e);
        }
        if (!holds) {
            throw failure("the invariant \"" + description + "\" does not hold", null);
        }
        return this;
    }

    private AssertionFailedError failure(String what, Throwable cause) {
        StringBuilder m = new StringBuilder(what).append("\n").append(this);
        failures.stream().limit(SHOWN).forEach(f -> m.append("\n  failure: ").append(f));
        injected.stream().limit(SHOWN).forEach(i -> m.append("\n  injected: ").append(i));
        if (injected.size() > SHOWN) {
            m.append("\n  ... ").append(injected.size() - SHOWN).append(" more injected");
        }
        return new AssertionFailedError(m.toString(), cause);
    }

    @Override
    public String toString() {
        return "ContentionResult[" + successes + " of " + calls + " calls succeeded, " + failures.size() + " failed, "
                + injected.size() + " faults injected]";
    }

    /**
     * One call that threw.
     *
     * @param thread the thread's index
     * @param repetition the call's index on that thread
     * @param error what it threw
     */
    public record Failure(int thread, int repetition, @NotNull Throwable error) {
        /**
         * Checks the parts.
         *
         * @param thread the thread's index
         * @param repetition the call's index on that thread
         * @param error what it threw
         */
        public Failure {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public String toString() {
            return "thread " + thread + " call " + repetition + ": " + error;
        }
    }
}

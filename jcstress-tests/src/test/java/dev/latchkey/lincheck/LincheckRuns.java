package dev.latchkey.lincheck;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import kotlin.Unit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.DSLScenarioBuilder;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * The budgets every Lincheck check in this module runs with, and the pieces its tests share:
 * hand-written scenarios (the interleaving a broken variant must be caught in is then always
 * explored, whatever the random scenarios turn out to be) and the assertion that a check fails.
 *
 * <p>Budgets are sized for the CI machine (2 shared CPUs): the whole Lincheck set must stay under
 * three minutes of {@code ./mvnw verify}, even on a loaded machine, where stress mode (threads
 * meeting at a barrier for every run) slows down most; {@link #SCALE} multiplies them all. Model
 * checking explores interleavings of each scenario systematically, so few scenarios with many
 * invocations each find more than many shallow ones; stress mode runs the same scenarios on real
 * threads and mostly shows that the checks agree with the hardware.
 */
public final class LincheckRuns {
    /**
     * Multiplies every budget: 1 in CI; {@code -Dlatchkey.lincheck.scale=20} for a thorough run,
     * e.g. {@code ./mvnw -pl jcstress-tests test -Dtest='*Lincheck*' -Dlatchkey.lincheck.scale=20}.
     */
    static final int SCALE = Math.max(1, Integer.getInteger("latchkey.lincheck.scale", 1));
    // On a loaded 2-CPU machine (load average ~20) the wall time barely followed the invocation
    // count (stress: 2 x 100 runs took 47 s, 2 x 50 took 83 s, 1 x 200 took 61 s, on JDK 17), so
    // the budgets are few scenarios, each run many times.
    /** Random scenarios per model-checking run. */
    static final int MODEL_CHECKING_ITERATIONS = 3 * SCALE;
    /** Interleavings explored per scenario. */
    static final int MODEL_CHECKING_INVOCATIONS = 100 * SCALE;
    /** Random scenarios per stress run. */
    static final int STRESS_ITERATIONS = SCALE;
    /** Real-thread runs per scenario. */
    static final int STRESS_INVOCATIONS = 200 * SCALE;

    private LincheckRuns() {
    }

    /**
     * Model checking: two or three threads of three operations each, no sequential prefix or
     * suffix (the operations know their thread, which only the parallel part has).
     *
     * @param specification the sequential specification
     * @param threads threads per scenario
     * @return the options
     */
    public static ModelCheckingOptions modelChecking(Class<?> specification, int threads) {
        return new ModelCheckingOptions()
                .iterations(MODEL_CHECKING_ITERATIONS)
                .invocationsPerIteration(MODEL_CHECKING_INVOCATIONS)
                .threads(threads)
                .actorsPerThread(3)
                .actorsBefore(0)
                .actorsAfter(0)
                .sequentialSpecification(specification);
    }

    /**
     * Stress mode with the same scenario shape as {@link #modelChecking} (more threads than the
     * machine has CPUs make every run wait for the scheduler: two is the default of the checks).
     *
     * @param specification the sequential specification
     * @param threads threads per scenario
     * @return the options
     */
    public static StressOptions stress(Class<?> specification, int threads) {
        return new StressOptions()
                .iterations(STRESS_ITERATIONS)
                .invocationsPerIteration(STRESS_INVOCATIONS)
                .threads(threads)
                .actorsPerThread(3)
                .actorsBefore(0)
                .actorsAfter(0)
                .sequentialSpecification(specification);
    }

    /**
     * One call of an operation of the operations class, for a hand-written scenario.
     *
     * @param operations the class that declares the operation
     * @param name the operation's method name
     * @param arguments its arguments (the thread id too, where the operation takes one)
     * @return the actor
     */
    public static Actor call(Class<?> operations, String name, Object... arguments) {
        Method method = Arrays.stream(operations.getMethods())
                .filter(m -> m.getName().equals(name) && m.getParameterCount() == arguments.length)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no operation " + name + "/" + arguments.length
                        + " in " + operations.getName()));
        return new Actor(method, Arrays.asList(arguments), false, false, false, false, false);
    }

    /**
     * A scenario of parallel threads only.
     *
     * @param threads each thread's calls, in order
     * @return the scenario
     */
    @SafeVarargs
    public static ExecutionScenario parallel(List<Actor>... threads) {
        DSLScenarioBuilder scenario = new DSLScenarioBuilder();
        scenario.parallel(p -> {
            for (List<Actor> calls : threads) {
                p.thread(t -> {
                    t.addAll(calls);
                    return Unit.INSTANCE;
                });
            }
            return Unit.INSTANCE;
        });
        return scenario.buildScenario();
    }

    /**
     * Asserts that the check fails with a Lincheck report (a result no sequential order explains,
     * a deadlock, or a hang), and returns the report.
     *
     * @param options the check's options
     * @param operations the operations class under check
     * @return Lincheck's report of the failure
     */
    public static String assertCaught(Options<?, ?> options, Class<?> operations) {
        String[] report = new String[1];
        assertThatThrownBy(() -> options.check(operations))
                .isInstanceOf(LincheckAssertionError.class)
                .satisfies(e -> report[0] = e.getMessage());
        return report[0];
    }
}

package dev.latchkey.lincheck;

import static dev.latchkey.lincheck.LincheckRuns.call;
import static dev.latchkey.lincheck.LincheckRuns.parallel;

import dev.latchkey.jcstress.support.ManualClock;
import dev.latchkey.lease.spi.LeaseBackend;
import dev.latchkey.lease.spi.LeaseGrant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;

/**
 * The {@link LeaseBackend} SPI as Lincheck drives it: two names, two owners, a clock that only
 * the {@link #tick()} operation moves, and per-thread memory of the fencing token each thread's
 * last successful acquisition of a name returned (so {@code extend} and {@code release} are called
 * with the current token, with a token that expired or was taken over, or by the wrong owner).
 * Every result is a short string with times in ticks since the start, compared with
 * {@link LeaseBackendSpecification}'s; a grant shows the backend's now ("at") as well as the
 * expiry ("until"), so an operation that computed with a stale clock reading is seen.
 *
 * <p>Subclasses name the backend (Lincheck needs a public no-argument constructor).
 */
@Param(name = "thread", gen = ThreadIdGen.class)
@Param(name = "name", gen = IntGen.class, conf = "0:1")
@Param(name = "owner", gen = IntGen.class, conf = "0:1")
public abstract class LeaseBackendOperations {
    /** One tick of the clock. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** {@code atMostFor} of every acquisition: two ticks. */
    static final Duration AT_MOST_FOR = TICK.multipliedBy(2);
    /** {@code atLeastFor} of every acquisition: one tick, so a release right after acquiring keeps the name held. */
    static final Duration AT_LEAST_FOR = TICK;
    /** How far {@code extend} extends: one tick, less than a fresh lease has left, so an extension can shorten it. */
    static final Duration EXTEND_BY = TICK;
    /** The most threads a scenario has (the token table's size). */
    static final int MAX_THREADS = 4;

    private static final String[] NAMES = {"job-0", "job-1"};
    private static final String[] OWNERS = {"owner-0", "owner-1"};

    private final ManualClock clock = new ManualClock();
    private final LeaseBackend backend;
    /** [thread][name]: the token of the thread's last successful acquisition, 0 for none; plain, each row used by one thread. */
    private final long[][] tokens = new long[MAX_THREADS][NAMES.length];

    /**
     * Operations on the backend the factory builds over this instance's clock.
     *
     * @param backend builds the backend from the clock it must read
     */
    protected LeaseBackendOperations(Function<Clock, LeaseBackend> backend) {
        this.backend = backend.apply(clock);
    }

    /**
     * Tries to acquire a name as an owner.
     *
     * @param thread the calling thread's id in the scenario
     * @param name 0 or 1
     * @param owner 0 or 1
     * @return "T&lt;token&gt; at NOW until EXPIRY", or "held"
     */
    @Operation
    public String acquire(@Param(name = "thread") int thread, @Param(name = "name") int name,
                          @Param(name = "owner") int owner) {
        Optional<LeaseGrant> grant = backend.tryAcquire(NAMES[name], OWNERS[owner], AT_MOST_FOR, AT_LEAST_FOR);
        grant.ifPresent(g -> tokens[thread][name] = g.token());
        return grant.map(LeaseBackendOperations::describe).orElse("held");
    }

    /**
     * Extends this thread's last acquisition of a name, claiming to be the given owner.
     *
     * @param thread the calling thread's id in the scenario
     * @param name 0 or 1
     * @param owner 0 or 1 (maybe not the owner that acquired it)
     * @return "T&lt;token&gt; at NOW until EXPIRY", "lost", or "no lease" when this thread never acquired the name
     */
    @Operation
    public String extend(@Param(name = "thread") int thread, @Param(name = "name") int name,
                         @Param(name = "owner") int owner) {
        long token = tokens[thread][name];
        if (token == 0) {
            return "no lease";
        }
        return backend.extend(NAMES[name], OWNERS[owner], token, EXTEND_BY)
                .map(LeaseBackendOperations::describe).orElse("lost");
    }

    /**
     * Releases this thread's last acquisition of a name, claiming to be the given owner.
     *
     * @param thread the calling thread's id in the scenario
     * @param name 0 or 1
     * @param owner 0 or 1 (maybe not the owner that acquired it)
     * @return "released", "lost", or "no lease" when this thread never acquired the name
     */
    @Operation
    public String release(@Param(name = "thread") int thread, @Param(name = "name") int name,
                          @Param(name = "owner") int owner) {
        long token = tokens[thread][name];
        if (token == 0) {
            return "no lease";
        }
        return backend.release(NAMES[name], OWNERS[owner], token) ? "released" : "lost";
    }

    /** Moves the clock one tick. */
    @Operation
    public void tick() {
        clock.advance(TICK);
    }

    static String describe(LeaseGrant grant) {
        return LeaseBackendSpecification.grant(grant.token(), ticks(grant.backendNow()), ticks(grant.expiresAt()));
    }

    private static long ticks(Instant instant) {
        return Duration.between(ManualClock.START, instant).dividedBy(TICK);
    }

    /**
     * The scenario a non-atomic acquisition fails in: two owners acquire the same free name, then
     * each releases it.
     *
     * @param operations the operations class
     * @return the scenario
     */
    public static ExecutionScenario twoAcquiresOneName(Class<? extends LeaseBackendOperations> operations) {
        return parallel(
                List.of(call(operations, "acquire", 0, 0, 0), call(operations, "release", 0, 0, 0)),
                List.of(call(operations, "acquire", 1, 0, 1), call(operations, "release", 1, 0, 1)));
    }

    /**
     * The scenario an operation that reads the clock before its atomic step fails in: the holder
     * extends (shortening its fresh lease to one tick) while the clock moves and another owner
     * tries the name.
     *
     * @param operations the operations class
     * @return the scenario
     */
    public static ExecutionScenario extendWhileTheClockMoves(Class<? extends LeaseBackendOperations> operations) {
        return parallel(
                List.of(call(operations, "acquire", 0, 0, 0), call(operations, "extend", 0, 0, 0)),
                List.of(call(operations, "tick"), call(operations, "acquire", 1, 0, 1)));
    }
}

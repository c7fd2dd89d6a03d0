package dev.latchkey.bench.contention;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Retries made by one benchmark thread, reported by JMH next to the throughput as
 * {@code retries} (per second, like the operations; divide by the score for retries per
 * operation). Thread-confined: a plain field.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Retries {
    /** Attempts that lost the race and ran again. */
    public long retries;

    /** JMH reads the counters per iteration: they start at zero each time. */
    @Setup(Level.Iteration)
    public void reset() {
        retries = 0;
    }
}

package dev.latchkey.jcstress.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told to, so lease and retention expiry are decided by the test,
 * not by how fast the machine runs it. A test state sets it up in its constructor (before any
 * actor runs); an actor may {@link #advance} it to model work that outlives its lease.
 */
public final class ManualClock extends Clock {
    /** The instant every test starts at. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** The current instant: an atomic reference, so reads and advances are volatile accesses. */
    private final AtomicReference<Instant> now = new AtomicReference<>(START);

    /**
     * Moves the clock forward.
     *
     * @param by how far
     */
    public void advance(Duration by) {
        now.updateAndGet(i -> i.plus(by));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a ManualClock is always UTC");
    }
}

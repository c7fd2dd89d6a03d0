package dev.latchkey.bench.inmemory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a benchmark thread moves forward by hand, so that records of earlier operations have
 * expired and the store stays small however many operations run. Confined to one benchmark
 * thread: a plain field.
 */
final class SteppingClock extends Clock {
    private long millis;

    /**
     * Moves the clock forward.
     *
     * @param stepMillis how far
     * @return the new time in epoch milliseconds
     */
    long advance(long stepMillis) {
        millis += stepMillis;
        return millis;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a benchmark clock has one zone");
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }
}

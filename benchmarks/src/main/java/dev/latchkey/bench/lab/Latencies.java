package dev.latchkey.bench.lab;

import java.util.Arrays;

/**
 * Request latencies of one buyer, in nanoseconds: appended by that buyer's thread only, read
 * after it has been joined (the join is the happens-before edge; plain fields).
 */
final class Latencies {
    private long[] values = new long[1024];
    private int size;

    /**
     * Records one latency.
     *
     * @param nanos the latency
     */
    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    /**
     * Merges several buyers' latencies into one sorted array.
     *
     * @param all the buyers' recorders
     * @return the sorted latencies
     */
    static long[] mergeSorted(Latencies[] all) {
        int total = 0;
        for (Latencies l : all) {
            total += l.size;
        }
        long[] merged = new long[total];
        int at = 0;
        for (Latencies l : all) {
            System.arraycopy(l.values, 0, merged, at, l.size);
            at += l.size;
        }
        Arrays.sort(merged);
        return merged;
    }

    /**
     * The nearest-rank percentile of sorted values.
     *
     * @param sorted sorted values
     * @param percentile in {@code (0, 100]}
     * @return the value, or 0 when there are none
     */
    static long percentile(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}

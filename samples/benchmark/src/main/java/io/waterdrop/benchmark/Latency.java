package io.waterdrop.benchmark;

import java.util.Arrays;

/**
 * Percentiles of produce-to-acknowledgement times in one round, in nanoseconds (nearest-rank on the sorted
 * samples; a sorted array is exact and a round holds at most a few tens of thousands of samples). All -1 when the
 * scenario measures no latency.
 */
public record Latency(long minNanos, long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos, int count) {

    public static final Latency NONE = new Latency(-1, -1, -1, -1, -1, 0);

    /** The percentiles of {@code samples} (sorted in place). */
    public static Latency of(long[] samples) {
        if (samples.length == 0) {
            return NONE;
        }
        Arrays.sort(samples);
        return new Latency(samples[0], rank(samples, 0.50), rank(samples, 0.99), rank(samples, 0.999),
                samples[samples.length - 1], samples.length);
    }

    /** The nearest-rank percentile: the smallest sample with at least {@code q} of all samples at or below it. */
    static long rank(long[] sorted, double q) {
        // The small epsilon keeps 0.999 * 1000 (999.0000000000001 in binary) from rounding up a whole rank.
        int index = (int) Math.ceil(q * sorted.length - 1e-9) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    public boolean measured() {
        return count > 0;
    }

    static double millis(long nanos) {
        return nanos < 0 ? -1 : nanos / 1e6;
    }
}

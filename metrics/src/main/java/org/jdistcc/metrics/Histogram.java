package org.jdistcc.metrics;

import java.util.Arrays;

/**
 * A histogram with fixed bucket bounds, as Prometheus keeps them: each observation falls into the
 * first bucket whose upper bound it does not pass, or the implicit {@code +Inf} bucket. Thread-safe;
 * a snapshot is consistent (its count is the sum of its buckets).
 */
public final class Histogram {
    private final double[] bounds;
    private final long[] counts;
    private double sum;

    /** @param bounds the finite upper bounds, strictly ascending; {@code +Inf} is implied */
    public Histogram(double... bounds) {
        for (int i = 0; i < bounds.length; i++) {
            if (!Double.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
                throw new IllegalArgumentException("bounds must be finite and strictly ascending: "
                        + Arrays.toString(bounds));
            }
        }
        this.bounds = bounds.clone();
        this.counts = new long[bounds.length + 1];
    }

    /** Counts one observation; NaN is ignored. */
    public synchronized void observe(double value) {
        if (Double.isNaN(value)) {
            return;
        }
        int i = 0;
        while (i < bounds.length && value > bounds[i]) {
            i++;
        }
        counts[i]++;
        sum += value;
    }

    public synchronized Snapshot snapshot() {
        long[] cumulative = new long[counts.length];
        long running = 0;
        for (int i = 0; i < counts.length; i++) {
            running += counts[i];
            cumulative[i] = running;
        }
        return new Snapshot(bounds.clone(), cumulative, sum);
    }

    /**
     * The histogram at one moment.
     *
     * @param bounds     the finite upper bounds
     * @param cumulative observations at or below each bound, then the total ({@code +Inf}); one
     *                   longer than {@code bounds}
     * @param sum        the sum of all observations
     */
    public record Snapshot(double[] bounds, long[] cumulative, double sum) {
        /** The number of observations. */
        public long count() {
            return cumulative[cumulative.length - 1];
        }
    }
}

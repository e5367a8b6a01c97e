package dev.sextant.bench;

import java.util.Arrays;

/** Order statistics of a sample of measurements. */
final class Stats {

    private final double[] sorted;

    Stats(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no measurements");
        }
        sorted = values.clone();
        Arrays.sort(sorted);
    }

    /**
     * The {@code p}-th percentile, {@code 0 <= p <= 100}, interpolated linearly between the two
     * nearest ranks (the definition numpy uses by default).
     */
    double percentile(double p) {
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in 0..100, was " + p);
        }
        double rank = p / 100 * (sorted.length - 1);
        int low = (int) Math.floor(rank);
        int high = Math.min(low + 1, sorted.length - 1);
        return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
    }

    double median() {
        return percentile(50);
    }

    double min() {
        return sorted[0];
    }

    double max() {
        return sorted[sorted.length - 1];
    }

    int count() {
        return sorted.length;
    }
}

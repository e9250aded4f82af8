package io.waterdrop.benchmark;

import java.util.Arrays;
import java.util.List;

/**
 * Median, minimum and maximum of a set of measurements.
 *
 * @param median the middle value (the mean of the two middle values for an even count)
 * @param min the smallest value
 * @param max the largest value
 * @param count how many values
 */
public record Stats(double median, double min, double max, int count) {

    /** @throws IllegalArgumentException for no values */
    public static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to summarise");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Stats(median, sorted[0], sorted[n - 1], n);
    }
}

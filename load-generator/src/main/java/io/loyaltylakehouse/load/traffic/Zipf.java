package io.loyaltylakehouse.load.traffic;

import java.util.Arrays;
import java.util.Random;

/** Zipf-like popularity over ranks 1..n: rank k is drawn with weight 1/k^exponent (a few regulars, a long tail). */
final class Zipf {
    private final double[] cumulative;

    Zipf(final int n, final double exponent) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one rank, got " + n);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int rank = 1; rank <= n; rank++) {
            sum += 1.0 / Math.pow(rank, exponent);
            cumulative[rank - 1] = sum;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= sum;
        }
    }

    /** A rank in 1..n. */
    int sample(final Random random) {
        final int index = Arrays.binarySearch(cumulative, random.nextDouble());
        return Math.min(cumulative.length, (index >= 0 ? index : -index - 1) + 1);
    }
}

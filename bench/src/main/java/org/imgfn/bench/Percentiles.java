package org.imgfn.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of the in-process commands' timings (the load commands' come from {@link Summary}). */
final class Percentiles {
    private Percentiles() {}

    /** The value below which {@code share} of {@code values} lie (0.5: the median); the array is left as it is. */
    static double of(double[] values, double share) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
    }
}

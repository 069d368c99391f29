package io.helios.bench.replication;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Percentiles of measured values (nearest rank). */
final class Stats {

    private Stats() {
    }

    static List<Double> sorted(Collection<Double> values) {
        List<Double> out = new ArrayList<>(values);
        Collections.sort(out);
        return out;
    }

    /** The nearest-rank percentile {@code p} (0..1) of sorted values; NaN when there are none. */
    static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}

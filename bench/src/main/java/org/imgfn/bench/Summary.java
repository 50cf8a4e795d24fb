package org.imgfn.bench;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Locust-style figures for a set of requests: counts, latency statistics in ms, requests per second, and
 * how many answers came from the function's result cache.
 */
record Summary(String scenario, long requests, long failures, double avgMs, double minMs, double maxMs,
               double medianMs, double p90Ms, double p95Ms, double p99Ms, double rps, double seconds, long cached) {

    static Summary of(String scenario, List<Sample> samples) {
        Histogram histogram = new Histogram(3_600_000_000L, 3);
        long failures = 0;
        long cached = 0;
        double sum = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Sample s : samples) {
            histogram.recordValue(Math.max(1, Math.round(s.latencyMs() * 1000)));
            sum += s.latencyMs();
            failures += s.ok() ? 0 : 1;
            cached += Boolean.TRUE.equals(s.cached()) ? 1 : 0;
            first = Math.min(first, s.timestampMs());
            last = Math.max(last, s.timestampMs() + Math.round(s.latencyMs()));
        }
        long n = samples.size();
        double seconds = n == 0 ? 0 : Math.max(0.001, (last - first) / 1000.0);
        return new Summary(scenario, n, failures, n == 0 ? 0 : sum / n, ms(histogram.getMinValue()),
                ms(histogram.getMaxValue()), ms(histogram.getValueAtPercentile(50)), ms(histogram.getValueAtPercentile(90)),
                ms(histogram.getValueAtPercentile(95)), ms(histogram.getValueAtPercentile(99)),
                n == 0 ? 0 : n / seconds, seconds, cached);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    static final String CSV_HEADER = "scenario,requests,failures,avg_ms,min_ms,max_ms,median_ms,p90_ms,p95_ms,p99_ms,rps,seconds,cached";

    String csv() {
        return String.format(java.util.Locale.ROOT, "%s,%d,%d,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.2f,%.1f,%d", scenario,
                requests, failures, avgMs, minMs, maxMs, medianMs, p90Ms, p95Ms, p99Ms, rps, seconds, cached);
    }
}

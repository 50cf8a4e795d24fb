package org.imgfn.openfaas;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.imgfn.core.cache.CacheStats;

/** Request counters and a latency histogram for classification requests, in Prometheus text format. */
final class Metrics {
    private static final double[] BUCKETS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final Map<Integer, LongAdder> requestsByStatus = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errorsByCode = new ConcurrentHashMap<>();
    private final LongAdder[] bucketCounts = new LongAdder[BUCKETS.length];
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sumSeconds = new DoubleAdder();
    private final AtomicInteger inflight = new AtomicInteger();

    Metrics() {
        for (int i = 0; i < BUCKETS.length; i++) {
            bucketCounts[i] = new LongAdder();
        }
    }

    void started() {
        inflight.incrementAndGet();
    }

    void finished(int status, String errorCode, double seconds) {
        inflight.decrementAndGet();
        requestsByStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
        if (errorCode != null) {
            errorsByCode.computeIfAbsent(errorCode, c -> new LongAdder()).increment();
        }
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                bucketCounts[i].increment();
            }
        }
        count.increment();
        sumSeconds.add(seconds);
    }

    /** The counters, then the result cache's (all zero while it is off). */
    private static void counter(StringBuilder out, String name, String help, long value) {
        metric(out, name, help, "counter", value);
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        metric(out, name, help, "gauge", value);
    }

    private static void metric(StringBuilder out, String name, String help, String type, long value) {
        header(out, name, help, type).append(name).append(' ').append(value).append('\n');
    }

    private static StringBuilder header(StringBuilder out, String name, String help, String type) {
        return out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    String render(CacheStats cache) {
        StringBuilder out = new StringBuilder();
        header(out, "imgfn_requests_total", "Classification requests answered, by HTTP status.", "counter");
        new TreeMap<>(requestsByStatus).forEach((status, n) ->
                out.append("imgfn_requests_total{status=\"").append(status).append("\"} ").append(n.sum()).append('\n'));
        header(out, "imgfn_errors_total", "Refused classification requests, by error code.", "counter");
        new TreeMap<>(errorsByCode).forEach((code, n) ->
                out.append("imgfn_errors_total{code=\"").append(code).append("\"} ").append(n.sum()).append('\n'));
        header(out, "imgfn_request_duration_seconds", "Time to answer a classification request.", "histogram");
        for (int i = 0; i < BUCKETS.length; i++) {
            out.append("imgfn_request_duration_seconds_bucket{le=\"").append(BUCKETS[i]).append("\"} ")
                    .append(bucketCounts[i].sum()).append('\n');
        }
        long total = count.sum();
        out.append("imgfn_request_duration_seconds_bucket{le=\"+Inf\"} ").append(total).append('\n')
                .append("imgfn_request_duration_seconds_sum ").append(sumSeconds.sum()).append('\n')
                .append("imgfn_request_duration_seconds_count ").append(total).append('\n');
        gauge(out, "imgfn_inflight_requests", "Classification requests being answered now.", inflight.get());
        counter(out, "imgfn_result_cache_hits_total", "Answers given from the result cache.", cache.hits());
        counter(out, "imgfn_result_cache_misses_total", "Result cache lookups of content it did not hold.",
                cache.misses());
        counter(out, "imgfn_result_cache_evictions_total",
                "Results and URL versions dropped to keep the result cache within its bounds.", cache.evictions());
        gauge(out, "imgfn_result_cache_results", "Results the cache holds.", cache.results());
        gauge(out, "imgfn_result_cache_urls", "URL versions the cache holds.", cache.urls());
        gauge(out, "imgfn_result_cache_bytes", "Estimated heap the result cache holds (bound: "
                + "CLASSIFIER_RESULT_CACHE_BYTES).", cache.bytes());
        return out.toString();
    }
}

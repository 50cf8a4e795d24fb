package org.imgfn.bench;

import java.util.Locale;

/**
 * One request as the client saw it, with the server's own timing breakdown when it answered one.
 *
 * @param timestampMs when the request was sent, epoch milliseconds
 * @param latencyMs   client-side latency, send to last byte
 * @param status      HTTP status, 0 when no answer came (connection refused, timeout)
 * @param errorCode   the answer's error code, {@code TRANSPORT} without an answer, empty on success
 * @param networkMs   the server's {@code timings_ms.network}, NaN when absent; likewise cpu, inference, total
 * @param coldStart   the answer's {@code cold_start}, null when absent
 * @param cached      the answer's {@code cached} (from the function's result cache), null when absent
 */
record Sample(long timestampMs, String scenario, double latencyMs, int status, String errorCode,
              double networkMs, double cpuMs, double inferenceMs, double totalMs, Boolean coldStart, Boolean cached) {

    static final String CSV_HEADER =
            "timestamp_ms,scenario,latency_ms,status,error_code,network_ms,cpu_ms,inference_ms,total_ms,cold_start,cached";

    boolean ok() {
        return status == 200;
    }

    String csv() {
        return String.join(",", Long.toString(timestampMs), scenario, number(latencyMs), Integer.toString(status),
                errorCode, number(networkMs), number(cpuMs), number(inferenceMs), number(totalMs),
                flag(coldStart), flag(cached));
    }

    static Sample parse(String line) {
        String[] f = line.split(",", -1);
        return new Sample(Long.parseLong(f[0]), f[1], Double.parseDouble(f[2]), Integer.parseInt(f[3]), f[4],
                parseNumber(f[5]), parseNumber(f[6]), parseNumber(f[7]), parseNumber(f[8]),
                parseFlag(f[9]), f.length > 10 ? parseFlag(f[10]) : null);
    }

    private static String flag(Boolean value) {
        return value == null ? "" : value.toString();
    }

    private static Boolean parseFlag(String text) {
        return text.isEmpty() ? null : Boolean.valueOf(text);
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static double parseNumber(String text) {
        return text.isEmpty() ? Double.NaN : Double.parseDouble(text);
    }
}

package org.imgfn.core.api;

import java.util.Locale;

/**
 * Where the time of one classification went, in milliseconds: {@code network} is the download,
 * {@code cpu} decoding and preprocessing, {@code inference} waiting for and running the model plus
 * softmax and top-k, {@code total} the wall time of the whole call.
 */
public record Timings(double network, double cpu, double inference, double total) {
    /** The stages as {@code Server-Timing} metrics, {@code network;dur=…, …, total;dur=…}. */
    public String serverTiming() {
        return String.format(Locale.ROOT, "network;dur=%.1f, cpu;dur=%.1f, inference;dur=%.1f, total;dur=%.1f",
                network, cpu, inference, total);
    }
}

package org.imgfn.core;

/** Monotonic elapsed time in milliseconds, so every entry point reports timings the same way. */
final class Stopwatch {
    private final long created = System.nanoTime();
    private long lapStart = created;

    /** Milliseconds since the start or the last lap, and starts the next lap. */
    double lap() {
        long now = System.nanoTime();
        double ms = (now - lapStart) / 1e6;
        lapStart = now;
        return ms;
    }

    /** Milliseconds since this stopwatch was made. */
    double total() {
        return (System.nanoTime() - created) / 1e6;
    }
}

package org.imgfn.core;

/** Monotonic elapsed time in milliseconds, so every entry point reports timings the same way. */
final class Stopwatch {
    private long start = System.nanoTime();

    /** Milliseconds since the start or the last lap, and starts the next lap. */
    double lap() {
        long now = System.nanoTime();
        double ms = (now - start) / 1e6;
        start = now;
        return ms;
    }

    static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }
}

package org.imgfn.core.api;

/**
 * Where the time of one classification went, in milliseconds: {@code network} is the download,
 * {@code cpu} decoding and preprocessing, {@code inference} waiting for and running the model plus
 * softmax and top-k, {@code total} the wall time of the whole call.
 */
public record Timings(double network, double cpu, double inference, double total) {}

package org.imgfn.core.api;

/** Which model answered: its name, the SHA-256 of the loaded file and the DJL engine that ran it. */
public record ModelInfo(String name, String sha256, String engine) {}

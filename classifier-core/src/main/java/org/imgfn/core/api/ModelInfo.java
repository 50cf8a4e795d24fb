package org.imgfn.core.api;

/** Which model answered: its name and the SHA-256 of the loaded file. */
public record ModelInfo(String name, String sha256) {}

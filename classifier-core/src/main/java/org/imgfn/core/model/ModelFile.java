package org.imgfn.core.model;

import org.imgfn.core.api.ModelInfo;

/**
 * A TorchScript model in memory: its name, bytes, digest and the largest batch it accepts
 * (0 when unknown, to be found by probing).
 */
public record ModelFile(String name, byte[] bytes, String sha256, int knownMaxBatch) {
    public ModelInfo info() {
        return new ModelInfo(name, sha256);
    }
}

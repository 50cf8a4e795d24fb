package org.imgfn.core.model;

import org.imgfn.core.api.ModelInfo;

/**
 * A model in memory: its name, bytes, digest, the engine that runs it, and the largest batch it
 * accepts (0 when unknown, to be found by probing).
 */
public record ModelFile(String name, byte[] bytes, String sha256, InferenceEngine engine, int knownMaxBatch) {
    public ModelInfo info() {
        return new ModelInfo(name, sha256, engine.djlName());
    }
}

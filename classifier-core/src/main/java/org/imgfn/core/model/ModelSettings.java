package org.imgfn.core.model;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the {@link ModelRuntime} needs to load and serve a model.
 *
 * @param model            {@code mobilenet_v2}, {@code mobilenet_v2_int8}, a file path or an http(s) URL
 * @param engine           the engine asked for, or null to go by the model
 * @param modelSha256      expected SHA-256 of the model file, or null to accept any
 * @param synset           a labels file, or null for the bundled ImageNet synset
 * @param cacheDir         where downloaded models are kept
 * @param maxBatch         most images one forward pass takes
 * @param inferenceWorkers threads that run the model, or 0 to choose by the model ({@link #workersFor})
 * @param intraOpThreads   the engine's threads for one forward pass
 * @param queueCapacity    images that may wait for the model
 * @param firstRetry       how long after a failed load the first retry comes; later ones back off
 */
public record ModelSettings(
        String model,
        InferenceEngine engine,
        String modelSha256,
        Path synset,
        Path cacheDir,
        int maxBatch,
        int inferenceWorkers,
        int intraOpThreads,
        int queueCapacity,
        Duration firstRetry) {

    /**
     * Threads running a model that takes up to {@code modelMaxBatch} images per pass, unless set. A
     * batching model gets two (one on a single CPU): while one runs a pass, the other gathers the next
     * batch. A model that takes one image per pass gets one per CPU, or requests would run one at a time.
     * docs/performance.md has the measurements behind both.
     */
    public int workersFor(int modelMaxBatch) {
        if (inferenceWorkers > 0) {
            return inferenceWorkers;
        }
        int processors = Runtime.getRuntime().availableProcessors();
        return modelMaxBatch > 1 ? Math.min(2, processors) : processors;
    }
}

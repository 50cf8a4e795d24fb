package org.imgfn.core.model;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.imgfn.core.settings.Require;

/**
 * What the {@link ModelRuntime} needs to load and serve a model, and how long a request waits for it.
 *
 * @param model            {@code mobilenet_v2}, {@code mobilenet_v2_int8}, a file path or an http(s) URL
 * @param engine           the engine asked for, or null to go by the model (the bundled float model runs
 *                         on ONNX Runtime)
 * @param modelSha256      expected SHA-256 of the model file, or null to accept any
 * @param synset           a labels file, or null for the bundled ImageNet synset
 * @param cacheDir         where downloaded models are kept
 * @param maxBatch         most images one forward pass takes (forced to 1 for models that cannot batch)
 * @param inferenceWorkers threads that run the model, or 0 to choose by the model ({@link #workersFor})
 * @param intraOpThreads   the engine's threads for one forward pass
 * @param queueCapacity    images that may wait for the model before requests are refused as overloaded
 * @param firstRetry       how long after a failed load the first retry comes; later ones back off
 * @param requestWait      how long a request made while the model loads waits for it before {@code NOT_READY}
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
        Duration firstRetry,
        Duration requestWait) {

    public ModelSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(cacheDir, "cacheDir");
        if (modelSha256 != null && !modelSha256.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("CLASSIFIER_MODEL_SHA256 must be 64 hex digits: " + modelSha256);
        }
        Require.positive("max batch", maxBatch);
        Require.notNegative("inference workers (0: by the model)", inferenceWorkers);
        Require.positive("intra-op threads", intraOpThreads);
        Require.positive("queue capacity", queueCapacity);
        Require.positive("model retry", firstRetry.toMillis());
        Require.positive("model wait", requestWait.toMillis());
    }

    /** The same settings for another model. */
    public ModelSettings withModel(String other) {
        return new ModelSettings(other, engine, modelSha256, synset, cacheDir, maxBatch, inferenceWorkers,
                intraOpThreads, queueCapacity, firstRetry, requestWait);
    }

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

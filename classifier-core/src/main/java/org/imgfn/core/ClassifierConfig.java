package org.imgfn.core;

import java.nio.file.Path;
import java.util.Map;
import org.imgfn.core.cache.CacheSettings;
import org.imgfn.core.fetch.FetchSettings;
import org.imgfn.core.image.ImageSettings;
import org.imgfn.core.model.InferenceEngine;
import org.imgfn.core.model.ModelSettings;

/**
 * Every setting of the classifier, each group a record of the part it configures, read with its
 * defaults from the {@code CLASSIFIER_*} environment variables by {@link #fromEnv(Map)}.
 */
public record ClassifierConfig(ModelSettings model, FetchSettings fetch, ImageSettings image, CacheSettings cache) {

    public static final String DEFAULT_MODEL = "mobilenet_v2";

    /** Reads the {@code CLASSIFIER_*} variables of {@code env}; a bad value throws naming the variable. */
    public static ClassifierConfig fromEnv(Map<String, String> env) {
        Environment e = new Environment(env);
        int processors = Runtime.getRuntime().availableProcessors();
        long maxImageBytes = e.integer("CLASSIFIER_MAX_IMAGE_BYTES", 20L * 1024 * 1024, 1);
        long maxBufferedBytes = e.integer("CLASSIFIER_MAX_BUFFERED_BYTES", defaultMaxBufferedBytes(maxImageBytes), 1);
        return new ClassifierConfig(
                new ModelSettings(
                        e.string("CLASSIFIER_MODEL", DEFAULT_MODEL),
                        e.parsed("CLASSIFIER_ENGINE", null, InferenceEngine::ofSetting),
                        e.string("CLASSIFIER_MODEL_SHA256", null),
                        e.path("CLASSIFIER_SYNSET", null),
                        e.path("CLASSIFIER_CACHE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "imgfn-cache")),
                        e.count("CLASSIFIER_MAX_BATCH", defaultMaxBatch(processors), 1),
                        e.count("CLASSIFIER_INFERENCE_WORKERS", 0, 0),
                        e.count("CLASSIFIER_INTRA_OP_THREADS", processors, 1),
                        e.count("CLASSIFIER_QUEUE_CAPACITY", defaultQueueCapacity(processors), 1),
                        e.millis("CLASSIFIER_MODEL_RETRY_MS", 1_000),
                        e.millis("CLASSIFIER_MODEL_WAIT_MS", 30_000)),
                new FetchSettings(
                        e.bool("CLASSIFIER_ALLOW_PRIVATE_NETWORKS", false),
                        e.millis("CLASSIFIER_CONNECT_TIMEOUT_MS", 5_000),
                        e.millis("CLASSIFIER_DOWNLOAD_TIMEOUT_MS", 15_000)),
                new ImageSettings(
                        maxImageBytes,
                        e.integer("CLASSIFIER_MAX_PIXELS", defaultMaxPixels(maxBufferedBytes), 1),
                        e.millis("CLASSIFIER_DECODE_TIMEOUT_MS", 10_000),
                        e.count("CLASSIFIER_PREPROCESS_CONCURRENCY", processors, 1),
                        maxBufferedBytes),
                new CacheSettings(
                        e.count("CLASSIFIER_RESULT_CACHE_ENTRIES", 0, 0),
                        e.integer("CLASSIFIER_RESULT_CACHE_BYTES", 8L * 1024 * 1024, 1)));
    }

    /** The same settings for another model ({@code CLASSIFIER_MODEL}). */
    public ClassifierConfig withModel(String other) {
        return new ClassifierConfig(model.withModel(other), fetch, image, cache);
    }

    /**
     * Half of the heap, and at least one image of the largest size: the other half holds the HTTP
     * exchanges, the JSON and what the JVM itself needs (measured under load with a 128 MB heap).
     */
    static long defaultMaxBufferedBytes(long maxImageBytes) {
        return Math.max(maxImageBytes, Runtime.getRuntime().maxMemory() / 2);
    }

    /** The largest image whose decoded RGB (3 bytes a pixel) fits the image memory on its own; at most 40 Mpx. */
    static long defaultMaxPixels(long maxBufferedBytes) {
        return Math.min(40_000_000L, maxBufferedBytes / 3);
    }

    /**
     * Images per forward pass, one per core (at most 32): every image in a pass waits for the whole pass,
     * and each worker holds the activations of a full batch. Larger batches bought no throughput on the
     * machines measured, only memory (docs/performance.md).
     */
    static int defaultMaxBatch(int processors) {
        return Math.min(32, processors);
    }

    /** Images that may wait for the model: enough for a few seconds of work at full batches. */
    static int defaultQueueCapacity(int processors) {
        return 128 * processors;
    }
}

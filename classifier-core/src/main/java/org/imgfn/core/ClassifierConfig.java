package org.imgfn.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.imgfn.core.model.InferenceEngine;
import org.imgfn.core.model.ModelSettings;

/**
 * Every setting of the classifier, with its default, read from environment variables by {@link #fromEnv(Map)}.
 *
 * @param model           {@code mobilenet_v2}, {@code mobilenet_v2_int8}, a file path or an http(s) URL
 * @param engine          {@link InferenceEngine#ONNX_RUNTIME} or {@link InferenceEngine#PYTORCH}, or null to go by
 *                        the model (the bundled float model runs on ONNX Runtime)
 * @param modelSha256     expected SHA-256 of the model file, or null to accept any
 * @param synset          a labels file, one class per line, or null for the bundled ImageNet synset
 * @param cacheDir        where downloaded models are kept
 * @param allowPrivateNetworks lifts the SSRF guard (tests and local demos only)
 * @param connectTimeout  TCP/TLS connect timeout of an image download
 * @param downloadTimeout deadline for a whole image download, redirects included
 * @param maxImageBytes   largest image accepted, in bytes (compressed and decompressed)
 * @param maxPixels       largest image accepted, in pixels, checked before decoding; by default as many as
 *                        fit {@code maxBufferedBytes} at 3 bytes each (at most 40 million)
 * @param maxBatch        most images one forward pass takes (forced to 1 for models that cannot batch)
 * @param inferenceWorkers threads that run the model, each with its own predictor; 0 chooses by the model
 * @param intraOpThreads  the engine's threads for one forward pass
 * @param queueCapacity   images that may wait for the model before requests are refused as overloaded
 * @param preprocessConcurrency images decoded and preprocessed at once; more requests wait their turn
 * @param modelWait       how long a request made while the model loads waits for it before {@code NOT_READY}
 * @param maxBufferedBytes memory for images held at once across all requests: their bytes, decoded pixels and
 *                        crops ({@link org.imgfn.core.fetch.ByteBudget})
 * @param modelRetry      how long after a failed model load the first retry comes
 * @param decodeTimeout   how long decoding one image may take before it is abandoned
 * @param resultCacheEntries classifications kept by image content (and image URLs' versions kept) for repeated
 *                        images; 0, the default, turns the cache off
 * @param resultCacheBytes estimated heap the result cache may hold
 */
public record ClassifierConfig(
        String model,
        InferenceEngine engine,
        String modelSha256,
        Path synset,
        Path cacheDir,
        boolean allowPrivateNetworks,
        Duration connectTimeout,
        Duration downloadTimeout,
        long maxImageBytes,
        long maxPixels,
        int maxBatch,
        int inferenceWorkers,
        int intraOpThreads,
        int queueCapacity,
        int preprocessConcurrency,
        Duration modelWait,
        long maxBufferedBytes,
        Duration modelRetry,
        Duration decodeTimeout,
        int resultCacheEntries,
        long resultCacheBytes) {

    public static final String DEFAULT_MODEL = "mobilenet_v2";

    public ClassifierConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(cacheDir, "cacheDir");
        requirePositive("connect timeout", connectTimeout.toMillis());
        requirePositive("download timeout", downloadTimeout.toMillis());
        requirePositive("max image bytes", maxImageBytes);
        requirePositive("max pixels", maxPixels);
        requirePositive("max batch", maxBatch);
        if (inferenceWorkers < 0) {
            throw new IllegalArgumentException("inference workers must be 0 (by the model) or more: " + inferenceWorkers);
        }
        requirePositive("intra-op threads", intraOpThreads);
        requirePositive("queue capacity", queueCapacity);
        requirePositive("preprocess concurrency", preprocessConcurrency);
        requirePositive("model wait", modelWait.toMillis());
        requirePositive("model retry", modelRetry.toMillis());
        requirePositive("decode timeout", decodeTimeout.toMillis());
        if (resultCacheEntries < 0) {
            throw new IllegalArgumentException("result cache entries must be 0 (off) or more: " + resultCacheEntries);
        }
        requirePositive("result cache bytes", resultCacheBytes);
        if (maxBufferedBytes < maxImageBytes) {
            throw new IllegalArgumentException("CLASSIFIER_MAX_BUFFERED_BYTES (" + maxBufferedBytes
                    + ") must be at least CLASSIFIER_MAX_IMAGE_BYTES (" + maxImageBytes + ")");
        }
        if (modelSha256 != null && !modelSha256.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("CLASSIFIER_MODEL_SHA256 must be 64 hex digits: " + modelSha256);
        }
    }

    /** The defaults, as a user gets them with no variable set. */
    public static ClassifierConfig defaults() {
        return fromEnv(Map.of());
    }

    /** Reads the {@code CLASSIFIER_*} variables of {@code env}; a bad value throws naming the variable. */
    public static ClassifierConfig fromEnv(Map<String, String> env) {
        Environment e = new Environment(env);
        int processors = Runtime.getRuntime().availableProcessors();
        long maxImageBytes = e.integer("CLASSIFIER_MAX_IMAGE_BYTES", 20L * 1024 * 1024, 1);
        long maxBufferedBytes = e.integer("CLASSIFIER_MAX_BUFFERED_BYTES", defaultMaxBufferedBytes(maxImageBytes), 1);
        return new Builder()
                .model(e.string("CLASSIFIER_MODEL", DEFAULT_MODEL))
                .engine(e.parsed("CLASSIFIER_ENGINE", null, InferenceEngine::ofSetting))
                .modelSha256(e.string("CLASSIFIER_MODEL_SHA256", null))
                .synset(e.path("CLASSIFIER_SYNSET", null))
                .cacheDir(e.path("CLASSIFIER_CACHE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "imgfn-cache")))
                .allowPrivateNetworks(e.bool("CLASSIFIER_ALLOW_PRIVATE_NETWORKS", false))
                .connectTimeout(e.millis("CLASSIFIER_CONNECT_TIMEOUT_MS", 5_000))
                .downloadTimeout(e.millis("CLASSIFIER_DOWNLOAD_TIMEOUT_MS", 15_000))
                .maxImageBytes(maxImageBytes)
                .maxPixels(e.integer("CLASSIFIER_MAX_PIXELS", defaultMaxPixels(maxBufferedBytes), 1))
                .maxBatch(e.count("CLASSIFIER_MAX_BATCH", defaultMaxBatch(processors), 1))
                .inferenceWorkers(e.count("CLASSIFIER_INFERENCE_WORKERS", 0, 0))
                .intraOpThreads(e.count("CLASSIFIER_INTRA_OP_THREADS", processors, 1))
                .queueCapacity(e.count("CLASSIFIER_QUEUE_CAPACITY", defaultQueueCapacity(processors), 1))
                .preprocessConcurrency(e.count("CLASSIFIER_PREPROCESS_CONCURRENCY", processors, 1))
                .modelWait(e.millis("CLASSIFIER_MODEL_WAIT_MS", 30_000))
                .maxBufferedBytes(maxBufferedBytes)
                .modelRetry(e.millis("CLASSIFIER_MODEL_RETRY_MS", 1_000))
                .decodeTimeout(e.millis("CLASSIFIER_DECODE_TIMEOUT_MS", 10_000))
                .resultCacheEntries(e.count("CLASSIFIER_RESULT_CACHE_ENTRIES", 0, 0))
                .resultCacheBytes(e.integer("CLASSIFIER_RESULT_CACHE_BYTES", 8L * 1024 * 1024, 1))
                .build();
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

    /** What the model runtime needs of these settings. */
    public ModelSettings modelSettings() {
        return new ModelSettings(model, engine, modelSha256, synset, cacheDir, maxBatch, inferenceWorkers,
                intraOpThreads, queueCapacity, modelRetry);
    }

    /**
     * Images per forward pass: a pass over B images costs less than B passes, but every image in it
     * waits for the whole pass; 4 per core keeps a pass near the latency of a single image run on one
     * core. A 1-core Consumption instance gets 4, a 2-core VM 8, capped at 32.
     */
    static int defaultMaxBatch(int processors) {
        return Math.min(32, 4 * processors);
    }

    /** Images that may wait for the model: enough for a few seconds of work at full batches. */
    static int defaultQueueCapacity(int processors) {
        return 128 * processors;
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requirePositive(String what, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
    }

    /** Settings built one by one; {@link #build()} checks them all. */
    public static final class Builder {
        private String model;
        private InferenceEngine engine;
        private String modelSha256;
        private Path synset;
        private Path cacheDir;
        private boolean allowPrivateNetworks;
        private Duration connectTimeout;
        private Duration downloadTimeout;
        private long maxImageBytes;
        private long maxPixels;
        private int maxBatch;
        private int inferenceWorkers;
        private int intraOpThreads;
        private int queueCapacity;
        private int preprocessConcurrency;
        private Duration modelWait;
        private long maxBufferedBytes;
        private Duration modelRetry;
        private Duration decodeTimeout;
        private int resultCacheEntries;
        private long resultCacheBytes;

        private Builder() {}

        private Builder(ClassifierConfig c) {
            model(c.model).engine(c.engine).modelSha256(c.modelSha256).synset(c.synset).cacheDir(c.cacheDir)
                    .allowPrivateNetworks(c.allowPrivateNetworks).connectTimeout(c.connectTimeout)
                    .downloadTimeout(c.downloadTimeout).maxImageBytes(c.maxImageBytes).maxPixels(c.maxPixels)
                    .maxBatch(c.maxBatch).inferenceWorkers(c.inferenceWorkers).intraOpThreads(c.intraOpThreads)
                    .queueCapacity(c.queueCapacity).preprocessConcurrency(c.preprocessConcurrency)
                    .modelWait(c.modelWait).maxBufferedBytes(c.maxBufferedBytes).modelRetry(c.modelRetry)
                    .decodeTimeout(c.decodeTimeout).resultCacheEntries(c.resultCacheEntries)
                    .resultCacheBytes(c.resultCacheBytes);
        }

        public Builder model(String value) {
            model = value;
            return this;
        }

        /** Null: by the model. */
        public Builder engine(InferenceEngine value) {
            engine = value;
            return this;
        }

        public Builder modelSha256(String value) {
            modelSha256 = value;
            return this;
        }

        public Builder synset(Path value) {
            synset = value;
            return this;
        }

        public Builder cacheDir(Path value) {
            cacheDir = value;
            return this;
        }

        public Builder allowPrivateNetworks(boolean value) {
            allowPrivateNetworks = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder downloadTimeout(Duration value) {
            downloadTimeout = value;
            return this;
        }

        public Builder maxImageBytes(long value) {
            maxImageBytes = value;
            return this;
        }

        public Builder maxPixels(long value) {
            maxPixels = value;
            return this;
        }

        public Builder maxBatch(int value) {
            maxBatch = value;
            return this;
        }

        public Builder inferenceWorkers(int value) {
            inferenceWorkers = value;
            return this;
        }

        public Builder intraOpThreads(int value) {
            intraOpThreads = value;
            return this;
        }

        public Builder queueCapacity(int value) {
            queueCapacity = value;
            return this;
        }

        public Builder preprocessConcurrency(int value) {
            preprocessConcurrency = value;
            return this;
        }

        public Builder modelWait(Duration value) {
            modelWait = value;
            return this;
        }

        public Builder maxBufferedBytes(long value) {
            maxBufferedBytes = value;
            return this;
        }

        public Builder modelRetry(Duration value) {
            modelRetry = value;
            return this;
        }

        public Builder decodeTimeout(Duration value) {
            decodeTimeout = value;
            return this;
        }

        /** 0 turns the result cache off. */
        public Builder resultCacheEntries(int value) {
            resultCacheEntries = value;
            return this;
        }

        public Builder resultCacheBytes(long value) {
            resultCacheBytes = value;
            return this;
        }

        public ClassifierConfig build() {
            return new ClassifierConfig(model, engine, modelSha256, synset, cacheDir, allowPrivateNetworks,
                    connectTimeout, downloadTimeout, maxImageBytes, maxPixels, maxBatch, inferenceWorkers,
                    intraOpThreads, queueCapacity, preprocessConcurrency, modelWait, maxBufferedBytes, modelRetry,
                    decodeTimeout, resultCacheEntries, resultCacheBytes);
        }
    }
}

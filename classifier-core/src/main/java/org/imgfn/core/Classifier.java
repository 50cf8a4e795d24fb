package org.imgfn.core;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.imgfn.core.api.Classification;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ClassifyRequest;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.api.ImageInfo;
import org.imgfn.core.api.ModelInfo;
import org.imgfn.core.api.Prediction;
import org.imgfn.core.api.Timings;
import org.imgfn.core.cache.CacheStats;
import org.imgfn.core.cache.CachedResult;
import org.imgfn.core.cache.ContentKey;
import org.imgfn.core.cache.ResultCache;
import org.imgfn.core.cache.Revalidation;
import org.imgfn.core.fetch.ByteBudget;
import org.imgfn.core.fetch.Download;
import org.imgfn.core.fetch.ImageFetcher;
import org.imgfn.core.fetch.KnownVersions;
import org.imgfn.core.image.Crop;
import org.imgfn.core.image.DecodedImage;
import org.imgfn.core.image.ImageDecoder;
import org.imgfn.core.image.Preprocessor;
import org.imgfn.core.model.Labels;
import org.imgfn.core.model.ModelRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point: created once per process, safe for any number of threads, it downloads,
 * decodes, preprocesses and classifies an image and reports where the time went.
 *
 * <p>The model is the {@link ModelRuntime}'s, which loads it in the background from {@link #open}: the
 * first request's download and decoding run meanwhile, and only its inference waits for the model.
 */
public final class Classifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Classifier.class);

    private final ModelRuntime runtime;
    private final Duration modelWait;
    private final long maxImageBytes;
    private final ByteBudget memory;
    private final ImageFetcher fetcher;
    private final ImageDecoder decoder;
    private final Semaphore preprocessSlots;
    private final ResultCache cache;
    private final AtomicBoolean firstClassification = new AtomicBoolean(true);

    private Classifier(ClassifierConfig config, ModelRuntime runtime) {
        this.runtime = runtime;
        this.modelWait = config.modelWait();
        this.maxImageBytes = config.maxImageBytes();
        this.memory = new ByteBudget(config.maxBufferedBytes());
        this.fetcher = new ImageFetcher(config.connectTimeout(), config.downloadTimeout(), config.maxImageBytes(),
                config.allowPrivateNetworks(), memory);
        this.decoder = new ImageDecoder(config.maxPixels(), config.decodeTimeout());
        this.preprocessSlots = new Semaphore(config.preprocessConcurrency());
        this.cache = new ResultCache(config.resultCacheEntries(), config.resultCacheBytes());
        Thread codecs = new Thread(this::loadImageCodecs, "codec-loader");
        codecs.setDaemon(true);
        codecs.start();
    }

    /**
     * Decodes two small bundled images, so that ImageIO's registry, the PNG and JPEG readers and their
     * native library load while the model does, not on the first request.
     */
    private void loadImageCodecs() {
        for (String resource : List.of("/warmup/small.png", "/warmup/small.jpg")) {
            try (InputStream in = Classifier.class.getResourceAsStream(resource)) {
                Preprocessor.crop(decoder.decode(in.readAllBytes()).rgb());
            } catch (IOException | RuntimeException e) {
                LOG.warn("Loading the image codecs with {} failed; the first request will load them", resource, e);
            }
        }
    }

    /** Starts loading the configured model (once per process is the intent) and returns at once. */
    public static Classifier open(ClassifierConfig config) {
        return new Classifier(config, ModelRuntime.start(config.modelSettings()));
    }

    /** The memory set aside for images, from which a server reserves request bodies as it reads them. */
    public ByteBudget memory() {
        return memory;
    }

    /** The result cache's counters, for metrics. */
    public CacheStats cacheStats() {
        return cache.stats();
    }

    /** The model's state, for readiness checks. */
    public ModelRuntime runtime() {
        return runtime;
    }

    /**
     * Classifies one image. Everything the request holds of it (its bytes, decoded pixels, then the crop
     * until the model has run) is reserved from the image memory ({@code CLASSIFIER_MAX_BUFFERED_BYTES})
     * before it is allocated, or refused as {@code OVERLOADED}. With the result cache on and the model
     * ready, an image whose content (or whose URL's version, confirmed by its server) was classified
     * before is answered from the cache.
     */
    public Classification classify(ClassifyRequest request) {
        return classify(request, Caller.WAITING);
    }

    /**
     * Classifies one image for {@code caller}, dropping the work with {@code CLIENT_GONE} once the caller
     * has left: checked when the image is about to be decoded and when it is about to go to the model.
     */
    public Classification classify(ClassifyRequest request, Caller caller) {
        Stopwatch stage = new Stopwatch();
        String modelSha256 = cache.enabled()
                ? runtime.ready().map(model -> model.loaded().info().sha256()).orElse(null)
                : null;
        if (request instanceof ClassifyRequest.FromUrl fromUrl) {
            return classifyDownload(fromUrl, modelSha256, caller, stage);
        }
        byte[] bytes = ((ClassifyRequest.FromBytes) request).bytes();
        if (bytes.length > maxImageBytes) {
            throw new ClassifyException(ErrorCode.IMAGE_TOO_LARGE, "the image has " + bytes.length
                    + " bytes, over the limit of " + maxImageBytes + " (CLASSIFIER_MAX_IMAGE_BYTES)");
        }
        try (ByteBudget.Reservation held = memory.open()) {
            held.take(bytes.length);
            ContentKey key = modelSha256 == null ? null : ContentKey.of(bytes, modelSha256);
            return classify(new Arrival(bytes, null, 0, key), request.top(), caller, stage);
        }
    }

    private Classification classifyDownload(ClassifyRequest.FromUrl request, String modelSha256, Caller caller,
            Stopwatch stage) {
        String url = request.url().toString();
        Revalidation revalidation = modelSha256 == null ? null : cache.revalidation(modelSha256);
        KnownVersions known = revalidation == null ? KnownVersions.NONE : revalidation;
        try (Download download = fetcher.fetch(request.url(), known)) {
            double network = stage.lap();
            if (download.notModified()) {
                CachedResult confirmed = revalidation.confirmed(download.source(), download.validators());
                return fromCache(confirmed, url, request.top(), network, stage);
            }
            boolean keep = modelSha256 != null && download.storable();
            if (modelSha256 != null && !keep) {
                cache.forget(download.source());
            }
            ContentKey key = keep ? ContentKey.of(download.bytes(), modelSha256) : null;
            Classification result = classify(new Arrival(download.bytes(), url, network, key), request.top(),
                    caller, stage);
            if (keep) {
                cache.remember(download.source(), download.validators(), key);
            }
            return result;
        }
    }

    /**
     * An image's bytes as they arrived (their memory is the caller's to hold), where from (null when
     * posted), the time they took, and their key in the result cache (null: not looked up or kept).
     */
    private record Arrival(byte[] bytes, String url, double networkMs, ContentKey key) {}

    private Classification classify(Arrival image, int top, Caller caller, Stopwatch stage) {
        if (image.key() != null) {
            Optional<CachedResult> hit = cache.get(image.key());
            if (hit.isPresent()) {
                return fromCache(hit.get(), image.url(), top, image.networkMs(), stage);
            }
        }
        try (ByteBudget.Reservation cropMemory = memory.open()) {
            Prepared prepared = prepare(image.bytes(), image.url(), cropMemory, caller);
            double cpu = stage.lap();
            dropIfGone(caller);
            ModelRuntime.ServingModel model = runtime.await(modelWait);
            ModelInfo modelInfo = model.loaded().info();
            boolean keep = image.key() != null && image.key().modelSha256().equals(modelInfo.sha256());
            List<Prediction> predictions = topK(probabilities(model, prepared.crop()), model.loaded().labels(),
                    keep ? ClassifyRequest.MAX_TOP : top);
            double inference = stage.lap();
            if (keep) {
                cache.put(image.key(), new CachedResult(predictions, prepared.info().withUrl(null), modelInfo));
            }
            Timings timings = new Timings(image.networkMs(), cpu, inference, stage.total());
            return new Classification(predictions.subList(0, Math.min(top, predictions.size())), timings,
                    prepared.info(), modelInfo, firstClassification.getAndSet(false), false);
        }
    }

    private Classification fromCache(CachedResult result, String url, int top, double network, Stopwatch stage) {
        Timings timings = new Timings(network, stage.lap(), 0, stage.total());
        return new Classification(result.top(top), timings, result.image().withUrl(url), result.model(),
                firstClassification.getAndSet(false), true);
    }

    /** What a request keeps of its image while it waits for the model. */
    private record Prepared(Crop crop, ImageInfo info) {}

    /**
     * Decodes and crops, at most {@code preprocessConcurrency} images at once: this is CPU and memory
     * work, and more images in it than there are CPUs only take turns on the cores while each holds its
     * decoded pixels. Waiting for a turn counts as CPU time. The pixels' memory is given back as soon as
     * the crop is made, not held while the request waits for the model.
     */
    private Prepared prepare(byte[] bytes, String url, ByteBudget.Reservation crop, Caller caller) {
        try {
            preprocessSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClassifyException(ErrorCode.NOT_READY, "the classifier is shutting down");
        }
        try (ByteBudget.Reservation pixels = memory.open()) {
            dropIfGone(caller);
            DecodedImage image = decoder.decode(bytes, pixels);
            crop.take(Crop.TENSOR_LENGTH);
            return new Prepared(Preprocessor.crop(image.rgb()),
                    new ImageInfo(url, bytes.length, image.width(), image.height(), image.format()));
        } finally {
            preprocessSlots.release();
        }
    }

    private static void dropIfGone(Caller caller) {
        if (caller.hasLeft()) {
            throw new ClassifyException(ErrorCode.CLIENT_GONE, "the client closed its connection; its request was dropped");
        }
    }

    private static float[] probabilities(ModelRuntime.ServingModel model, Crop crop) {
        try {
            return model.inference().submit(crop).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ClassifyException ce) {
                throw ce;
            }
            throw new IllegalStateException("inference failed", e.getCause());
        }
    }

    private static List<Prediction> topK(float[] probabilities, Labels labels, int k) {
        List<Prediction> top = new ArrayList<>(k);
        boolean[] taken = new boolean[probabilities.length];
        for (int rank = 0; rank < k && rank < probabilities.length; rank++) {
            int best = -1;
            for (int i = 0; i < probabilities.length; i++) {
                if (!taken[i] && (best < 0 || probabilities[i] > probabilities[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            top.add(new Prediction(labels.get(best), best, probabilities[best]));
        }
        return top;
    }

    /** Closes the model runtime, waiting for it. */
    @Override
    public void close() {
        runtime.close();
    }
}

package org.imgfn.core;

import java.time.Duration;
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
import org.imgfn.core.api.Json;
import org.imgfn.core.api.ModelInfo;
import org.imgfn.core.api.Prediction;
import org.imgfn.core.api.Timings;
import org.imgfn.core.cache.CachePolicy;
import org.imgfn.core.cache.CacheStats;
import org.imgfn.core.cache.CachedResult;
import org.imgfn.core.fetch.Download;
import org.imgfn.core.fetch.ImageFetcher;
import org.imgfn.core.image.Crop;
import org.imgfn.core.image.DecodedImage;
import org.imgfn.core.image.ImageDecoder;
import org.imgfn.core.image.Preprocessor;
import org.imgfn.core.memory.ByteBudget;
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
    /** How long after the model is ready https is prepared, unless the first request ends sooner. */
    private static final Duration TLS_GRACE = Duration.ofSeconds(1);

    private final ModelRuntime runtime;
    private final Duration modelWait;
    private final long maxImageBytes;
    private final ByteBudget memory;
    private final ImageFetcher fetcher;
    private final ImageDecoder decoder;
    private final Semaphore preprocessSlots;
    private final CachePolicy cache;
    private final AtomicBoolean firstClassification = new AtomicBoolean(true);

    private Classifier(ClassifierConfig config, ModelRuntime runtime) {
        this.runtime = runtime;
        this.modelWait = config.model().requestWait();
        this.maxImageBytes = config.image().maxImageBytes();
        this.memory = new ByteBudget(config.image().maxBufferedBytes());
        this.fetcher = new ImageFetcher(config.fetch(), maxImageBytes, memory);
        this.decoder = new ImageDecoder(config.image().maxPixels(), config.image().decodeTimeout());
        this.preprocessSlots = new Semaphore(config.image().preprocessConcurrency());
        this.cache = new CachePolicy(config.cache());
        DaemonThreads.named("warm-up").newThread(() -> {
            decoder.loadCodecs();
            Json.loadSerializers();
        }).start();
        runtime.whenReady().thenRun(() -> fetcher.prepareTls(TLS_GRACE));
    }

    /** Starts loading the configured model (once per process is the intent) and returns at once. */
    public static Classifier open(ClassifierConfig config) {
        return new Classifier(config, ModelRuntime.start(config.model()));
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
        return classify(request, Client.WAITS);
    }

    /**
     * Classifies one image for {@code client}, dropping the work with {@code CLIENT_GONE} once it
     * has left: checked when the image is about to be decoded and when it is about to go to the model.
     */
    public Classification classify(ClassifyRequest request, Client client) {
        try {
            return classifyFor(request, client);
        } finally {
            fetcher.requestEnded();
        }
    }

    private Classification classifyFor(ClassifyRequest request, Client client) {
        Stopwatch stage = new Stopwatch();
        CachePolicy.Use cached = cache.forRequest(runtime.ready().map(model -> model.loaded().info().sha256()));
        if (request instanceof ClassifyRequest.FromUrl fromUrl) {
            String url = fromUrl.url().toString();
            try (Download download = fetcher.fetch(fromUrl.url(), cached.versions())) {
                Arrival image = new Arrival(download.bytes(), url, stage.lap());
                return classify(image, cached.answerFor(download), request.top(), cached, client, stage);
            }
        }
        byte[] bytes = ((ClassifyRequest.FromBytes) request).bytes();
        if (bytes.length > maxImageBytes) {
            throw new ClassifyException(ErrorCode.IMAGE_TOO_LARGE, "the image has " + bytes.length
                    + " bytes, over the limit of " + maxImageBytes + " (CLASSIFIER_MAX_IMAGE_BYTES)");
        }
        try (ByteBudget.Reservation held = memory.open()) {
            held.take(bytes.length);
            return classify(new Arrival(bytes, null, 0), cached.answerFor(bytes), request.top(), cached, client, stage);
        }
    }

    /**
     * An image's bytes as they arrived (their memory is the caller's to hold; none when its server
     * confirmed a cached version), where from (null when posted), and the time they took.
     */
    private record Arrival(byte[] bytes, String url, double networkMs) {}

    /** Answers from the cache's {@code hit}, or decodes, preprocesses and runs the model. */
    private Classification classify(Arrival image, Optional<CachedResult> hit, int top, CachePolicy.Use cached,
            Client client, Stopwatch stage) {
        if (hit.isPresent()) {
            return fromCache(hit.get(), image.url(), top, image.networkMs(), stage);
        }
        try (ByteBudget.Reservation cropMemory = memory.open()) {
            Prepared prepared = prepare(image.bytes(), image.url(), cropMemory, client);
            double cpu = stage.lap();
            dropIfGone(client);
            ModelRuntime.ServingModel model = runtime.await(modelWait);
            ModelInfo modelInfo = model.loaded().info();
            List<Prediction> predictions = model.loaded().labels().top(probabilities(model, prepared.crop()),
                    ClassifyRequest.MAX_TOP);
            double inference = stage.lap();
            cached.keep(predictions, prepared.info(), modelInfo);
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
    private Prepared prepare(byte[] bytes, String url, ByteBudget.Reservation crop, Client client) {
        try {
            preprocessSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClassifyException(ErrorCode.NOT_READY, "the classifier is shutting down");
        }
        try (ByteBudget.Reservation pixels = memory.open()) {
            dropIfGone(client);
            DecodedImage image = decoder.decode(bytes, pixels);
            crop.take(Crop.TENSOR_LENGTH);
            return new Prepared(Preprocessor.crop(image.rgb()),
                    new ImageInfo(url, bytes.length, image.width(), image.height(), image.format()));
        } finally {
            preprocessSlots.release();
        }
    }

    private static void dropIfGone(Client client) {
        if (client.hasLeft()) {
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

    /** Closes the image fetcher and the model runtime, waiting for it. */
    @Override
    public void close() {
        fetcher.close();
        runtime.close();
    }
}

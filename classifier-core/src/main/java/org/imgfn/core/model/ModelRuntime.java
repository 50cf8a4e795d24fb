package org.imgfn.core.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.image.Crop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's model: loads it on a thread of its own, warms it up, and serves it once ready. A failed
 * load is logged and retried, first after {@link ModelSettings#firstRetry()}, then twice as long each
 * time up to a minute; requests meanwhile get {@code NOT_READY}.
 */
public final class ModelRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRuntime.class);
    private static final Duration MAX_RETRY = Duration.ofMinutes(1);

    /** Where the model stands. */
    public enum State { LOADING, READY, FAILED }

    /** A loaded, warmed-up model and the queue that feeds it. */
    public record ServingModel(LoadedModel loaded, InferenceQueue inference) {}

    private final ModelSettings settings;
    private final Thread loader;
    private final CompletableFuture<ServingModel> firstReady = new CompletableFuture<>();
    private final Object lock = new Object();
    private State state = State.LOADING;
    private Throwable failure;
    private ServingModel serving;
    private boolean closed;

    private ModelRuntime(ModelSettings settings) {
        this.settings = settings;
        this.loader = new Thread(this::loadUntilReady, "model-loader");
        loader.setDaemon(true);
    }

    /** Starts loading the model and returns at once. */
    public static ModelRuntime start(ModelSettings settings) {
        ModelRuntime runtime = new ModelRuntime(settings);
        runtime.loader.start();
        return runtime;
    }

    private void loadUntilReady() {
        Duration backoff = settings.firstRetry();
        while (true) {
            try {
                ServingModel loaded = loadAndWarmUp();
                synchronized (lock) {
                    if (closed) {
                        close(loaded);
                        return;
                    }
                    serving = loaded;
                    state = State.READY;
                    firstReady.complete(loaded);
                    lock.notifyAll();
                }
                return;
            } catch (RuntimeException | Error e) {
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    LOG.error("Loading the model {} failed; retrying in {} ms", settings.model(), backoff.toMillis(), e);
                    state = State.FAILED;
                    failure = e;
                    lock.notifyAll();
                    if (!sleep(backoff)) {
                        return;
                    }
                    state = State.LOADING;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : backoff.multipliedBy(2);
            }
        }
    }

    /** Waits {@code time} under the lock unless closed; false once closed. */
    private boolean sleep(Duration time) {
        long deadline = System.nanoTime() + time.toNanos();
        try {
            for (long left; !closed && (left = deadline - System.nanoTime()) > 0; ) {
                lock.wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            return false;
        }
        return !closed;
    }

    private ServingModel loadAndWarmUp() {
        LoadedModel loaded = LoadedModel.load(
                ModelSource.load(settings.model(), settings.engine(), settings.modelSha256(), settings.cacheDir()),
                Labels.load(settings.synset()),
                settings.maxBatch(),
                settings.intraOpThreads());
        InferenceQueue inference = new InferenceQueue(loaded, settings.workersFor(loaded.maxBatch()),
                loaded.maxBatch(), settings.queueCapacity());
        ServingModel model = new ServingModel(loaded, inference);
        try {
            List<CompletableFuture<float[]>> runs = new ArrayList<>();
            for (int i = 0; i < inference.workerCount(); i++) {
                runs.add(inference.submit(Crop.blank()));
            }
            runs.forEach(CompletableFuture::join);
            return model;
        } catch (RuntimeException | Error e) {
            close(model);
            throw e;
        }
    }

    /**
     * The model, waiting at most {@code wait} while it loads.
     *
     * @throws ClassifyException {@code NOT_READY} when it is still loading after {@code wait}, its last
     *                           load failed, or the runtime is closed
     */
    public ServingModel await(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (lock) {
            try {
                while (true) {
                    if (closed) {
                        throw new ClassifyException(ErrorCode.NOT_READY, "the classifier is shutting down");
                    }
                    if (state == State.READY) {
                        return serving;
                    }
                    if (state == State.FAILED) {
                        throw new ClassifyException(ErrorCode.NOT_READY, "the model could not be loaded ("
                                + failure.getMessage() + "); the function retries, see its log");
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new ClassifyException(ErrorCode.NOT_READY, "the model is still loading after "
                                + wait.toMillis() + " ms (CLASSIFIER_MODEL_WAIT_MS); retry in a moment");
                    }
                    lock.wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClassifyException(ErrorCode.NOT_READY, "interrupted while waiting for the model");
            }
        }
    }

    /** The model if it is ready now, without waiting. */
    public Optional<ServingModel> ready() {
        synchronized (lock) {
            return !closed && state == State.READY ? Optional.of(serving) : Optional.empty();
        }
    }

    /** Where the model stands; a ready model with a dead inference worker counts as FAILED. */
    public State state() {
        synchronized (lock) {
            if (state == State.READY && serving != null && !serving.inference().workersAlive()) {
                return State.FAILED;
            }
            return state;
        }
    }

    /** Completes the first time the model is ready; never, if it never loads. */
    public CompletableFuture<ServingModel> whenReady() {
        return firstReady;
    }

    /**
     * Stops loading or retrying (interrupting a model download), waits for the loader, then closes the
     * queue and the model.
     */
    @Override
    public void close() {
        ServingModel toClose;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
            toClose = serving;
            serving = null;
        }
        loader.interrupt();
        try {
            loader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (toClose != null) {
            close(toClose);
        }
    }

    private static void close(ServingModel model) {
        model.inference().close();
        model.loaded().close();
    }
}

package org.imgfn.openfaas;

import java.util.concurrent.CompletableFuture;
import org.imgfn.core.Classifier;
import org.imgfn.core.ClassifierConfig;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;

/**
 * The server's classifier and its readiness. The model loads in the background; the health check
 * turns ready once a warm-up inference has run, while a classification that comes in before then
 * downloads and decodes its image meanwhile and waits for the model (up to
 * {@code CLASSIFIER_MODEL_WAIT_MS}) rather than being turned away: the first answer after a cold start
 * comes as soon as the model can give it.
 */
final class ClassifierLoader implements AutoCloseable {
    private final CompletableFuture<Classifier> opened;
    private final CompletableFuture<Classifier> ready;

    /** Returns at once: even opening the classifier (its HTTP client, TLS setup) stays off the caller's thread. */
    ClassifierLoader(ClassifierConfig config) {
        this.opened = CompletableFuture.supplyAsync(() -> Classifier.open(config));
        this.ready = opened.thenApplyAsync(classifier -> {
            classifier.warmUp();
            return classifier;
        });
    }

    boolean isReady() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    /** The classifier, unless its model failed to load; waits the moment it takes to open it. */
    Classifier get() {
        if (ready.isCompletedExceptionally()) {
            throw new ClassifyException(ErrorCode.NOT_READY, "the model could not be loaded; see the function's log");
        }
        return opened.join();
    }

    CompletableFuture<Classifier> whenReady() {
        return ready;
    }

    @Override
    public void close() {
        opened.thenAccept(Classifier::close);
    }
}

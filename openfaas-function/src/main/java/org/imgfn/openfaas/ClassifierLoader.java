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
    private final Classifier classifier;
    private final CompletableFuture<Classifier> ready;

    ClassifierLoader(ClassifierConfig config) {
        this.classifier = Classifier.open(config);
        this.ready = CompletableFuture.supplyAsync(() -> {
            classifier.warmUp();
            return classifier;
        });
    }

    boolean isReady() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    /** The classifier, unless its model failed to load. */
    Classifier get() {
        if (ready.isCompletedExceptionally()) {
            throw new ClassifyException(ErrorCode.NOT_READY, "the model could not be loaded; see the function's log");
        }
        return classifier;
    }

    CompletableFuture<Classifier> whenReady() {
        return ready;
    }

    @Override
    public void close() {
        classifier.close();
    }
}

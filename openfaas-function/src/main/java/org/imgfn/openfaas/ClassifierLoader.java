package org.imgfn.openfaas;

import java.util.concurrent.CompletableFuture;
import org.imgfn.core.Classifier;
import org.imgfn.core.ClassifierConfig;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;

/**
 * Loads and warms up the classifier in the background, so the server listens (and answers
 * {@code NOT_READY}) while the model loads; ready only once a warm-up inference has run.
 */
final class ClassifierLoader implements AutoCloseable {
    private final CompletableFuture<Classifier> loading;

    ClassifierLoader(ClassifierConfig config) {
        this(CompletableFuture.supplyAsync(() -> {
            Classifier classifier = Classifier.open(config);
            try {
                classifier.warmUp();
                return classifier;
            } catch (RuntimeException e) {
                classifier.close();
                throw e;
            }
        }));
    }

    ClassifierLoader(CompletableFuture<Classifier> loading) {
        this.loading = loading;
    }

    boolean isReady() {
        return loading.isDone() && !loading.isCompletedExceptionally();
    }

    /** The classifier, or {@code NOT_READY} while it loads. */
    Classifier get() {
        if (!isReady()) {
            throw new ClassifyException(ErrorCode.NOT_READY, "the model is still loading; retry in a moment");
        }
        return loading.join();
    }

    CompletableFuture<Classifier> whenLoaded() {
        return loading;
    }

    @Override
    public void close() {
        loading.cancel(false);
        if (isReady()) {
            loading.join().close();
        }
    }
}

package org.imgfn.azure;

import org.imgfn.core.Classifier;
import org.imgfn.core.ClassifierConfig;

/**
 * The worker process's one classifier, created on first use under a lock and reused by every
 * invocation. Its model runtime retries a model that failed to load; invocations meanwhile get
 * {@code 503 NOT_READY}.
 */
final class SharedClassifier {
    private static final ClassifierConfig CONFIG = ClassifierConfig.fromEnv(System.getenv());
    private static volatile Classifier instance;

    private SharedClassifier() {}

    static Classifier get() {
        Classifier classifier = instance;
        if (classifier == null) {
            synchronized (SharedClassifier.class) {
                classifier = instance;
                if (classifier == null) {
                    classifier = Classifier.open(CONFIG);
                    instance = classifier;
                }
            }
        }
        return classifier;
    }

    static long maxBodyBytes() {
        return CONFIG.image().maxImageBytes();
    }
}

package org.imgfn.core.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.imgfn.core.Classifier;
import org.imgfn.core.ClassifierConfig;

/**
 * One real classifier per bundled model for a whole test run (loading a model takes a second), with
 * the SSRF guard lifted so that images can come from the loopback test server.
 */
public final class TestClassifiers {
    private static final Map<String, Classifier> OPEN = new ConcurrentHashMap<>();

    private TestClassifiers() {}

    public static Classifier get(String model) {
        return OPEN.computeIfAbsent(model, m -> Classifier.open(loopbackConfig().withModel(m)));
    }

    /** The defaults with loopback image URLs allowed, as a local demo would run. */
    public static ClassifierConfig loopbackConfig() {
        return ClassifierConfig.fromEnv(Map.of("CLASSIFIER_ALLOW_PRIVATE_NETWORKS", "true"));
    }
}

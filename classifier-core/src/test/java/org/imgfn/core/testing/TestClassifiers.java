package org.imgfn.core.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.imgfn.core.Classifier;
import org.imgfn.core.ClassifierConfig;
import org.imgfn.core.model.InferenceEngine;

/**
 * One real classifier per bundled model and engine for a whole test run (loading a model takes up to
 * a few seconds), with the SSRF guard lifted so that images can come from the loopback test server.
 */
public final class TestClassifiers {
    private static final Map<String, Classifier> OPEN = new ConcurrentHashMap<>();

    private TestClassifiers() {}

    /** {@code model} on the engine it defaults to. */
    public static Classifier get(String model) {
        return get(model, null);
    }

    /** {@code model} on {@code engine}, or on the model's default engine when null. */
    public static Classifier get(String model, InferenceEngine engine) {
        return OPEN.computeIfAbsent(model + "/" + engine,
                key -> Classifier.open(loopbackConfig(engine == null ? Map.of("CLASSIFIER_MODEL", model)
                        : Map.of("CLASSIFIER_MODEL", model, "CLASSIFIER_ENGINE", engine.setting()))));
    }

    /** The defaults with loopback image URLs allowed, as a local demo would run. */
    public static ClassifierConfig loopbackConfig() {
        return loopbackConfig(Map.of());
    }

    /** {@link #loopbackConfig()} with more variables set. */
    public static ClassifierConfig loopbackConfig(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("CLASSIFIER_ALLOW_PRIVATE_NETWORKS", "true");
        return ClassifierConfig.fromEnv(all);
    }
}

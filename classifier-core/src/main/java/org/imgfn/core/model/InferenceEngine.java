package org.imgfn.core.model;

import ai.djl.engine.Engine;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The DJL engines a model can run on; a model file's extension says which one it needs. */
public enum InferenceEngine {
    ONNX_RUNTIME("OnnxRuntime", "onnxruntime", ".onnx"),
    PYTORCH("PyTorch", "pytorch", ".pt");

    private final String djlName;
    private final String setting;
    private final String extension;

    InferenceEngine(String djlName, String setting, String extension) {
        this.djlName = djlName;
        this.setting = setting;
        this.extension = extension;
    }

    /** The engine's name in DJL. */
    public String djlName() {
        return djlName;
    }

    /** The value of {@code CLASSIFIER_ENGINE} that chooses it. */
    public String setting() {
        return setting;
    }

    /** The extension of its model files, with the dot. */
    public String extension() {
        return extension;
    }

    /**
     * Whether this build carries the engine (the function packages carry PyTorch only with -Ppytorch).
     * Touches DJL's engine registry, so {@link EngineSettings#apply} must have run before.
     */
    boolean isPresent() {
        return Engine.hasEngine(djlName);
    }

    /** Reads {@code CLASSIFIER_ENGINE}. */
    public static InferenceEngine ofSetting(String value) {
        return Arrays.stream(values())
                .filter(engine -> engine.setting.equals(value.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("CLASSIFIER_ENGINE must be onnxruntime or pytorch: " + value));
    }

    /** The engine whose model files end like {@code fileName}, if any. */
    public static Optional<InferenceEngine> ofFileName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(engine -> lower.endsWith(engine.extension)).findFirst();
    }
}

package org.imgfn.core.model;

/**
 * DJL reads its settings from system properties when an engine first starts. Unless the user set
 * them, keep it offline (it would otherwise try the network at start) and untracked.
 */
final class EngineSettings {
    private EngineSettings() {}

    /**
     * Also sets libtorch's intra-op threads, which only take effect before the PyTorch engine starts, and
     * stops the ONNX Runtime engine from borrowing the PyTorch engine for NDArray operations: that would
     * load libtorch (446 MB) for nothing, as softmax and top-k are done in plain Java.
     */
    static void apply(int intraOpThreads) {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(intraOpThreads));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        setIfAbsent("ai.djl.onnx.disable_alternative", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}

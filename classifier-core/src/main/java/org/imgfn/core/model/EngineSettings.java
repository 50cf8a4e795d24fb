package org.imgfn.core.model;

/**
 * DJL reads its settings from system properties when the engine first starts. Unless the user set
 * them, keep it offline (it would otherwise try the network at start) and untracked.
 */
final class EngineSettings {
    private EngineSettings() {}

    /** Also sets libtorch's intra-op threads; like the rest, it only takes effect before the engine starts. */
    static void apply(int torchThreads) {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(torchThreads));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}

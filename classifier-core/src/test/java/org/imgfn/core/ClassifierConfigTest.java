package org.imgfn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.imgfn.core.cache.CacheSettings;
import org.imgfn.core.fetch.FetchSettings;
import org.imgfn.core.image.ImageSettings;
import org.imgfn.core.model.InferenceEngine;
import org.imgfn.core.model.ModelSettings;
import org.junit.jupiter.api.Test;

class ClassifierConfigTest {

    @Test
    void hasSafeDefaults() {
        ClassifierConfig config = ClassifierConfig.fromEnv(Map.of());

        assertThat(config.model().model()).isEqualTo("mobilenet_v2");
        assertThat(config.fetch().allowPrivateNetworks()).isFalse();
        assertThat(config.fetch().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.fetch().downloadTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.image().maxImageBytes()).isEqualTo(20L * 1024 * 1024);
        assertThat(config.image().maxPixels()).isEqualTo(40_000_000L);
        assertThat(config.model().engine()).as("by the model: ONNX Runtime for the bundled float model").isNull();
        assertThat(config.model().intraOpThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.model().firstRetry()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.cache().entries()).as("off, so that benchmarks measure the work").isZero();
    }

    @Test
    void readsEveryVariable() {
        ClassifierConfig config = ClassifierConfig.fromEnv(Map.ofEntries(
                Map.entry("CLASSIFIER_MODEL", "/models/x.pt"),
                Map.entry("CLASSIFIER_ENGINE", "PyTorch"),
                Map.entry("CLASSIFIER_MODEL_SHA256", "a".repeat(64)),
                Map.entry("CLASSIFIER_SYNSET", "/models/labels.txt"),
                Map.entry("CLASSIFIER_CACHE_DIR", "/var/cache/x"),
                Map.entry("CLASSIFIER_ALLOW_PRIVATE_NETWORKS", "true"),
                Map.entry("CLASSIFIER_CONNECT_TIMEOUT_MS", "100"),
                Map.entry("CLASSIFIER_DOWNLOAD_TIMEOUT_MS", "200"),
                Map.entry("CLASSIFIER_MAX_IMAGE_BYTES", "300"),
                Map.entry("CLASSIFIER_MAX_PIXELS", "400"),
                Map.entry("CLASSIFIER_MAX_BATCH", "5"),
                Map.entry("CLASSIFIER_INFERENCE_WORKERS", "2"),
                Map.entry("CLASSIFIER_INTRA_OP_THREADS", "3"),
                Map.entry("CLASSIFIER_QUEUE_CAPACITY", "7"),
                Map.entry("CLASSIFIER_PREPROCESS_CONCURRENCY", "9"),
                Map.entry("CLASSIFIER_MODEL_WAIT_MS", "500"),
                Map.entry("CLASSIFIER_MAX_BUFFERED_BYTES", "600"),
                Map.entry("CLASSIFIER_MODEL_RETRY_MS", "700"),
                Map.entry("CLASSIFIER_DECODE_TIMEOUT_MS", "800"),
                Map.entry("CLASSIFIER_RESULT_CACHE_ENTRIES", "900"),
                Map.entry("CLASSIFIER_RESULT_CACHE_BYTES", "1000")));

        assertThat(config).isEqualTo(new ClassifierConfig(
                new ModelSettings("/models/x.pt", InferenceEngine.PYTORCH, "a".repeat(64), Path.of("/models/labels.txt"),
                        Path.of("/var/cache/x"), 5, 2, 3, 7, Duration.ofMillis(700), Duration.ofMillis(500)),
                new FetchSettings(true, Duration.ofMillis(100), Duration.ofMillis(200)),
                new ImageSettings(300, 400, Duration.ofMillis(800), 9, 600),
                new CacheSettings(900, 1000)));
    }

    /** One image of the largest size always fits the image memory on its own. */
    @Test
    void theLargestImageFollowsTheHeap() {
        long heap = Runtime.getRuntime().maxMemory();
        ImageSettings image = ClassifierConfig.fromEnv(Map.of()).image();

        assertThat(image.maxBufferedBytes()).isEqualTo(Math.max(20L * 1024 * 1024, heap / 2));
        assertThat(image.maxPixels() * 3).isLessThanOrEqualTo(image.maxBufferedBytes());
        assertThat(ClassifierConfig.defaultMaxPixels(64L << 20)).as("pixels for a 128 MB heap").isEqualTo((64L << 20) / 3);
        assertThat(ClassifierConfig.defaultMaxPixels(1L << 30)).as("capped").isEqualTo(40_000_000L);
    }

    @Test
    void anotherModelKeepsEveryOtherSetting() {
        ClassifierConfig defaults = ClassifierConfig.fromEnv(Map.of());
        ClassifierConfig int8 = defaults.withModel("mobilenet_v2_int8");

        assertThat(int8.model().model()).isEqualTo("mobilenet_v2_int8");
        assertThat(int8.withModel(defaults.model().model())).isEqualTo(defaults);
    }

    @Test
    void namesTheVariableOfABadValue() {
        assertThatThrownBy(() -> ClassifierConfig.fromEnv(Map.of("CLASSIFIER_MAX_PIXELS", "many")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CLASSIFIER_MAX_PIXELS");
        assertThatThrownBy(() -> ClassifierConfig.fromEnv(Map.of("CLASSIFIER_ALLOW_PRIVATE_NETWORKS", "sure")))
                .hasMessageContaining("CLASSIFIER_ALLOW_PRIVATE_NETWORKS");
        assertThatThrownBy(() -> ClassifierConfig.fromEnv(Map.of("CLASSIFIER_MODEL_SHA256", "abc")))
                .hasMessageContaining("CLASSIFIER_MODEL_SHA256");
        assertThatThrownBy(() -> ClassifierConfig.fromEnv(Map.of("CLASSIFIER_ENGINE", "tensorflow")))
                .hasMessageContaining("CLASSIFIER_ENGINE").hasMessageContaining("onnxruntime or pytorch");
        assertThatThrownBy(() -> ClassifierConfig.fromEnv(Map.of("CLASSIFIER_QUEUE_CAPACITY", "0")))
                .hasMessageContaining("CLASSIFIER_QUEUE_CAPACITY must be at least 1");
        assertThatThrownBy(() -> ClassifierConfig.fromEnv(Map.of("CLASSIFIER_DOWNLOAD_TIMEOUT_MS", "-5")))
                .hasMessageContaining("CLASSIFIER_DOWNLOAD_TIMEOUT_MS");
        assertThatThrownBy(() -> ClassifierConfig.fromEnv(Map.of("CLASSIFIER_RESULT_CACHE_ENTRIES", "-1")))
                .hasMessageContaining("CLASSIFIER_RESULT_CACHE_ENTRIES");
    }
}

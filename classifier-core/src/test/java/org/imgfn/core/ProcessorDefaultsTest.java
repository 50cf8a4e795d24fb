package org.imgfn.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Batching and thread defaults follow the processors the JVM sees (a 1-core Consumption instance, a
 * faasd VM, a laptop differ). The build runs this class again under -XX:ActiveProcessorCount=1 and =16.
 */
class ProcessorDefaultsTest {
    static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

    @Test
    void runsWithTheProcessorCountTheBuildAskedFor() {
        String expected = System.getProperty("expected.processors");

        assertThat(expected).as("expected.processors, set by the build's one-processor and sixteen-processors runs")
                .isNotNull();
        assertThat(PROCESSORS).isEqualTo(Integer.parseInt(expected));
    }

    @Test
    void derivesThreadsBatchAndQueueFromTheProcessors() {
        ClassifierConfig config = ClassifierConfig.fromEnv(Map.of());

        assertThat(config.model().intraOpThreads()).isEqualTo(PROCESSORS);
        assertThat(config.model().maxBatch()).isEqualTo(Math.min(32, PROCESSORS));
        assertThat(config.model().queueCapacity()).isEqualTo(128 * PROCESSORS);
        assertThat(config.model().workersFor(8)).as("workers for a batching model").isEqualTo(Math.min(2, PROCESSORS));
        assertThat(config.model().workersFor(1)).as("workers for a one-image model").isEqualTo(PROCESSORS);
    }

    @Test
    void takesExplicitSettingsOverTheDerivedOnes() {
        ClassifierConfig config = ClassifierConfig.fromEnv(Map.of("CLASSIFIER_INTRA_OP_THREADS", "3",
                "CLASSIFIER_MAX_BATCH", "5", "CLASSIFIER_QUEUE_CAPACITY", "7"));

        assertThat(config.model().intraOpThreads()).isEqualTo(3);
        assertThat(config.model().maxBatch()).isEqualTo(5);
        assertThat(config.model().queueCapacity()).isEqualTo(7);
        assertThat(ClassifierConfig.fromEnv(Map.of("CLASSIFIER_INFERENCE_WORKERS", "3")).model().workersFor(1)).isEqualTo(3);
    }
}

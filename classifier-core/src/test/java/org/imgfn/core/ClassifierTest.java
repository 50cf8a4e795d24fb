package org.imgfn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.imgfn.core.api.Classification;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ClassifyRequest;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.testing.LoopbackServer;
import org.imgfn.core.testing.SharedFiles;
import org.imgfn.core.testing.TestClassifiers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClassifierTest {
    static LoopbackServer images;

    @BeforeAll
    static void start() {
        images = new LoopbackServer();
    }

    @AfterAll
    static void stop() {
        images.close();
    }

    private static ClassifyRequest url(String image) {
        return new ClassifyRequest.FromUrl(URI.create(images.url("/images/" + image)), 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chelsea.png", "coffee.png", "rocket.jpg", "camera.png", "horse.png"})
    void classifiesEachImageByUrlWithEveryTimingMeasured(String image) {
        Classification result = TestClassifiers.get("mobilenet_v2").classify(url(image));

        assertThat(result.predictions()).hasSize(3);
        assertThat(result.predictions().get(0).label()).isEqualTo(SharedFiles.expected(image, "float").get(0).label());
        assertThat(result.timings().network()).isPositive();
        assertThat(result.timings().cpu()).isPositive();
        assertThat(result.timings().inference()).isPositive();
        assertThat(result.timings().total()).isGreaterThanOrEqualTo(
                result.timings().network() + result.timings().cpu() + result.timings().inference());
        assertThat(result.image().url()).isEqualTo(images.url("/images/" + image));
        assertThat(result.image().bytes()).isEqualTo(SharedFiles.imageBytes(image).length);
        assertThat(result.model().name()).isEqualTo("mobilenet_v2");
        assertThat(result.model().sha256()).startsWith("c4d36d");
        assertThat(result.model().engine()).isEqualTo("OnnxRuntime");
    }

    @Test
    void answersTheSameForBytesAsForTheUrl() {
        Classifier classifier = TestClassifiers.get("mobilenet_v2");
        Classification byUrl = classifier.classify(url("rocket.jpg"));
        Classification byBytes = classifier.classify(new ClassifyRequest.FromBytes(SharedFiles.imageBytes("rocket.jpg"), 3));

        assertThat(byBytes.predictions()).isEqualTo(byUrl.predictions());
        assertThat(byBytes.image().url()).isNull();
        assertThat(byBytes.timings().network()).as("no download").isZero();
        assertThat(byBytes.image().width()).isEqualTo(640);
        assertThat(byBytes.image().height()).isEqualTo(427);
        assertThat(byBytes.image().format()).isEqualTo("jpeg");
    }

    @Test
    void returnsTheRequestedNumberOfClassesBestFirst() {
        Classification result = TestClassifiers.get("mobilenet_v2")
                .classify(new ClassifyRequest.FromBytes(SharedFiles.imageBytes("chelsea.png"), 10));

        assertThat(result.predictions()).hasSize(10);
        assertThat(result.predictions()).isSortedAccordingTo((a, b) -> Double.compare(b.probability(), a.probability()));
        assertThat(result.predictions().get(0).index()).isEqualTo(285);
    }

    @Test
    void reportsColdStartForTheFirstClassificationOnly() {
        try (Classifier fresh = Classifier.open(TestClassifiers.loopbackConfig().withModel("mobilenet_v2_int8"))) {
            fresh.runtime().await(Duration.ofMinutes(1));
            ClassifyRequest request = new ClassifyRequest.FromBytes(SharedFiles.imageBytes("horse.png"), 1);

            assertThat(fresh.classify(request).coldStart()).isTrue();
            assertThat(fresh.classify(request).coldStart()).isFalse();
        }
    }

    @Test
    void refusesLoopbackUrlsWithTheDefaultConfiguration() {
        int hitsBefore = images.hits("/images/");
        try (Classifier guarded = Classifier.open(ClassifierConfig.fromEnv(Map.of("CLASSIFIER_MODEL", "mobilenet_v2_int8")))) {
            assertThatThrownBy(() -> guarded.classify(url("chelsea.png")))
                    .isInstanceOfSatisfying(ClassifyException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.ADDRESS_NOT_ALLOWED));
        }
        assertThat(images.hits("/images/")).isEqualTo(hitsBefore);
    }

    @Test
    void dropsTheWorkOfAClientThatHasLeft() {
        ClassifyRequest request = new ClassifyRequest.FromBytes(SharedFiles.imageBytes("horse.png"), 3);

        assertThatThrownBy(() -> TestClassifiers.get("mobilenet_v2").classify(request, () -> true))
                .isInstanceOfSatisfying(ClassifyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLIENT_GONE));
    }

    @Test
    void refusesImageBytesOverTheLimit() {
        Map<String, String> env = Map.of("CLASSIFIER_MODEL", "mobilenet_v2_int8", "CLASSIFIER_MAX_IMAGE_BYTES", "1000");
        try (Classifier classifier = Classifier.open(ClassifierConfig.fromEnv(env))) {
            assertThatThrownBy(() -> classifier.classify(new ClassifyRequest.FromBytes(SharedFiles.imageBytes("horse.png"), 3)))
                    .isInstanceOfSatisfying(ClassifyException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE));
        }
    }

    @Test
    void aCorruptImageAmongConcurrentOnesFailsOnlyItself() throws Exception {
        Classifier classifier = TestClassifiers.get("mobilenet_v2");
        ExecutorService pool = Executors.newFixedThreadPool(9);
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(9);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                String image = i == 4 ? "truncated.jpg" : SharedFiles.IMAGES.get(i % SharedFiles.IMAGES.size());
                results.add(pool.submit(() -> {
                    together.await();
                    try {
                        return classifier.classify(new ClassifyRequest.FromBytes(SharedFiles.imageBytes(image), 1))
                                .predictions().get(0).label();
                    } catch (ClassifyException e) {
                        return e.code();
                    }
                }));
            }
            for (int i = 0; i < 9; i++) {
                Object outcome = results.get(i).get();
                if (i == 4) {
                    assertThat(outcome).isEqualTo(ErrorCode.CORRUPT_IMAGE);
                } else {
                    String image = SharedFiles.IMAGES.get(i % SharedFiles.IMAGES.size());
                    assertThat(outcome).isEqualTo(SharedFiles.expected(image, "float").get(0).label());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void classifiesCorrectlyFromSixteenThreadsAtOnce() throws Exception {
        Classifier classifier = TestClassifiers.get("mobilenet_v2");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int thread = 0; thread < 16; thread++) {
                String image = SharedFiles.IMAGES.get(thread % SharedFiles.IMAGES.size());
                String expected = SharedFiles.expected(image, "float").get(0).label();
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        ClassifyRequest request = i % 2 == 0 ? url(image)
                                : new ClassifyRequest.FromBytes(SharedFiles.imageBytes(image), 3);
                        if (!classifier.classify(request).predictions().get(0).label().equals(expected)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

package org.imgfn.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.imgfn.core.testing.Probabilities.argmax;

import java.util.Arrays;
import java.util.stream.Stream;
import org.imgfn.core.model.InferenceQueue;
import org.imgfn.core.model.Labels;
import org.imgfn.core.model.LoadedModel;
import org.imgfn.core.model.ModelSource;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Large images are decoded at reduced size (see ImageDecoder); the model's answer for them stays that
 * of the full-size decoding: every probability within {@value #TOLERANCE}, and the same top-1 class
 * unless the full-size runner-up was within twice that (the enlarged rocket.jpg: drilling platform and
 * missile are 0.01 apart).
 */
class ReducedDecodingTest {
    static final double TOLERANCE = 0.03;
    static LoadedModel model;
    static InferenceQueue queue;

    @BeforeAll
    static void load() {
        model = LoadedModel.load(ModelSource.load("mobilenet_v2", null, null), Labels.load(null), 2, 2);
        queue = new InferenceQueue(model.model(), 1, 2, 8);
    }

    @AfterAll
    static void close() {
        queue.close();
        model.close();
    }

    static Stream<String> images() {
        return SharedFiles.IMAGES.stream();
    }

    @ParameterizedTest(name = "a 4x enlargement of {0}")
    @MethodSource("images")
    void keepsTheAnswerOfTheFullSizeDecoding(String image) {
        byte[] enlarged = TestImages.enlargedJpeg(SharedFiles.imageBytes(image), 4);
        DecodedImage full = new ImageDecoder(40_000_000, 0).decode(enlarged);
        DecodedImage reduced = new ImageDecoder(40_000_000, Preprocessor.MIN_DECODED_SIDE).decode(enlarged);

        assertThat(reduced.rgb().width()).as("decoded width").isLessThan(full.rgb().width() / 2 + 1);
        float[] expected = probabilities(full);
        float[] actual = probabilities(reduced);

        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("probability of %s", model.labels().get(i))
                    .isCloseTo(expected[i], within((float) TOLERANCE));
        }
        int top = argmax(expected);
        if (expected[top] - secondLargest(expected) > 2 * TOLERANCE) {
            assertThat(model.labels().get(argmax(actual))).isEqualTo(model.labels().get(top));
        }
    }

    private static float[] probabilities(DecodedImage image) {
        return queue.submit(Preprocessor.crop(image.rgb())).join();
    }

    private static float secondLargest(float[] values) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length - 2];
    }
}

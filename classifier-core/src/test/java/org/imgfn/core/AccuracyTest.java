package org.imgfn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.Stream;
import org.imgfn.core.api.Classification;
import org.imgfn.core.api.ClassifyRequest;
import org.imgfn.core.testing.SharedFiles;
import org.imgfn.core.testing.TestClassifiers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our pipeline against torchvision's reference answers: the same top-1 label for both models, and
 * each top-3 probability of the float model within 0.03.
 *
 * <p>The int8 model's probabilities depend on PyTorch's quantized kernels, not on us: our model
 * input is bit-identical to torchvision's (see ImageDecoderTest and PreprocessorTest), yet
 * {@code expected.json}, made with the qnnpack kernels, differs from what libtorch's x86 kernels give
 * by up to 0.063 (rocket.jpg's second class; torchvision itself with onednn kernels differs by as
 * much). So int8 probabilities are held to {@value #INT8_KERNEL_TOLERANCE}.
 */
class AccuracyTest {
    static final double TOLERANCE = 0.03;
    static final double INT8_KERNEL_TOLERANCE = 0.07;

    static Stream<String> images() {
        return SharedFiles.IMAGES.stream();
    }

    @ParameterizedTest(name = "float model on {0}")
    @MethodSource("images")
    void floatModelMatchesTorchvision(String image) {
        assertMatches(classify("mobilenet_v2", image), SharedFiles.expected(image, "float"), TOLERANCE);
    }

    @ParameterizedTest(name = "int8 model on {0}")
    @MethodSource("images")
    void int8ModelMatchesTorchvisionUpToItsQuantizedKernels(String image) {
        assertMatches(classify("mobilenet_v2_int8", image), SharedFiles.expected(image, "int8"), INT8_KERNEL_TOLERANCE);
    }

    private static Classification classify(String model, String image) {
        return TestClassifiers.get(model).classify(new ClassifyRequest.FromBytes(SharedFiles.imageBytes(image), 3));
    }

    private static void assertMatches(Classification result, List<SharedFiles.Expected> reference, double tolerance) {
        assertThat(result.predictions()).hasSize(3);
        assertThat(result.predictions().get(0).label()).isEqualTo(reference.get(0).label());
        for (int i = 0; i < 3; i++) {
            assertThat(result.predictions().get(i).probability())
                    .as("probability #%d (%s)", i + 1, reference.get(i).label())
                    .isCloseTo(reference.get(i).probability(), within(tolerance));
        }
    }
}

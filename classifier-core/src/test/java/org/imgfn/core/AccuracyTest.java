package org.imgfn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.imgfn.core.api.Classification;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ClassifyRequest;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.api.Prediction;
import org.imgfn.core.image.ImageDecoder;
import org.imgfn.core.model.InferenceEngine;
import org.imgfn.core.testing.SharedFiles;
import org.imgfn.core.testing.TestClassifiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our pipeline against torchvision's reference answers, on every test image and (with -Pshared) the big
 * real photos of {@code ../shared/images/large}: the float model gives the same top-1 label on both
 * engines, and each top-3 probability within {@value #TOLERANCE}, on every CPU.
 *
 * <p>The int8 model is held to what its quantized kernels give on every x86-64 CPU, not to one CPU's
 * rounding: see {@link #int8ModelKeepsTheReferenceAnswerOnEveryInstructionSet}.
 */
class AccuracyTest {
    static final double TOLERANCE = 0.005;
    /**
     * How far the int8 model's probability for the reference's top-1 label may move with the CPU's
     * kernels: up to 0.16 on oneDNN's AVX2 kernels (emulated here); a CPU without VNNI runs fbgemm's,
     * which may group the saturating sums differently, hence the margin.
     */
    static final double INT8_KERNEL_TOLERANCE = 0.25;

    static Stream<Arguments> floatCases() {
        return onBothEngines(SharedFiles.IMAGES);
    }

    static Stream<Arguments> largePhotos() {
        return onBothEngines(SharedFiles.LARGE_IMAGES);
    }

    private static Stream<Arguments> onBothEngines(List<String> images) {
        return Stream.of(InferenceEngine.values()).flatMap(engine -> images.stream().map(image -> Arguments.of(engine, image)));
    }

    @ParameterizedTest(name = "float model on {0}: {1}")
    @MethodSource("floatCases")
    void floatModelMatchesTorchvision(InferenceEngine engine, String image) {
        assertFloatModelMatches(engine, image);
    }

    /** The big photos of ../shared/images/large, where pixel-dropping shortcuts changed the top-1 class. */
    @Tag(SharedFiles.SHARED_TAG)
    @ParameterizedTest(name = "float model on {0}: {1}")
    @MethodSource("largePhotos")
    void floatModelMatchesTorchvisionOnLargePhotos(InferenceEngine engine, String image) {
        assertFloatModelMatches(engine, image);
    }

    private static void assertFloatModelMatches(InferenceEngine engine, String image) {
        Classification result = classify(TestClassifiers.get("mobilenet_v2", engine), image);

        assertThat(result.model().engine()).isEqualTo(engine.djlName());
        assertMatches(result, SharedFiles.expected(image, "float"), TOLERANCE);
    }

    static Stream<Arguments> reencodings() {
        return Stream.of(InferenceEngine.values()).flatMap(engine -> Stream.of(
                Arguments.of(engine, "chelsea.png", "bmp"), Arguments.of(engine, "camera.png", "gif")));
    }

    /**
     * A lossless re-encoding holds the same pixels, so it must get the same answer: chelsea.png as a
     * 24-bit BMP, the greyscale camera.png as a GIF (256 grey levels fit its palette).
     */
    @ParameterizedTest(name = "float model on {0}: {1} as {2}")
    @MethodSource("reencodings")
    void losslessReencodingOfAReferenceImageGetsItsAnswer(InferenceEngine engine, String image, String format)
            throws IOException {
        BufferedImage original = ImageIO.read(new ByteArrayInputStream(SharedFiles.imageBytes(image)));
        ByteArrayOutputStream reencoded = new ByteArrayOutputStream();
        assertThat(ImageIO.write(original, format, reencoded)).as("ImageIO writes %s", format).isTrue();
        ImageDecoder decoder = new ImageDecoder(40_000_000);
        assertThat(decoder.decode(reencoded.toByteArray()).rgb().pixels()).as("the same pixels")
                .isEqualTo(decoder.decode(SharedFiles.imageBytes(image)).rgb().pixels());

        Classification result = TestClassifiers.get("mobilenet_v2", engine)
                .classify(new ClassifyRequest.FromBytes(reencoded.toByteArray(), 3));

        assertThat(result.image().format()).isEqualTo(format);
        assertMatches(result, SharedFiles.expected(image, "float"), TOLERANCE);
    }

    @ParameterizedTest(name = "truncated.jpg on {0}")
    @EnumSource(InferenceEngine.class)
    void truncatedImageIsRefusedNotGuessed(InferenceEngine engine) {
        assertThatThrownBy(() -> classify(TestClassifiers.get("mobilenet_v2", engine), "truncated.jpg"))
                .isInstanceOfSatisfying(ClassifyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_IMAGE));
    }

    static Stream<String> images() {
        return SharedFiles.IMAGES.stream();
    }

    /**
     * This model was quantized for qnnpack (activations over the full 8 bits), and libtorch's x86 kernels
     * multiply them differently per CPU: with VNNI (AVX-512 VNNI, AVX-VNNI) they agree with the reference
     * to 0.02, while without it (AVX2-only CPUs such as Zen 3, AVX-512 without VNNI, the scalar fallback)
     * {@code vpmaddubsw}'s pair sums saturate at 16 bits: horse.png's top-1 becomes its reference's #4
     * (Saluki 0.31, the reference's top-1 falls to 0.20) and coffee.png's espresso drops from 0.996 to 0.83.
     * Our input is bit-identical to torchvision's on every CPU (ImageDecoderTest, PreprocessorTest); what
     * holds for the kernels everywhere is that the reference's answer stays in the top 3, the top-1 is one
     * of the reference's top 5, and the reference's top-1 probability moves by less than
     * {@value #INT8_KERNEL_TOLERANCE}.
     */
    @ParameterizedTest(name = "int8 model on {0}")
    @MethodSource("images")
    void int8ModelKeepsTheReferenceAnswerOnEveryInstructionSet(String image) {
        Classification result = classify(TestClassifiers.get("mobilenet_v2_int8"), image);
        List<SharedFiles.Expected> reference = SharedFiles.expected(image, "int8");
        SharedFiles.Expected answer = reference.get(0);

        assertThat(result.predictions()).hasSize(3);
        assertThat(result.predictions()).extracting(Prediction::label).as("top 3").contains(answer.label());
        assertThat(reference).extracting(SharedFiles.Expected::label).as("the reference's top 5")
                .contains(result.predictions().get(0).label());
        assertThat(result.predictions()).filteredOn(p -> p.label().equals(answer.label())).singleElement()
                .satisfies(p -> assertThat(p.probability()).as("probability of %s", answer.label())
                        .isCloseTo(answer.probability(), within(INT8_KERNEL_TOLERANCE)));
    }

    private static Classification classify(Classifier classifier, String image) {
        return classifier.classify(new ClassifyRequest.FromBytes(SharedFiles.imageBytes(image), 3));
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

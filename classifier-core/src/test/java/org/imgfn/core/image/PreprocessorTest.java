package org.imgfn.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PreprocessorTest {

    /**
     * SHA-256 of torchvision's {@code CenterCrop(224)(Resize(256)(image))} bytes, from Pillow 9.4 and
     * torchvision 0.14 (Debian 12), for a synthetic image with sharp detail in every channel:
     * {@code (x*7+y*3) % 256, (x*x+y) % 256, (x^y) & 255}. Down-, up- and same-size cases.
     */
    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({
        "451, 300, dbeff02d6e9c06cd887b3f2ed32b2bb6b2c6ac679aa06c6e1dc383c6b8601c70",
        "100, 80, eebee822f8a18f9e0633d1b77d36395f8c17d29334ee0eadbdb2d00680a342b5",
        "256, 300, a950360a67f2982dcba4c92bb21d3c1a280965f4d5a0f3d2898bcf52851ad485",
        "1000, 257, e97e4016fbd9aa8570918859fe71280b5a3cc01de70503917df5e5952bb59cff",
        "224, 224, e978fdea39cb89f6b21e679a84aa1ca205300325c207c920a4208ebb0968a694",
        "3000, 17, fdb93bb83be0de585df22e1887ee39523f7c7a4f1a18753854213f380a5fdb36"
    })
    void resizesAndCropsBitForBitLikePillow(int width, int height, String sha256) throws Exception {
        byte[] crop = Preprocessor.crop(synthetic(width, height)).rgb();

        assertThat(crop).hasSize(224 * 224 * 3);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(crop))).isEqualTo(sha256);
    }

    @Test
    void normalisesChannelByChannelInChwOrderAtTheGivenOffset() {
        byte[] pixels = new byte[300 * 300 * 3];
        for (int i = 0; i < pixels.length; i += 3) {
            pixels[i] = (byte) 255;
            pixels[i + 1] = 0;
            pixels[i + 2] = (byte) 128;
        }
        int length = Crop.TENSOR_LENGTH;
        int plane = 224 * 224;
        float[] batch = new float[2 * length];
        Preprocessor.crop(new RgbImage(300, 300, pixels)).normaliseInto(FloatBuffer.wrap(batch), length);

        assertThat(batch[length - 1]).as("the slot before the offset").isZero();
        assertThat(batch[length]).isCloseTo((1f - 0.485f) / 0.229f, within(1e-6f));
        assertThat(batch[length + plane - 1]).isCloseTo((1f - 0.485f) / 0.229f, within(1e-6f));
        assertThat(batch[length + plane]).isCloseTo((0f - 0.456f) / 0.224f, within(1e-6f));
        assertThat(batch[length + 2 * plane + 100]).isCloseTo((128f / 255f - 0.406f) / 0.225f, within(1e-6f));
    }

    @Test
    void refusesAbsurdAspectRatios() {
        assertThatThrownBy(() -> Preprocessor.crop(new RgbImage(1, 5000, new byte[5000 * 3])))
                .isInstanceOfSatisfying(ClassifyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE));
    }

    static RgbImage synthetic(int width, int height) {
        byte[] pixels = new byte[width * height * 3];
        for (int y = 0, o = 0; y < height; y++) {
            for (int x = 0; x < width; x++, o += 3) {
                pixels[o] = (byte) ((x * 7 + y * 3) % 256);
                pixels[o + 1] = (byte) ((x * x + y) % 256);
                pixels[o + 2] = (byte) ((x ^ y) & 255);
            }
        }
        return new RgbImage(width, height, pixels);
    }
}

package org.imgfn.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PNGs decoded without ImageIO give ImageIO's pixels (PIL's: ImageDecoderTest), whatever row filters they use. */
class PngToRgbTest {

    /** Noise over a gradient: ImageIO's writer picks each row's filter by its content, so the rows differ. */
    private static BufferedImage noisy(int type) {
        BufferedImage image = TestImages.gradient(203, 117, type);
        Random random = new Random(7);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (random.nextInt(3) == 0) {
                    image.setRGB(x, y, random.nextInt() | (type == BufferedImage.TYPE_4BYTE_ABGR ? 0 : 0xFF000000));
                }
            }
        }
        return image;
    }

    private static byte[] viaImageIo(byte[] png) throws IOException {
        return RasterToRgb.convert(ImageIO.read(new ByteArrayInputStream(png))).pixels();
    }

    @ParameterizedTest
    @ValueSource(ints = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR})
    void decodesRgbAndRgbaAsImageIoDoes(int type) throws IOException {
        byte[] png = TestImages.encode(noisy(type), "png");
        PngToRgb.Header header = PngToRgb.header(png).orElseThrow();

        assertThat(header.channels()).isEqualTo(type == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4);
        assertThat(PngToRgb.decode(png, header, () -> false).pixels()).isEqualTo(viaImageIo(png));
    }

    @ParameterizedTest
    @ValueSource(strings = {"chelsea.png", "coffee.png", "horse.png"})
    void decodesTheSharedPhotosAsImageIoDoes(String name) throws IOException {
        byte[] png = SharedFiles.imageBytes(name);

        assertThat(PngToRgb.decode(png, PngToRgb.header(png).orElseThrow(), () -> false).pixels())
                .isEqualTo(viaImageIo(png));
    }

    @Test
    void leavesOtherKindsToImageIo() {
        assertThat(PngToRgb.header(SharedFiles.imageBytes("camera.png"))).as("greyscale").isEmpty();
        assertThat(PngToRgb.header(TestImages.encode(TestImages.gradient(8, 8, BufferedImage.TYPE_BYTE_INDEXED), "png")))
                .as("palette").isEmpty();
        assertThat(PngToRgb.header(SharedFiles.imageBytes("rocket.jpg"))).as("not a PNG").isEmpty();
    }
}

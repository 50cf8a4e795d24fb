package org.imgfn.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import javax.imageio.ImageIO;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.memory.PixelMemory;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {
    final ImageDecoder decoder = new ImageDecoder(40_000_000);

    @ParameterizedTest
    @CsvSource({
        "chelsea.png, 451, 300, png",
        "coffee.png, 600, 400, png",
        "rocket.jpg, 640, 427, jpeg",
        "camera.png, 512, 512, png",
        "horse.png, 400, 328, png"
    })
    void decodesTheSharedImages(String name, int width, int height, String format) {
        DecodedImage image = decoder.decode(SharedFiles.imageBytes(name));

        assertThat(image.rgb().width()).isEqualTo(width);
        assertThat(image.rgb().height()).isEqualTo(height);
        assertThat(image.format()).isEqualTo(format);
    }

    /**
     * SHA-256 of PIL's {@code Image.open(f).convert('RGB').tobytes()} (Pillow 9.4, Debian 12): our RGB
     * is PIL's, byte for byte, including rocket.jpg, whose embedded ICC profile PIL does not apply.
     */
    @ParameterizedTest
    @CsvSource({
        "chelsea.png, 416b729128bfb2c3d1eb69bf9b1734a796293abc17939267b2dc94f8a5784031",
        "rocket.jpg, 3d4435cc745752b7f9724df88c6e18817de3ce7e3d2d71c55f85f7831e68f197",
        "horse.png, d45c4524da3d8c2c5f11f46a648d76ea070381cdb72c59a8c4f3a4585ac1df97",
        "camera.png, 13e2b4aa92cb1649b4aac5a4d48b38a8ea3a18b86e8abdf5a4871abf24c9d038"
    })
    void decodesToTheSameBytesAsPil(String name, String sha256) throws Exception {
        byte[] pixels = decoder.decode(SharedFiles.imageBytes(name)).rgb().pixels();

        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pixels))).isEqualTo(sha256);
    }

    /** An Adobe CMYK JPEG written by PIL; the hash is of PIL's own {@code convert('RGB')} of it. */
    @Test
    void decodesAdobeCmykJpegAsPilDoes() throws Exception {
        byte[] jpeg;
        try (var in = ImageDecoderTest.class.getResourceAsStream("/images/cmyk.jpg")) {
            assertThat(in).as("test resource /images/cmyk.jpg").isNotNull();
            jpeg = in.readAllBytes();
        }
        DecodedImage decoded = decoder.decode(jpeg);

        assertThat(decoded.format()).isEqualTo("jpeg");
        assertThat(decoded.rgb().width()).isEqualTo(96);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(decoded.rgb().pixels())))
                .isEqualTo("00fc012849910aac54f84aeaeeaf4ff54137aa274d99e1cf54e6931a01ca9f70");
    }

    @Test
    void copiesGreyToAllThreeChannels() {
        byte[] p = decoder.decode(SharedFiles.imageBytes("camera.png")).rgb().pixels();

        for (int i = 0; i < p.length; i += 3) {
            assertThat(p[i + 1]).isEqualTo(p[i]);
            assertThat(p[i + 2]).isEqualTo(p[i]);
        }
    }

    @Test
    void dropsAlphaWithoutCompositing() throws IOException {
        BufferedImage rgba = ImageIO.read(SharedFiles.image("horse.png").toFile());
        assertThat(rgba.getColorModel().hasAlpha()).as("horse.png has an alpha channel").isTrue();
        byte[] p = decoder.decode(SharedFiles.imageBytes("horse.png")).rgb().pixels();

        int[] samples = rgba.getRaster().getPixel(0, 0, new int[4]);
        assertThat(new int[] {p[0] & 0xFF, p[1] & 0xFF, p[2] & 0xFF}).containsExactly(samples[0], samples[1], samples[2]);
    }

    @Test
    void ignoresTheEmbeddedIccProfileAsPilDoes() throws IOException {
        BufferedImage colourManaged = ImageIO.read(SharedFiles.image("rocket.jpg").toFile());
        byte[] ours = decoder.decode(SharedFiles.imageBytes("rocket.jpg")).rgb().pixels();

        long differing = 0;
        for (int y = 0, o = 0; y < colourManaged.getHeight(); y++) {
            for (int x = 0; x < colourManaged.getWidth(); x++, o += 3) {
                int rgb = colourManaged.getRGB(x, y);
                if (Math.abs(((rgb >> 16) & 0xFF) - (ours[o] & 0xFF)) > 2) {
                    differing++;
                }
            }
        }
        assertThat(differing).as("pixels where Java's ICC-converted red differs").isGreaterThan(1000);
    }

    @Test
    void decodesBmpExactly() {
        BufferedImage source = TestImages.gradient(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        RgbImage decoded = decoder.decode(TestImages.encode(source, "bmp")).rgb();

        assertThat(decoded.pixels()).isEqualTo(rgbOf(source));
    }

    @Test
    void decodesAPalettePngExactly() {
        BufferedImage source = TestImages.gradient(64, 48, BufferedImage.TYPE_BYTE_INDEXED);
        RgbImage decoded = decoder.decode(TestImages.encode(source, "png")).rgb();

        assertThat(decoded.pixels()).isEqualTo(rgbOf(source));
    }

    @Test
    void decodesTheFirstFrameOfAGif() {
        BufferedImage source = TestImages.gradient(64, 48, BufferedImage.TYPE_BYTE_INDEXED);
        DecodedImage decoded = decoder.decode(TestImages.encode(source, "gif"));

        assertThat(decoded.format()).isEqualTo("gif");
        assertThat(decoded.rgb().pixels()).isEqualTo(rgbOf(source));
    }

    @Test
    void decodesGreyscaleAndProgressiveJpeg() {
        BufferedImage colour = TestImages.gradient(160, 120, BufferedImage.TYPE_INT_RGB);
        byte[] baseline = decoder.decode(TestImages.encode(colour, "jpeg")).rgb().pixels();
        byte[] progressive = decoder.decode(TestImages.progressiveJpeg(colour)).rgb().pixels();
        RgbImage grey = decoder.decode(TestImages.encode(
                TestImages.gradient(160, 120, BufferedImage.TYPE_BYTE_GRAY), "jpeg")).rgb();

        assertThat(maxDifference(progressive, baseline)).isLessThanOrEqualTo(2);
        assertThat(maxDifference(baseline, rgbOf(colour))).isLessThanOrEqualTo(12);
        assertThat(grey.pixels()[3 * 50 + 1]).isEqualTo(grey.pixels()[3 * 50]);
    }

    /** Read as YCbCr, these would come out in the wrong colours: ImageIO's own conversion knows them too. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void decodesJpegsStoredAsRgbWithoutConvertingThem(boolean adobeSegment) throws IOException {
        BufferedImage source = TestImages.gradient(64, 48, BufferedImage.TYPE_INT_RGB);
        byte[] jpeg = TestImages.rgbJpeg(source, adobeSegment);

        byte[] pixels = decoder.decode(jpeg).rgb().pixels();

        assertThat(pixels).isEqualTo(RasterToRgb.convert(ImageIO.read(new ByteArrayInputStream(jpeg))).pixels());
        assertThat(maxDifference(pixels, rgbOf(source))).isLessThanOrEqualTo(12);
    }

    @Test
    void refusesATruncatedJpeg() {
        assertRefused(SharedFiles.imageBytes("truncated.jpg"), ErrorCode.CORRUPT_IMAGE);
    }

    @Test
    void refusesAPngCutShort() {
        byte[] png = SharedFiles.imageBytes("chelsea.png");

        assertRefused(Arrays.copyOf(png, png.length / 2), ErrorCode.CORRUPT_IMAGE);
    }

    @Test
    void refusesImagesOverThePixelLimitFromTheHeaderAlone() {
        byte[] bomb = TestImages.pngHeaderOnly(30_000, 30_000);

        assertThat(bomb.length).isLessThan(100);
        assertRefused(bomb, ErrorCode.IMAGE_TOO_LARGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg", "gif", "bmp"})
    void appliesThePixelLimitToEveryFormatBeforeDecoding(String format) {
        byte[] image = TestImages.encode(TestImages.gradient(40, 30, BufferedImage.TYPE_3BYTE_BGR), format);
        ImageDecoder strict = new ImageDecoder(40 * 30 - 1);

        assertThatThrownBy(() -> strict.decode(image))
                .isInstanceOfSatisfying(ClassifyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE))
                .hasMessageContaining("40x30").hasMessageContaining("CLASSIFIER_MAX_PIXELS");
        assertThat(new ImageDecoder(40 * 30).decode(image).rgb().width()).isEqualTo(40);
    }

    /** A fixed amount of memory for pixels, as the classifier's image memory gives it. */
    private static PixelMemory memoryOf(long capacity, long free) {
        return new PixelMemory() {
            long left = free;

            @Override
            public boolean reserve(long bytes) {
                if (bytes > left) {
                    return false;
                }
                left -= bytes;
                return true;
            }

            @Override
            public long capacity() {
                return capacity;
            }
        };
    }

    @Test
    void refusesAnImageWhosePixelsCouldNeverFitTheImageMemory() {
        byte[] image = TestImages.encode(TestImages.gradient(400, 300, BufferedImage.TYPE_3BYTE_BGR), "png");

        assertThatThrownBy(() -> decoder.decode(image, memoryOf(300_000, 300_000)))
                .isInstanceOfSatisfying(ClassifyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE))
                .hasMessageContaining("CLASSIFIER_MAX_BUFFERED_BYTES");
    }

    @Test
    void defersAnImageWhosePixelsDoNotFitTheImageMemoryNow() {
        byte[] image = TestImages.encode(TestImages.gradient(400, 300, BufferedImage.TYPE_3BYTE_BGR), "png");

        assertThatThrownBy(() -> decoder.decode(image, memoryOf(10_000_000, 100_000)))
                .isInstanceOfSatisfying(ClassifyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED));
        assertThat(decoder.decode(image, memoryOf(10_000_000, 10_000_000)).rgb().width()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "png"})
    void abandonsADecodingThatRunsPastItsTimeLimit(String format) {
        byte[] large = TestImages.encode(TestImages.gradient(3000, 3000, BufferedImage.TYPE_3BYTE_BGR), format);
        ImageDecoder hurried = new ImageDecoder(40_000_000, Duration.ofMillis(1));

        assertThatThrownBy(() -> hurried.decode(large))
                .isInstanceOfSatisfying(ClassifyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_IMAGE))
                .hasMessageContaining("CLASSIFIER_DECODE_TIMEOUT_MS");
        assertThat(new ImageDecoder(40_000_000, Duration.ofSeconds(30)).decode(large).rgb().width()).isEqualTo(3000);
    }

    @Test
    void refusesAnEmptyBody() {
        assertRefused(new byte[0], ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void refusesHtml() {
        assertRefused("<!DOCTYPE html><html><body>Not found</body></html>".getBytes(StandardCharsets.UTF_8),
                ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void refusesSvg() {
        assertRefused("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>".getBytes(StandardCharsets.UTF_8),
                ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void refusesFormatsOutsideTheListEvenWhenJavaCouldReadThem() {
        BufferedImage bitmap = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_BINARY);

        assertRefused(TestImages.encode(bitmap, "wbmp"), ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void refusesRandomBytes() {
        byte[] noise = new byte[4096];
        new java.util.Random(42).nextBytes(noise);

        assertRefused(noise, ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    }

    private void assertRefused(byte[] bytes, ErrorCode code) {
        assertThatThrownBy(() -> decoder.decode(bytes)).isInstanceOfSatisfying(ClassifyException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    private static byte[] rgbOf(BufferedImage image) {
        byte[] out = new byte[image.getWidth() * image.getHeight() * 3];
        for (int y = 0, o = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++, o += 3) {
                int rgb = image.getRGB(x, y);
                out[o] = (byte) (rgb >> 16);
                out[o + 1] = (byte) (rgb >> 8);
                out[o + 2] = (byte) rgb;
            }
        }
        return out;
    }

    private static int maxDifference(byte[] a, byte[] b) {
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
        }
        return max;
    }

    @ParameterizedTest
    @CsvSource({"jpeg, 1600, 1100", "png, 1100, 1600", "jpeg, 3200, 3200"})
    void decodesLargeImagesAtFullSize(String format, int width, int height) {
        BufferedImage source = TestImages.gradient(width, height, BufferedImage.TYPE_3BYTE_BGR);
        DecodedImage decoded = decoder.decode(TestImages.encode(source, format));

        assertThat(decoded.rgb().width()).isEqualTo(width);
        assertThat(decoded.rgb().height()).isEqualTo(height);
        if (format.equals("png")) {
            byte[] pixels = decoded.rgb().pixels();
            for (int y = 0; y < height; y += 97) {
                for (int x = 0; x < width; x += 89) {
                    int at = 3 * (y * width + x);
                    int rgb = (pixels[at] & 0xFF) << 16 | (pixels[at + 1] & 0xFF) << 8 | pixels[at + 2] & 0xFF;
                    assertThat(rgb).as("pixel %d,%d", x, y).isEqualTo(source.getRGB(x, y) & 0xFFFFFF);
                }
            }
        }
    }
}

package org.imgfn.core.image;

import java.awt.image.Raster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;

/**
 * Reads a JPEG's raw components and converts them to RGB as libjpeg and PIL do, so that an embedded
 * ICC profile is ignored (Java's {@code read()} would apply it). YCbCr uses libjpeg's fixed-point
 * formulas; Adobe CMYK/YCCK follows PIL's inverted-CMYK conversion.
 */
final class JpegToRgb {
    private static final byte[] ADOBE = "Adobe".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] JFIF = "JFIF\0".getBytes(StandardCharsets.ISO_8859_1);
    /** In an Adobe segment's data: "Adobe", version, two flag words, then the transform. */
    private static final int ADOBE_TRANSFORM = 11;
    private static final int SCALE_BITS = 16;
    private static final int ONE_HALF = 1 << (SCALE_BITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];
    /** Images above ~1 Mpx convert in slices of 1 MB (a multiple of 3 bytes, so no pixel is split). */
    private static final int PARALLEL_BYTES = 3 << 20;
    private static final int SLICE_BYTES = 3 << 18;

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALE_BITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALE_BITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private enum Transform { GREY, YCBCR, RGB, CMYK, YCCK }

    private JpegToRgb() {}

    /** Decodes the JPEG whose header is {@code header}, the input of {@code reader}. */
    static RgbImage read(ImageReader reader, ImageReadParam param, JpegHeader header) throws IOException {
        Raster raster = reader.readRaster(0, param);
        Transform transform = transformOf(header, raster.getNumBands());
        return switch (transform) {
            case GREY -> RasterToRgb.fromSamples(raster, new int[] {0, 0, 0});
            case RGB -> RasterToRgb.fromSamples(raster, new int[] {0, 1, 2});
            case YCBCR -> ycbcr(RasterToRgb.fromSamples(raster, new int[] {0, 1, 2}));
            case CMYK, YCCK -> fourComponents(raster, transform == Transform.YCCK);
        };
    }

    /** How libjpeg reads the components, from its header's Adobe and JFIF segments and component ids. */
    private static Transform transformOf(JpegHeader header, int bands) {
        int adobeTransform = header.named(JpegHeader.APP14, ADOBE).stream()
                .findFirst()
                .map(adobe -> header.dataByte(adobe, ADOBE_TRANSFORM))
                .orElse(-1);
        return switch (bands) {
            case 1 -> Transform.GREY;
            case 3 -> {
                if (adobeTransform >= 0) {
                    yield adobeTransform == 0 ? Transform.RGB : Transform.YCBCR;
                }
                boolean jfif = !header.named(JpegHeader.APP0, JFIF).isEmpty();
                yield !jfif && hasRgbComponentIds(header) ? Transform.RGB : Transform.YCBCR;
            }
            case 4 -> adobeTransform == 2 ? Transform.YCCK : Transform.CMYK;
            default -> throw new IllegalArgumentException("a JPEG with " + bands + " components");
        };
    }

    /** Whether the first frame's components are numbered 'R', 'G', 'B'. */
    private static boolean hasRgbComponentIds(JpegHeader header) {
        return header.firstFrame()
                .map(frame -> header.dataByte(frame, 5) >= 3 && header.dataByte(frame, 6) == 'R'
                        && header.dataByte(frame, 9) == 'G' && header.dataByte(frame, 12) == 'B')
                .orElse(false);
    }

    /** Converts in place; a large image in slices across the common fork-join pool (each pixel stands alone). */
    private static RgbImage ycbcr(RgbImage raw) {
        byte[] p = raw.pixels();
        if (p.length < PARALLEL_BYTES) {
            ycbcr(p, 0, p.length);
        } else {
            int slices = (p.length + SLICE_BYTES - 1) / SLICE_BYTES;
            IntStream.range(0, slices).parallel()
                    .forEach(i -> ycbcr(p, i * SLICE_BYTES, Math.min(p.length, (i + 1) * SLICE_BYTES)));
        }
        return raw;
    }

    private static void ycbcr(byte[] p, int from, int to) {
        for (int i = from; i < to; i += 3) {
            int y = p[i] & 0xFF;
            int cb = p[i + 1] & 0xFF;
            int cr = p[i + 2] & 0xFF;
            p[i] = clamp(y + CR_R[cr]);
            p[i + 1] = clamp(y + ((CB_G[cb] + CR_G[cr]) >> SCALE_BITS));
            p[i + 2] = clamp(y + CB_B[cb]);
        }
    }

    private static RgbImage fourComponents(Raster raster, boolean ycck) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] px = new int[4];
        for (int y = 0, o = 0; y < h; y++) {
            for (int x = 0; x < w; x++, o += 3) {
                raster.getPixel(x, y, px);
                int c = px[0];
                int m = px[1];
                int ye = px[2];
                if (ycck) {
                    // libjpeg turns YCCK into (Adobe-inverted) CMYK by converting YCC to RGB.
                    int yy = px[0];
                    c = 255 - (clamp(yy + CR_R[px[2]]) & 0xFF);
                    m = 255 - (clamp(yy + ((CB_G[px[1]] + CR_G[px[2]]) >> SCALE_BITS)) & 0xFF);
                    ye = 255 - (clamp(yy + CB_B[px[1]]) & 0xFF);
                }
                // Adobe stores CMYK inverted; PIL reads it as "CMYK;I" and then applies cmyk2rgb.
                int k = 255 - px[3];
                int notK = 255 - k;
                out[o] = (byte) (notK - mulDiv255(255 - c, notK));
                out[o + 1] = (byte) (notK - mulDiv255(255 - m, notK));
                out[o + 2] = (byte) (notK - mulDiv255(255 - ye, notK));
            }
        }
        return new RgbImage(w, h, out);
    }

    private static int mulDiv255(int a, int b) {
        int tmp = a * b + 128;
        return ((tmp >> 8) + tmp) >> 8;
    }

    private static byte clamp(int v) {
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    private static int fix(double x) {
        return (int) (x * (1 << SCALE_BITS) + 0.5);
    }
}

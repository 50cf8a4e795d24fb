package org.imgfn.core.image;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Pillow's antialiased bilinear resampling ({@code Image.resize(size, BILINEAR)}), bit for bit: the
 * triangle filter widened by the downscale factor, fixed-point weights with 22 fractional bits, the
 * horizontal pass then the vertical, each rounded to 8 bits. Only the pixels of a crop window are
 * computed, which gives the same values as resizing the whole image and cropping. The horizontal pass
 * of a large image is split by rows across the common fork-join pool: every row is computed alone, so
 * the result does not depend on the split.
 */
final class PillowResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);
    /** Multiply-adds of the horizontal pass above which it is worth splitting across cores (a few ms of work). */
    private static final long PARALLEL_WORK = 2_000_000;
    private static final int ROWS_PER_TASK = 64;

    private PillowResize() {}

    /**
     * Resizes {@code image} to {@code outW x outH} and returns the window of {@code cropW x cropH} at
     * ({@code left}, {@code top}) of the result, as interleaved RGB.
     */
    static byte[] resizeAndCrop(RgbImage image, int outW, int outH, int left, int top, int cropW, int cropH) {
        Weights horizontal = Weights.of(image.width(), outW, left, cropW);
        Weights vertical = Weights.of(image.height(), outH, top, cropH);
        int firstRow = vertical.start[0];
        int lastRow = firstRow;
        for (int i = 0; i < cropH; i++) {
            lastRow = Math.max(lastRow, vertical.start[i] + vertical.count[i]);
        }
        byte[] rows = horizontalPass(image, horizontal, firstRow, lastRow, cropW);
        return verticalPass(rows, vertical, firstRow, cropW, cropH);
    }

    private static byte[] horizontalPass(RgbImage image, Weights weights, int firstRow, int lastRow, int cropW) {
        byte[] out = new byte[(lastRow - firstRow) * cropW * 3];
        long work = 3L * (lastRow - firstRow) * cropW * weights.size;
        if (work < PARALLEL_WORK) {
            horizontalRows(image, weights, firstRow, firstRow, lastRow, cropW, out);
        } else {
            int tasks = (lastRow - firstRow + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
            IntStream.range(0, tasks).parallel().forEach(t -> horizontalRows(image, weights, firstRow,
                    firstRow + t * ROWS_PER_TASK, Math.min(lastRow, firstRow + (t + 1) * ROWS_PER_TASK), cropW, out));
        }
        return out;
    }

    /** Rows [from, to) of the horizontal pass, written where they belong in {@code out} (which starts at firstRow). */
    private static void horizontalRows(RgbImage image, Weights weights, int firstRow, int from, int to, int cropW,
            byte[] out) {
        byte[] in = image.pixels();
        int inStride = image.width() * 3;
        for (int y = from, o = (from - firstRow) * cropW * 3; y < to; y++) {
            int row = y * inStride;
            for (int x = 0; x < cropW; x++, o += 3) {
                int k = x * weights.size;
                int p = row + weights.start[x] * 3;
                int r = HALF;
                int g = HALF;
                int b = HALF;
                for (int i = 0, n = weights.count[x]; i < n; i++, p += 3) {
                    int w = weights.fixed[k + i];
                    r += (in[p] & 0xFF) * w;
                    g += (in[p + 1] & 0xFF) * w;
                    b += (in[p + 2] & 0xFF) * w;
                }
                out[o] = clip8(r);
                out[o + 1] = clip8(g);
                out[o + 2] = clip8(b);
            }
        }
    }

    /**
     * Each output row as the weighted sum of its input rows, added row by row across the whole stride
     * (integers, so the order of the additions changes nothing): the JIT vectorises the inner loop.
     */
    private static byte[] verticalPass(byte[] rows, Weights weights, int firstRow, int cropW, int cropH) {
        int stride = cropW * 3;
        byte[] out = new byte[cropH * stride];
        int[] sums = new int[stride];
        for (int y = 0; y < cropH; y++) {
            Arrays.fill(sums, HALF);
            int k = y * weights.size;
            int first = (weights.start[y] - firstRow) * stride;
            for (int i = 0, n = weights.count[y]; i < n; i++) {
                int w = weights.fixed[k + i];
                int row = first + i * stride;
                for (int x = 0; x < stride; x++) {
                    sums[x] += (rows[row + x] & 0xFF) * w;
                }
            }
            for (int x = 0, o = y * stride; x < stride; x++) {
                out[o + x] = clip8(sums[x]);
            }
        }
        return out;
    }

    private static byte clip8(int value) {
        int v = value >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Pillow's {@code precompute_coeffs} and {@code normalize_coeffs_8bpc} for output pixels [from, from+n). */
    private record Weights(int[] start, int[] count, int[] fixed, int size) {
        static Weights of(int inSize, int outSize, int from, int n) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale;
            double inverseScale = 1.0 / filterScale;
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[n];
            int[] count = new int[n];
            int[] fixed = new int[n * size];
            double[] k = new double[size];
            for (int i = 0; i < n; i++) {
                double center = (from + i + 0.5) * scale;
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                double total = 0;
                for (int x = 0; x < xmax; x++) {
                    k[x] = triangle((x + xmin - center + 0.5) * inverseScale);
                    total += k[x];
                }
                for (int x = 0; x < xmax; x++) {
                    double w = total != 0 ? k[x] / total : k[x];
                    fixed[i * size + x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
                }
                start[i] = xmin;
                count[i] = xmax;
            }
            return new Weights(start, count, fixed, size);
        }

        private static double triangle(double x) {
            double a = Math.abs(x);
            return a < 1.0 ? 1.0 - a : 0.0;
        }
    }
}

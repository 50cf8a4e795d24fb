package org.imgfn.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Deterministic photo-like JPEGs of any square size, like Lorem Picsum's: smooth colour fields, soft
 * shapes and sensor-like noise, so that their compressed size grows with the pixel count as a photo's does.
 */
final class SyntheticImages {
    private static final Map<Long, byte[]> CACHE = new ConcurrentHashMap<>();

    private SyntheticImages() {}

    static byte[] jpeg(int size) {
        return jpeg(size, 0);
    }

    /** The {@code variant}-th image of {@code size}: each variant has its own shapes, so its own bytes. */
    static byte[] jpeg(int size, int variant) {
        return CACHE.computeIfAbsent(((long) variant << 32) | size, seed -> render(size, seed));
    }

    private static byte[] render(int size, long seed) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Random noise = new Random(seed);
        double[][] blobs = new double[12][];
        for (int i = 0; i < blobs.length; i++) {
            blobs[i] = new double[] {noise.nextDouble(), noise.nextDouble(), 0.05 + 0.2 * noise.nextDouble(),
                noise.nextInt(256), noise.nextInt(256), noise.nextInt(256)};
        }
        int[] row = new int[size];
        for (int y = 0; y < size; y++) {
            double v = (double) y / size;
            for (int x = 0; x < size; x++) {
                double u = (double) x / size;
                double r = 90 + 80 * u;
                double g = 110 + 60 * Math.sin(3 * v);
                double b = 150 - 70 * v;
                for (double[] blob : blobs) {
                    double d = ((u - blob[0]) * (u - blob[0]) + (v - blob[1]) * (v - blob[1])) / (blob[2] * blob[2]);
                    double w = Math.exp(-d);
                    r += w * (blob[3] - r);
                    g += w * (blob[4] - g);
                    b += w * (blob[5] - b);
                }
                int n = (int) (noise.nextGaussian() * 6);
                row[x] = (clamp(r + n) << 16) | (clamp(g + n) << 8) | clamp(b + n);
            }
            image.setRGB(0, y, size, 1, row, 0, size);
        }
        return encode(image);
    }

    private static byte[] encode(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream();
                ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            writer.write(null, new IIOImage(image, null, null), param);
            stream.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, v));
    }
}

package org.imgfn.core.image;

/** 8-bit RGB pixels, interleaved row by row, as PIL's {@code convert('RGB')} leaves them. */
public record RgbImage(int width, int height, byte[] pixels) {
    public RgbImage {
        if (width <= 0 || height <= 0 || pixels.length != width * height * 3) {
            throw new IllegalArgumentException("need " + width + "x" + height + "x3 bytes, got " + pixels.length);
        }
    }
}

package org.imgfn.core.image;

/** A decoded image, the format it came in ({@code png}, {@code jpeg}, {@code gif}, {@code bmp}) and its size. */
public record DecodedImage(RgbImage rgb, String format, int width, int height) {}

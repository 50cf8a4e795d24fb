package org.imgfn.core.image;

/** A decoded image and the format it came in ({@code png}, {@code jpeg}, {@code gif}, {@code bmp}). */
public record DecodedImage(RgbImage rgb, String format) {}

package org.imgfn.core.image;

/**
 * A decoded image, the format it came in ({@code png}, {@code jpeg}, {@code gif}, {@code bmp}) and its
 * size in the file, which is larger than {@code rgb}'s when it was decoded at reduced size.
 */
public record DecodedImage(RgbImage rgb, String format, int width, int height) {}

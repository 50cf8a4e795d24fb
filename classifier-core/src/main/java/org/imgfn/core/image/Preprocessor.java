package org.imgfn.core.image;

import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;

/**
 * torchvision's ImageNet recipe up to the crop: shorter side to 256 (Pillow's antialiased bilinear),
 * center crop 224. {@link Crop#normaliseInto} does the rest.
 */
public final class Preprocessor {
    public static final int RESIZE = 256;
    private static final long MAX_RESIZED_SIDE = 1000L * RESIZE;

    private Preprocessor() {}

    /** {@code Resize(256)} then {@code CenterCrop(224)}. */
    public static Crop crop(RgbImage image) {
        int w = image.width();
        int h = image.height();
        long longSide = (long) RESIZE * Math.max(w, h) / Math.min(w, h);
        if (longSide > MAX_RESIZED_SIDE) {
            throw new ClassifyException(ErrorCode.IMAGE_TOO_LARGE, "the image is " + w + "x" + h
                    + "; an aspect ratio over " + MAX_RESIZED_SIDE / RESIZE + ":1 is not supported");
        }
        int outW = w <= h ? RESIZE : (int) longSide;
        int outH = w <= h ? (int) longSide : RESIZE;
        int top = (int) Math.rint((outH - Crop.SIDE) / 2.0);
        int left = (int) Math.rint((outW - Crop.SIDE) / 2.0);
        return new Crop(PillowResize.resizeAndCrop(image, outW, outH, left, top, Crop.SIDE, Crop.SIDE));
    }
}

package org.imgfn.core.image;

import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;

/**
 * torchvision's ImageNet recipe: shorter side to 256 (Pillow's antialiased bilinear), center crop
 * 224, scale to [0,1], normalise per channel, CHW float layout.
 */
public final class Preprocessor {
    public static final int RESIZE = 256;
    public static final int CROP = 224;
    public static final int TENSOR_LENGTH = 3 * CROP * CROP;
    private static final long MAX_RESIZED_SIDE = 1000L * RESIZE;
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    private static final float[][] NORMALISED = new float[3][256];

    static {
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                NORMALISED[c][v] = (v / 255f - MEAN[c]) / STD[c];
            }
        }
    }

    private Preprocessor() {}

    /** The model input for {@code image}: {@value #TENSOR_LENGTH} floats, channel by channel. */
    public static float[] toTensor(RgbImage image) {
        byte[] crop = resizedCrop(image);
        float[] tensor = new float[TENSOR_LENGTH];
        int plane = CROP * CROP;
        for (int i = 0, p = 0; i < plane; i++, p += 3) {
            tensor[i] = NORMALISED[0][crop[p] & 0xFF];
            tensor[plane + i] = NORMALISED[1][crop[p + 1] & 0xFF];
            tensor[2 * plane + i] = NORMALISED[2][crop[p + 2] & 0xFF];
        }
        return tensor;
    }

    /** {@code Resize(256)} then {@code CenterCrop(224)}, as interleaved 8-bit RGB. */
    static byte[] resizedCrop(RgbImage image) {
        int w = image.width();
        int h = image.height();
        long longSide = (long) RESIZE * Math.max(w, h) / Math.min(w, h);
        if (longSide > MAX_RESIZED_SIDE) {
            throw new ClassifyException(ErrorCode.IMAGE_TOO_LARGE, "the image is " + w + "x" + h
                    + "; an aspect ratio over " + MAX_RESIZED_SIDE / RESIZE + ":1 is not supported");
        }
        int outW = w <= h ? RESIZE : (int) longSide;
        int outH = w <= h ? (int) longSide : RESIZE;
        int top = (int) Math.rint((outH - CROP) / 2.0);
        int left = (int) Math.rint((outW - CROP) / 2.0);
        return PillowResize.resizeAndCrop(image, outW, outH, left, top, CROP, CROP);
    }
}

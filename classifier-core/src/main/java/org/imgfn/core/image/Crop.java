package org.imgfn.core.image;

import java.nio.FloatBuffer;

/**
 * The model's view of one image: the 224x224 center crop of the resized image as interleaved 8-bit
 * RGB. It is what waits for the model (a quarter of the size of its float tensor); the inference
 * worker normalises it straight into the batch it runs.
 */
public record Crop(byte[] rgb) {
    public static final int SIDE = 224;
    public static final int TENSOR_LENGTH = 3 * SIDE * SIDE;
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

    public Crop {
        if (rgb.length != TENSOR_LENGTH) {
            throw new IllegalArgumentException("a crop has " + TENSOR_LENGTH + " bytes, not " + rgb.length);
        }
    }

    /** An all-black crop, for warm-up runs. */
    public static Crop blank() {
        return new Crop(new byte[TENSOR_LENGTH]);
    }

    /**
     * Writes torchvision's {@code ToTensor} + {@code Normalize} of this crop, channel by channel (CHW),
     * into {@code tensor} from {@code offset}: {@value #TENSOR_LENGTH} floats.
     */
    public void normaliseInto(FloatBuffer tensor, int offset) {
        int plane = SIDE * SIDE;
        float[] red = NORMALISED[0];
        float[] green = NORMALISED[1];
        float[] blue = NORMALISED[2];
        for (int i = 0, p = 0; i < plane; i++, p += 3) {
            tensor.put(offset + i, red[rgb[p] & 0xFF]);
            tensor.put(offset + plane + i, green[rgb[p + 1] & 0xFF]);
            tensor.put(offset + 2 * plane + i, blue[rgb[p + 2] & 0xFF]);
        }
    }
}

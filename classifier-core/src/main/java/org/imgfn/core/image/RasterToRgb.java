package org.imgfn.core.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;

/**
 * Turns decoded rasters into RGB bytes the way PIL's {@code convert('RGB')} does: stored samples are
 * copied, not colour-managed (embedded ICC profiles are ignored), alpha is dropped, grey is copied to
 * three channels, palettes are looked up, and 16-bit samples keep their high byte.
 */
final class RasterToRgb {
    private RasterToRgb() {}

    static RgbImage convert(BufferedImage image) {
        Raster raster = image.getRaster();
        if (image.getColorModel() instanceof IndexColorModel palette) {
            return fromPalette(raster, palette);
        }
        if (image.getColorModel() instanceof ComponentColorModel model && isInterleaved(raster)) {
            int colorSpace = model.getColorSpace().getType();
            if (colorSpace == ColorSpace.TYPE_RGB || colorSpace == ColorSpace.TYPE_GRAY) {
                return fromSamples(raster, model.getNumColorComponents() == 1 ? new int[] {0, 0, 0} : new int[] {0, 1, 2});
            }
        }
        return fromArgb(image);
    }

    /**
     * Copies the given bands of an interleaved 8- or 16-bit raster, one band per output channel; a raster
     * that already holds exactly this layout is adopted without a copy (30 MB at 3200x3200). The
     * raster must not be used afterwards.
     */
    static RgbImage fromSamples(Raster raster, int[] bandPerChannel) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        PixelInterleavedSampleModel model = (PixelInterleavedSampleModel) raster.getSampleModel();
        int pixelStride = model.getPixelStride();
        int scanlineStride = model.getScanlineStride();
        int[] bandOffsets = model.getBandOffsets();
        int[] offsets = new int[3];
        for (int c = 0; c < 3; c++) {
            offsets[c] = bandOffsets[bandPerChannel[c]] + raster.getDataBuffer().getOffset();
        }
        DataBuffer buffer = raster.getDataBuffer();
        if (buffer instanceof DataBufferByte bytes && pixelStride == 3 && scanlineStride == 3 * w
                && offsets[0] == 0 && offsets[1] == 1 && offsets[2] == 2 && bytes.getNumBanks() == 1
                && bytes.getData().length == w * h * 3) {
            return new RgbImage(w, h, bytes.getData());
        }
        byte[] out = new byte[w * h * 3];
        if (buffer instanceof DataBufferByte bytes) {
            byte[] data = bytes.getData();
            for (int y = 0, o = 0; y < h; y++) {
                int row = y * scanlineStride;
                for (int x = 0; x < w; x++, o += 3) {
                    int p = row + x * pixelStride;
                    out[o] = data[p + offsets[0]];
                    out[o + 1] = data[p + offsets[1]];
                    out[o + 2] = data[p + offsets[2]];
                }
            }
        } else {
            short[] data = ((DataBufferUShort) buffer).getData();
            for (int y = 0, o = 0; y < h; y++) {
                int row = y * scanlineStride;
                for (int x = 0; x < w; x++, o += 3) {
                    int p = row + x * pixelStride;
                    for (int c = 0; c < 3; c++) {
                        out[o + c] = (byte) ((data[p + offsets[c]] & 0xFFFF) >>> 8);
                    }
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    static boolean isInterleaved(Raster raster) {
        int type = raster.getDataBuffer().getDataType();
        return raster.getSampleModel() instanceof PixelInterleavedSampleModel
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && (type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT);
    }

    private static RgbImage fromPalette(Raster raster, IndexColorModel palette) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int size = palette.getMapSize();
        byte[] reds = new byte[size];
        byte[] greens = new byte[size];
        byte[] blues = new byte[size];
        palette.getReds(reds);
        palette.getGreens(greens);
        palette.getBlues(blues);
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0, o = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++, o += 3) {
                int index = Math.min(row[x], size - 1);
                out[o] = reds[index];
                out[o + 1] = greens[index];
                out[o + 2] = blues[index];
            }
        }
        return new RgbImage(w, h, out);
    }

    /** The general path for packed and unusual layouts; Java converts their colours to sRGB here. */
    private static RgbImage fromArgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0, o = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++, o += 3) {
                int argb = row[x];
                out[o] = (byte) (argb >>> 16);
                out[o + 1] = (byte) (argb >>> 8);
                out[o + 2] = (byte) argb;
            }
        }
        return new RgbImage(w, h, out);
    }
}

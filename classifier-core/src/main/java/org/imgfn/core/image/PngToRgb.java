package org.imgfn.core.image;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;

/**
 * The common PNG, 8-bit RGB or RGBA without interlacing, decoded here rather than by ImageIO, whose
 * reader spends half its time in a branchy Paeth filter and builds a raster to copy from. Its samples
 * are the stored bytes once unfiltered, alpha dropped as PIL's {@code convert('RGB')} drops it, so the
 * pixels are ImageIO's and PIL's. Every other PNG (palette, grey, 16-bit, interlaced) goes to ImageIO.
 * Chunk CRCs are not checked, as ImageIO does not.
 */
final class PngToRgb {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int IHDR = 0x49484452;
    private static final int IDAT = 0x49444154;
    private static final int IEND = 0x49454e44;
    private static final int WINDOW = 64 * 1024;

    /** What the header says, for a PNG this class decodes. */
    record Header(int width, int height, int channels) {}

    private PngToRgb() {}

    /** The header of a PNG this class decodes; empty for anything else (another format or PNG kind). */
    static Optional<Header> header(byte[] png) {
        if (png.length < 33 || !Arrays.equals(png, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length) || readInt(png, 12) != IHDR) {
            return Optional.empty();
        }
        int width = readInt(png, 16);
        int height = readInt(png, 20);
        int depth = png[24];
        int colour = png[25];
        boolean plain = png[26] == 0 && png[27] == 0 && png[28] == 0;
        if (width <= 0 || height <= 0 || depth != 8 || !plain || (colour != 2 && colour != 6)) {
            return Optional.empty();
        }
        return Optional.of(new Header(width, height, colour == 2 ? 3 : 4));
    }

    /** What decoding holds besides the pixels: two rows and the window the data is inflated into. */
    static long workingBytes(Header header) {
        int stride = header.width() * header.channels();
        return 2L * stride + windowLength(stride);
    }

    private static int windowLength(int stride) {
        return Math.max(WINDOW, stride + 1);
    }

    /**
     * Decodes {@code png}, whose {@link #header} is {@code header}; {@code abandoned} is asked between
     * rows and stops the decoding when it says so.
     */
    static RgbImage decode(byte[] png, Header header, BooleanSupplier abandoned) {
        int width = header.width();
        int channels = header.channels();
        int stride = width * channels;
        byte[] rgb = new byte[Math.multiplyExact(width * 3, header.height())];
        byte[] previous = new byte[stride];
        byte[] current = new byte[stride];
        Inflater inflater = new Inflater();
        try {
            InflatedRows rows = new InflatedRows(inflater, new Chunks(png), windowLength(stride));
            for (int y = 0; y < header.height(); y++) {
                if (abandoned.getAsBoolean()) {
                    return null;
                }
                unfilter(rows.next(current), current, previous, channels);
                keepRgb(current, channels, rgb, y * width * 3);
                byte[] swap = previous;
                previous = current;
                current = swap;
            }
        } catch (DataFormatException e) {
            throw corrupt("its compressed data is broken: " + e.getMessage());
        } finally {
            inflater.end();
        }
        return new RgbImage(width, header.height(), rgb);
    }

    /**
     * PNG's five row filters, undone in place (RFC 2083, 6). Sub and Average go channel by channel with
     * the left sample in a local: read back from the row, each byte waited on the store before it.
     */
    private static void unfilter(byte type, byte[] row, byte[] above, int bpp) {
        int n = row.length;
        switch (type) {
            case 0 -> { }
            case 1 -> {
                for (int c = 0; c < bpp; c++) {
                    int left = 0;
                    for (int i = c; i < n; i += bpp) {
                        left = (row[i] + left) & 0xFF;
                        row[i] = (byte) left;
                    }
                }
            }
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    row[i] += above[i];
                }
            }
            case 3 -> {
                for (int c = 0; c < bpp; c++) {
                    int left = 0;
                    for (int i = c; i < n; i += bpp) {
                        left = (row[i] + ((left + (above[i] & 0xFF)) >>> 1)) & 0xFF;
                        row[i] = (byte) left;
                    }
                }
            }
            case 4 -> {
                for (int i = 0; i < bpp; i++) {
                    row[i] += above[i];
                }
                for (int i = bpp; i < n; i++) {
                    row[i] += (byte) paeth(row[i - bpp] & 0xFF, above[i] & 0xFF, above[i - bpp] & 0xFF);
                }
            }
            default -> throw corrupt("a row has the unknown filter type " + (type & 0xFF));
        }
    }

    /**
     * The Paeth predictor without branches (the choice hangs on the photo's content, so branches would
     * mispredict): the nearest of left, up and up-left to left + up - up-left, ties in that order.
     */
    private static int paeth(int left, int up, int upLeft) {
        int toLeft = Math.abs(up - upLeft);
        int toUp = Math.abs(left - upLeft);
        int toUpLeft = Math.abs(left + up - 2 * upLeft);
        int upLeftNearer = (toUpLeft - toUp) >> 31;
        int upOrUpLeft = (up & ~upLeftNearer) | (upLeft & upLeftNearer);
        int distance = (toUp & ~upLeftNearer) | (toUpLeft & upLeftNearer);
        int notLeft = (distance - toLeft) >> 31;
        return (left & ~notLeft) | (upOrUpLeft & notLeft);
    }

    private static void keepRgb(byte[] row, int channels, byte[] rgb, int offset) {
        if (channels == 3) {
            System.arraycopy(row, 0, rgb, offset, row.length);
            return;
        }
        for (int i = 0, o = offset; i < row.length; i += 4, o += 3) {
            rgb[o] = row[i];
            rgb[o + 1] = row[i + 1];
            rgb[o + 2] = row[i + 2];
        }
    }

    /**
     * The image data, inflated a window of many rows at a time: zlib's fast path needs room to write
     * into, and inflating a row (and its filter byte) at a time took a third longer.
     */
    private static final class InflatedRows {
        private final Inflater inflater;
        private final Chunks idat;
        private final byte[] window;
        private int start;
        private int end;

        InflatedRows(Inflater inflater, Chunks idat, int windowLength) {
            this.inflater = inflater;
            this.idat = idat;
            this.window = new byte[windowLength];
        }

        /** Copies the next row's samples into {@code row}; returns its filter type. */
        byte next(byte[] row) throws DataFormatException {
            int length = 1 + row.length;
            if (end - start < length) {
                refill(length);
            }
            byte filter = window[start];
            System.arraycopy(window, start + 1, row, 0, row.length);
            start += length;
            return filter;
        }

        private void refill(int length) throws DataFormatException {
            System.arraycopy(window, start, window, 0, end - start);
            end -= start;
            start = 0;
            while (end < length) {
                int n = inflater.inflate(window, end, window.length - end);
                end += n;
                if (n == 0 && (inflater.finished() || inflater.needsDictionary() || !inflater.needsInput()
                        || !idat.feed(inflater))) {
                    throw corrupt("the image is truncated: its data ends before its last row");
                }
            }
        }
    }

    /** The IDAT chunks of a PNG, in order, handed to an inflater one at a time. */
    private static final class Chunks {
        private final byte[] png;
        private int next = SIGNATURE.length;

        Chunks(byte[] png) {
            this.png = png;
        }

        /** Gives {@code inflater} the next IDAT chunk's data; false when there is none. */
        boolean feed(Inflater inflater) {
            while (next + 8 <= png.length) {
                int length = readInt(png, next);
                int type = readInt(png, next + 4);
                int data = next + 8;
                if (length < 0 || data + length > png.length) {
                    return false;
                }
                next = data + length + 4;
                if (type == IEND) {
                    return false;
                }
                if (type == IDAT && length > 0) {
                    inflater.setInput(png, data, length);
                    return true;
                }
            }
            return false;
        }
    }

    private static int readInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 24 | (bytes[offset + 1] & 0xFF) << 16 | (bytes[offset + 2] & 0xFF) << 8
                | (bytes[offset + 3] & 0xFF);
    }

    private static ClassifyException corrupt(String why) {
        return new ClassifyException(ErrorCode.CORRUPT_IMAGE, "the image cannot be decoded: " + why);
    }
}

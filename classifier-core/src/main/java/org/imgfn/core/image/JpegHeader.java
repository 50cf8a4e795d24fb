package org.imgfn.core.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The segments of a JPEG's header, those before its first scan, found as libjpeg finds them: bytes
 * between segments that start no marker are passed over. Read once per image, for the ICC profile
 * that ImageIO is not shown and for the colour space; ImageIO's metadata tree took as long to build as
 * a small JPEG takes to decode. Anything that does not start as a JPEG has no segments.
 */
final class JpegHeader {
    static final int APP0 = 0xE0;
    static final int APP2 = 0xE2;
    static final int APP14 = 0xEE;
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;

    /** One segment: its marker, where it starts (its 0xFF), and its length with the marker's two bytes. */
    record Segment(int marker, int start, int length) {
        /** Whether it is a start-of-frame segment (SOF0 to SOF15 but DHT, JPG and DAC, which share the range). */
        boolean isFrame() {
            return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        }
    }

    private final byte[] jpeg;
    private final List<Segment> segments;

    private JpegHeader(byte[] jpeg, List<Segment> segments) {
        this.jpeg = jpeg;
        this.segments = segments;
    }

    /** The header of {@code jpeg}, read in place. */
    static JpegHeader read(byte[] jpeg) {
        List<Segment> segments = new ArrayList<>();
        if (jpeg.length >= 2 && (jpeg[0] & 0xFF) == 0xFF && (jpeg[1] & 0xFF) == SOI) {
            for (int i = 2; i + 1 < jpeg.length; ) {
                int marker = jpeg[i + 1] & 0xFF;
                if ((jpeg[i] & 0xFF) != 0xFF || marker == 0xFF) {
                    i++; // a stray byte, or a fill byte before a marker
                } else if (marker == SOS || marker == EOI) {
                    break;
                } else if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= SOI)) {
                    i += 2; // a stuffed zero, or a marker without a length
                } else {
                    int length = i + 4 <= jpeg.length ? ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF) : 0;
                    if (length < 2 || i + 2 + length > jpeg.length) {
                        break;
                    }
                    segments.add(new Segment(marker, i, 2 + length));
                    i += 2 + length;
                }
            }
        }
        return new JpegHeader(jpeg, List.copyOf(segments));
    }

    /** The whole image the header was read from. */
    byte[] bytes() {
        return jpeg;
    }

    /** Its segments, in order. */
    List<Segment> segments() {
        return segments;
    }

    /** The segments with {@code marker} whose data begins with {@code name}, in order. */
    List<Segment> named(int marker, byte[] name) {
        return segments.stream().filter(s -> s.marker() == marker && s.length() - 4 >= name.length
                && Arrays.equals(jpeg, s.start() + 4, s.start() + 4 + name.length, name, 0, name.length)).toList();
    }

    /** The first start-of-frame segment. */
    Optional<Segment> firstFrame() {
        return segments.stream().filter(Segment::isFrame).findFirst();
    }

    /** The byte at {@code index} of {@code segment}'s data, or -1 past its end. */
    int dataByte(Segment segment, int index) {
        return index < segment.length() - 4 ? jpeg[segment.start() + 4 + index] & 0xFF : -1;
    }
}

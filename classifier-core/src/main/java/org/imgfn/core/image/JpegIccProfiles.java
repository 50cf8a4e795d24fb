package org.imgfn.core.image;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A JPEG as ImageIO's reader should see it: without the APP2 segments of an embedded ICC profile. The
 * reader checks such a profile by building a colour transform for every image (about as long as the
 * rest of the header); {@link JpegToRgb} converts the raw components as PIL does, ignoring the profile,
 * so leaving it out changes no pixel. Anything that is not a well-formed JPEG header is passed on as it
 * is, for the reader to judge.
 */
final class JpegIccProfiles {
    private static final byte[] ICC_PROFILE = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);

    private JpegIccProfiles() {}

    /** {@code bytes} without their ICC profile segments, read in place (no copy). */
    static InputStream skipped(byte[] bytes) {
        List<InputStream> parts = new ArrayList<>();
        int from = 0;
        for (int[] segment : iccSegments(bytes)) {
            parts.add(new ByteArrayInputStream(bytes, from, segment[0] - from));
            from = segment[0] + segment[1];
        }
        if (parts.isEmpty()) {
            return new ByteArrayInputStream(bytes);
        }
        parts.add(new ByteArrayInputStream(bytes, from, bytes.length - from));
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /** Offset and length of each ICC profile segment before the first scan; none unless the header is sound. */
    private static List<int[]> iccSegments(byte[] jpeg) {
        List<int[]> segments = new ArrayList<>();
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            return segments;
        }
        for (int i = 2; i + 4 <= jpeg.length; ) {
            if ((jpeg[i] & 0xFF) != 0xFF) {
                return List.of();
            }
            int marker = jpeg[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // a fill byte before a marker
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return segments;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2; // markers without a length
                continue;
            }
            int length = ((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF);
            if (length < 2 || i + 2 + length > jpeg.length) {
                return List.of();
            }
            int name = i + 4;
            if (marker == 0xE2 && length >= 2 + ICC_PROFILE.length
                    && Arrays.equals(jpeg, name, name + ICC_PROFILE.length, ICC_PROFILE, 0, ICC_PROFILE.length)) {
                segments.add(new int[] {i, 2 + length});
            }
            i += 2 + length;
        }
        return List.of();
    }
}

package org.imgfn.core.image;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A JPEG as ImageIO's reader should see it: without the APP2 segments of an embedded ICC profile. The
 * reader checks such a profile by building a colour transform for every image (about as long as the
 * rest of the header); {@link JpegToRgb} converts the raw components as PIL does, ignoring the profile,
 * so leaving it out changes no pixel. Everything else is passed on as it is, for the reader to judge.
 */
final class JpegIccProfiles {
    private static final byte[] ICC_PROFILE = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);

    private JpegIccProfiles() {}

    /** The image of {@code header} without its ICC profile segments, read in place (no copy). */
    static InputStream skipped(JpegHeader header) {
        byte[] bytes = header.bytes();
        List<InputStream> parts = new ArrayList<>();
        int from = 0;
        for (JpegHeader.Segment segment : header.named(JpegHeader.APP2, ICC_PROFILE)) {
            parts.add(new ByteArrayInputStream(bytes, from, segment.start() - from));
            from = segment.start() + segment.length();
        }
        if (parts.isEmpty()) {
            return new ByteArrayInputStream(bytes);
        }
        parts.add(new ByteArrayInputStream(bytes, from, bytes.length - from));
        return new SequenceInputStream(Collections.enumeration(parts));
    }
}

package org.imgfn.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.Test;

/** The header is read as libjpeg reads it; what the decoder makes of it is ImageDecoderTest's. */
class JpegHeaderTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] segment(int marker, String data) {
        byte[] body = data.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(0xFF, marker, (body.length + 2) >> 8, (body.length + 2) & 0xFF));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static List<Integer> markers(byte[] jpeg) {
        return JpegHeader.read(jpeg).segments().stream().map(JpegHeader.Segment::marker).toList();
    }

    @Test
    void findsTheSegmentsBeforeTheFirstScanPastStrayAndFillBytes() {
        byte[] jpeg = concat(bytes(0xFF, 0xD8),
                segment(0xE0, "JFIF\0rest"),
                bytes(0x12, 0x00, 0xFF, 0x00), // stray bytes, a stuffed zero
                bytes(0xFF, 0xFF), // a fill byte before the next marker
                segment(0xEE, "Adobe\0\0\0\0\0\0\1"),
                bytes(0xFF, 0xD0), // a marker without a length
                segment(0xC4, "huffman"),
                segment(0xC0, "\u0008\0\u0010\0\u0010\u0003R\u0011\0G\u0011\0B\u0011\0"),
                segment(0xDA, "scan"),
                segment(0xE1, "after the scan"));

        JpegHeader header = JpegHeader.read(jpeg);
        List<JpegHeader.Segment> segments = header.segments();

        assertThat(markers(jpeg)).containsExactly(0xE0, 0xEE, 0xC4, 0xC0);
        assertThat(header.named(JpegHeader.APP0, "JFIF\0".getBytes(StandardCharsets.ISO_8859_1)))
                .containsExactly(segments.get(0));
        assertThat(segments.get(1).start()).isEqualTo(2 + 13 + 4 + 2);
        assertThat(header.dataByte(segments.get(1), 11)).isEqualTo(1);
        assertThat(header.dataByte(segments.get(1), 12)).as("past its end").isEqualTo(-1);
        assertThat(segments.get(2).isFrame()).as("DHT shares the SOF range").isFalse();
        assertThat(header.firstFrame()).contains(segments.get(3));
        assertThat(header.dataByte(segments.get(3), 9)).isEqualTo('G');
    }

    @Test
    void stopsAtASegmentThatRunsPastTheEnd() {
        byte[] jpeg = concat(bytes(0xFF, 0xD8), segment(0xE0, "JFIF\0"), bytes(0xFF, 0xE2, 0x10, 0x00, 'I', 'C', 'C'));

        assertThat(markers(jpeg)).containsExactly(0xE0);
        assertThat(markers(Arrays.copyOf(jpeg, jpeg.length - 5))).as("cut inside a length").containsExactly(0xE0);
    }

    @Test
    void findsNothingInWhatDoesNotStartAsAJpeg() {
        assertThat(markers(SharedFiles.imageBytes("chelsea.png"))).isEmpty();
        assertThat(markers(bytes(0xFF))).isEmpty();
        assertThat(markers(new byte[0])).isEmpty();
    }

    @Test
    void readsTheSharedJpegsHeader() {
        byte[] rocket = SharedFiles.imageBytes("rocket.jpg");

        assertThat(markers(rocket)).contains(0xE2).anyMatch(marker -> marker >= 0xC0 && marker <= 0xC2);
    }
}

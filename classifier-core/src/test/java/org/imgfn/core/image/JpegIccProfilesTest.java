package org.imgfn.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.Test;

/** What ImageIO's JPEG reader is shown; that no pixel changes is ImageDecoderTest's (PIL's bytes for rocket.jpg). */
class JpegIccProfilesTest {

    private static byte[] shown(byte[] bytes) throws IOException {
        return JpegIccProfiles.skipped(JpegHeader.read(bytes)).readAllBytes();
    }

    private static boolean holdsIccProfile(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1).contains("ICC_PROFILE\0");
    }

    @Test
    void leavesOutTheIccProfileSegmentAndNothingElse() throws IOException {
        byte[] rocket = SharedFiles.imageBytes("rocket.jpg");
        assertThat(holdsIccProfile(rocket)).as("rocket.jpg embeds a profile").isTrue();

        byte[] shown = shown(rocket);

        assertThat(holdsIccProfile(shown)).isFalse();
        assertThat(rocket.length - shown.length).as("its one APP2 segment, marker and length included").isEqualTo(578);
        assertThat(Arrays.copyOfRange(shown, shown.length - 1000, shown.length))
                .isEqualTo(Arrays.copyOfRange(rocket, rocket.length - 1000, rocket.length));
    }

    @Test
    void passesOnWhatIsNotASoundJpegHeaderAsItIs() throws IOException {
        byte[] rocket = SharedFiles.imageBytes("rocket.jpg");
        byte[] cutInItsHeader = Arrays.copyOf(rocket, 300);
        byte[] png = SharedFiles.imageBytes("chelsea.png");

        assertThat(shown(cutInItsHeader)).isEqualTo(cutInItsHeader);
        assertThat(shown(png)).isEqualTo(png);
        assertThat(shown(new byte[] {(byte) 0xFF})).hasSize(1);
    }
}

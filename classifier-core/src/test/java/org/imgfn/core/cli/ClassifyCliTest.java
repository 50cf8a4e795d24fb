package org.imgfn.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.imgfn.core.api.Json;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.Test;

class ClassifyCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return ClassifyCli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private JsonNode printed() {
        return Json.read(out.toByteArray());
    }

    @Test
    void classifiesALocalFileWithTheChosenModelAndTop() {
        int status = run(Map.of(), SharedFiles.image("chelsea.png").toString(), "--top", "5", "--model", "mobilenet_v2_int8");

        assertThat(status).isZero();
        assertThat(printed().path("predictions")).hasSize(5);
        assertThat(printed().path("predictions").get(0).path("label").asText()).isEqualTo("Egyptian cat");
        assertThat(printed().path("model").path("name").asText()).isEqualTo("mobilenet_v2_int8");
        assertThat(printed().path("cold_start").asBoolean()).isTrue();
    }

    @Test
    void printsAJsonErrorForABrokenImage() {
        int status = run(Map.of("CLASSIFIER_MODEL", "mobilenet_v2_int8"), SharedFiles.image("truncated.jpg").toString());

        assertThat(status).isEqualTo(1);
        assertThat(printed().path("error").path("code").asText()).isEqualTo("CORRUPT_IMAGE");
    }

    @Test
    void printsAJsonErrorForAMissingFile() {
        int status = run(Map.of("CLASSIFIER_MODEL", "mobilenet_v2_int8"), "no/such/photo.png");

        assertThat(status).isEqualTo(1);
        assertThat(printed().path("error").path("message").asText()).contains("no such image file");
    }

    @Test
    void namesAModelFileThatCannotBeLoaded() {
        int status = run(Map.of(), SharedFiles.image("horse.png").toString(), "--model", "/no/such/model.pt");

        assertThat(status).isEqualTo(1);
        assertThat(printed().path("error").path("message").asText()).contains("/no/such/model.pt");
    }

    @Test
    void explainsUsageErrors() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(run(Map.of(), "a.png", "--top", "11")).isEqualTo(2);
        assertThat(run(Map.of(), "a.png", "--colour")).isEqualTo(2);
        assertThat(run(Map.of("CLASSIFIER_MAX_PIXELS", "lots"), "a.png")).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("CLASSIFIER_MAX_PIXELS");
    }
}

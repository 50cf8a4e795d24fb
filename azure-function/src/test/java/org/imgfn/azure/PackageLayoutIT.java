package org.imgfn.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.imgfn.core.api.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The folder {@code mvn package} stages for {@code azure-functions:deploy}, read as Azure will read it. */
class PackageLayoutIT {
    static Path staging;

    @BeforeAll
    static void locate() {
        staging = Path.of(System.getProperty("staging.dir", "target/azure-functions/missing"));
        assertThat(staging).as("the staging folder azure-functions-maven-plugin writes in package").isDirectory();
    }

    private static JsonNode json(Path file) throws IOException {
        assertThat(file).isRegularFile();
        return Json.read(Files.readAllBytes(file));
    }

    @Test
    void hasTheTopLevelHostJson() throws IOException {
        JsonNode host = json(staging.resolve("host.json"));
        Path repoHost = Path.of(System.getProperty("repo.root", "..")).resolve("host.json");

        assertThat(host).isEqualTo(json(repoHost));
        assertThat(host.path("version").asText()).isEqualTo("2.0");
        assertThat(host.path("extensionBundle").path("version").asText()).startsWith("[4.");
        assertThat(host.path("extensions").path("http").path("routePrefix").asText()).isEqualTo("api");
        assertThat(host.path("extensions").path("http").path("maxConcurrentRequests").asInt()).isPositive();
        assertThat(host.path("extensions").path("http").path("maxOutstandingRequests").asInt()).isPositive();
        assertThat(host.path("functionTimeout").asText()).matches("00:0[0-9]:[0-5][0-9]");
    }

    @Test
    void declaresTheClassifyHttpTrigger() throws IOException {
        JsonNode function = json(staging.resolve("classify").resolve("function.json"));
        JsonNode trigger = function.path("bindings").get(0);
        JsonNode output = function.path("bindings").get(1);

        assertThat(function.path("entryPoint").asText()).isEqualTo("org.imgfn.azure.ClassifyFunction.run");
        assertThat(staging.resolve("classify").resolve(function.path("scriptFile").asText()).normalize()).isRegularFile();
        assertThat(trigger.path("type").asText()).isEqualTo("httpTrigger");
        assertThat(trigger.path("direction").asText()).isEqualTo("in");
        assertThat(trigger.path("route").asText()).isEqualTo("classify");
        assertThat(trigger.path("authLevel").asText()).isEqualToIgnoringCase("function");
        assertThat(trigger.path("dataType").asText()).isEqualTo("binary");
        List<String> methods = new ArrayList<>();
        trigger.path("methods").forEach(m -> methods.add(m.asText().toUpperCase()));
        assertThat(methods).containsExactlyInAnyOrder("GET", "POST");
        assertThat(output.path("type").asText()).isEqualTo("http");
        assertThat(output.path("direction").asText()).isEqualTo("out");
    }

    /** The default build ships ONNX Runtime with its linux-x64 natives only; libtorch only with -Ppytorch. */
    @Test
    void shipsTheCoreWithItsModelsAndOnlyLinuxOnnxRuntimeInLib() throws IOException {
        Path lib = staging.resolve("lib");
        List<String> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.map(p -> p.getFileName().toString()).toList();
        }

        assertThat(jars).anyMatch(j -> j.startsWith("classifier-core-"))
                .anyMatch(j -> j.startsWith("onnxruntime-engine-"))
                .anyMatch(j -> j.matches("onnxruntime-1\\.23\\.[0-9]+\\.jar"))
                .noneMatch(j -> j.startsWith("pytorch-"));
        Path core = lib.resolve(jars.stream().filter(j -> j.startsWith("classifier-core-")).findFirst().orElseThrow());
        try (ZipFile zip = new ZipFile(core.toFile())) {
            assertThat(zip.getEntry("models/mobilenet_v2.onnx")).isNotNull();
            assertThat(zip.getEntry("models/mobilenet_v2.pt")).isNotNull();
            assertThat(zip.getEntry("models/synset.txt")).isNotNull();
        }
        Path onnxRuntime = lib.resolve(jars.stream().filter(j -> j.matches("onnxruntime-1\\..*")).findFirst().orElseThrow());
        try (ZipFile zip = new ZipFile(onnxRuntime.toFile())) {
            List<String> natives = zip.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith("ai/onnxruntime/native/") && !name.endsWith("/")).toList();
            assertThat(natives).contains("ai/onnxruntime/native/linux-x64/libonnxruntime.so")
                    .allMatch(name -> name.startsWith("ai/onnxruntime/native/linux-x64/"));
        }
    }
}

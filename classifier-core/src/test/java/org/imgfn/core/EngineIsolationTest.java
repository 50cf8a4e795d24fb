package org.imgfn.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.imgfn.core.api.ClassifyRequest;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving the ONNX model never loads libtorch, though the PyTorch engine is on this classpath: checked
 * in a fresh JVM (this one has loaded it for other tests) by the libraries mapped into the process and
 * by what DJL extracted into its cache. The same probe on the PyTorch engine shows both, so the check
 * can fail.
 */
class EngineIsolationTest {
    @TempDir
    Path tmp;

    /** Classifies chelsea.png, then prints the top label, whether libtorch is mapped, and the DJL cache's files. */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            try (Classifier classifier = Classifier.open(ClassifierConfig.fromEnv(System.getenv()))) {
                String label = classifier.classify(new ClassifyRequest.FromBytes(Files.readAllBytes(Path.of(args[0])), 1))
                        .predictions().get(0).label();
                boolean libtorch = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                        .anyMatch(line -> line.contains("libtorch"));
                Path cache = Path.of(System.getenv("DJL_CACHE_DIR"));
                long cached;
                try (Stream<Path> files = Files.exists(cache) ? Files.walk(cache) : Stream.empty()) {
                    cached = files.filter(Files::isRegularFile).count();
                }
                System.out.println("label=" + label);
                System.out.println("libtorch=" + libtorch);
                System.out.println("cached=" + cached);
            }
        }
    }

    private Map<String, String> probe(String engine, Path djlCache) throws Exception {
        Path output = tmp.resolve(engine + ".out");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Probe.class.getName(),
                SharedFiles.image("chelsea.png").toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("CLASSIFIER_ENGINE", engine);
        builder.environment().put("DJL_CACHE_DIR", djlCache.toString());
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the probe finished").isTrue();
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("probe exit status; its output: %s", lines).isZero();
        return Map.of(
                "label", value(lines, "label="),
                "libtorch", value(lines, "libtorch="),
                "cached", value(lines, "cached="));
    }

    private static String value(List<String> lines, String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in the probe's output: " + lines));
    }

    @Test
    void onnxRuntimeServesWithoutLoadingOrExtractingLibtorch() throws Exception {
        Map<String, String> onnx = probe("onnxruntime", tmp.resolve("djl-cache"));

        assertThat(onnx.get("label")).isEqualTo("Egyptian cat");
        assertThat(onnx.get("libtorch")).as("libtorch mapped into the process").isEqualTo("false");
        assertThat(onnx.get("cached")).as("files DJL extracted to its cache").isEqualTo("0");
    }

    /** Uses DJL's usual cache, where the other tests have already unpacked libtorch. */
    @Test
    void thePyTorchEngineDoesMapLibtorch() throws Exception {
        String home = System.getenv().getOrDefault("DJL_CACHE_DIR", System.getProperty("user.home") + "/.djl.ai");
        Map<String, String> torch = probe("pytorch", Path.of(home));

        assertThat(torch.get("label")).isEqualTo("Egyptian cat");
        assertThat(torch.get("libtorch")).isEqualTo("true");
    }
}

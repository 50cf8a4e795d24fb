package org.imgfn.openfaas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imgfn.core.ClassifierConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** stack.yml, the dockerfile template and the Dockerfile, read against each other and against the code. */
class StackFileTest {
    /** faasd's gateway answers 504 after its own timeouts (read/write 60 s in faasd's docker-compose.yaml). */
    static final Duration FAASD_GATEWAY_TIMEOUT = Duration.ofSeconds(60);
    /** Queueing plus inference under load, on top of the download deadline. */
    static final Duration INFERENCE_ALLOWANCE = Duration.ofSeconds(10);

    static Path root;
    static JsonNode stack;
    static JsonNode function;

    @BeforeAll
    static void read() throws IOException {
        root = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        stack = yaml(root.resolve("stack.yml"));
        function = stack.path("functions").path("image-classifier");
    }

    private static JsonNode yaml(Path file) throws IOException {
        assertThat(file).as("%s", file).isRegularFile();
        return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    }

    @Test
    void declaresOneDockerfileFunctionForTheOpenfaasProvider() {
        assertThat(stack.path("provider").path("name").asText()).isEqualTo("openfaas");
        assertThat(stack.path("provider").path("gateway").asText()).isEqualTo("http://127.0.0.1:8080");
        assertThat(stack.path("functions").size()).isEqualTo(1);
        assertThat(function.path("lang").asText()).isEqualTo("dockerfile");
        assertThat(function.path("image").asText()).contains("${REGISTRY").endsWith("/image-classifier:${TAG:-0.1.0}");
    }

    /** The image's watchdog is the release the *IT tests run the function behind (the pom's of-watchdog.version). */
    @Test
    void theImageUsesTheWatchdogTheTestsRun() throws IOException {
        String from = Files.readAllLines(root.resolve("openfaas-function/Dockerfile")).stream()
                .filter(line -> line.startsWith("FROM ghcr.io/openfaas/of-watchdog:")).findFirst().orElseThrow();
        String version = from.split("[: ]")[2];

        assertThat(System.getProperty("of.watchdog")).as("the binary the tests use (-Dof.watchdog)")
                .endsWith("/of-watchdog-" + version);
    }

    @Test
    void hasTheHandlerFolderItsDockerfileAndTheCommittedTemplate() throws IOException {
        Path handler = root.resolve(function.path("handler").asText()).normalize();

        assertThat(handler).isDirectory();
        assertThat(handler.resolve("Dockerfile")).isRegularFile();
        assertThat(yaml(root.resolve("template/dockerfile/template.yml")).path("language").asText()).isEqualTo("dockerfile");
    }

    @Test
    void givesTheDockerBuildEverythingItCopies() throws IOException {
        List<Path> context = new ArrayList<>();
        stack.path("configuration").path("copy").forEach(p -> context.add(root.resolve(p.asText()).normalize()));
        context.forEach(p -> assertThat(p).as("configuration.copy entry").exists());
        Path handler = root.resolve(function.path("handler").asText()).normalize();

        for (String source : dockerfileCopySources(handler.resolve("Dockerfile"))) {
            Path asCopied = root.resolve(source).normalize();
            Path inHandler = handler.resolve(source).normalize();
            boolean copied = context.stream().anyMatch(asCopied::startsWith) && Files.exists(asCopied);
            assertThat(copied || Files.exists(inHandler)).as("COPY %s has its source in the build context", source).isTrue();
        }
    }

    @Test
    void keepsTheTimeoutsInOrder() throws IOException {
        JsonNode env = function.path("environment");
        Duration download = ClassifierConfig.fromEnv(Map.of("CLASSIFIER_DOWNLOAD_TIMEOUT_MS",
                env.path("CLASSIFIER_DOWNLOAD_TIMEOUT_MS").asText("15000"))).fetch().downloadTimeout();
        Duration exec = goDuration(env.path("exec_timeout").asText());
        Duration write = goDuration(env.path("write_timeout").asText());
        Duration read = goDuration(env.path("read_timeout").asText());

        assertThat(exec).isGreaterThanOrEqualTo(download.plus(INFERENCE_ALLOWANCE));
        assertThat(write).isGreaterThanOrEqualTo(exec);
        assertThat(read).isGreaterThanOrEqualTo(exec);
        assertThat(write).isLessThan(FAASD_GATEWAY_TIMEOUT);
        assertThat(read).isLessThan(FAASD_GATEWAY_TIMEOUT);
    }

    @Test
    void dockerfileDefaultsAgreeWithTheStack() throws IOException {
        Map<String, String> dockerEnv = dockerfileEnv(root.resolve("openfaas-function/Dockerfile"));

        for (String key : List.of("exec_timeout", "write_timeout", "read_timeout", "healthcheck_interval")) {
            assertThat(dockerEnv).containsEntry(key, function.path("environment").path(key).asText());
        }
        assertThat(dockerEnv).containsEntry("mode", "http")
                .containsEntry("upstream_url", "http://127.0.0.1:8082")
                .containsEntry("ready_path", "/_/health")
                .containsEntry("SERVER_PORT", "8082")
                .containsEntry("DJL_OFFLINE", "true");
        assertThat(dockerEnv.get("fprocess")).startsWith("java ").contains("-jar /home/app/function.jar");
    }

    /**
     * Peak RSS measured at 100 concurrent requests (docs/performance.md), of the larger build (ENGINE=pytorch;
     * ONNX Runtime's peaks at ~490), and the headroom the limit keeps above it.
     */
    static final long MEASURED_PEAK_RSS_MIB = 690;
    static final double MEMORY_HEADROOM = 0.3;

    @Test
    void limitsNoLessThanItRequestsAndTheMeasuredPeakPlusHeadroom() {
        long memoryRequest = mebibytes(function.path("requests").path("memory").asText());
        long memoryLimit = mebibytes(function.path("limits").path("memory").asText());
        long cpuRequest = millicores(function.path("requests").path("cpu").asText());
        long cpuLimit = millicores(function.path("limits").path("cpu").asText());

        assertThat(memoryLimit).isGreaterThanOrEqualTo(memoryRequest);
        assertThat(cpuLimit).isGreaterThanOrEqualTo(cpuRequest);
        assertThat(memoryLimit).isGreaterThanOrEqualTo(Math.round(MEASURED_PEAK_RSS_MIB * (1 + MEMORY_HEADROOM)));
        assertThat(memoryRequest).as("at least the RSS at ready, ~305 MiB").isGreaterThanOrEqualTo(305);
    }

    /** The labels faas-netes refuses for Community Edition (pkg/handlers/validate.go), and its replica limit. */
    static final List<String> PRO_ONLY_LABELS = List.of("com.openfaas.scale.type", "com.openfaas.scale.target",
            "com.openfaas.scale.zero-duration");
    static final int CE_MAX_REPLICAS = 5;

    @Test
    void stackUsesOnlyWhatCommunityEditionAccepts() {
        JsonNode labels = function.path("labels");
        int min = labels.path("com.openfaas.scale.min").asInt(-1);
        int max = labels.path("com.openfaas.scale.max").asInt(-1);

        PRO_ONLY_LABELS.forEach(label -> assertThat(labels.has(label)).as(label).isFalse());
        assertThat(labels.path("com.openfaas.scale.zero").asText("false")).isEqualTo("false");
        assertThat(min).isBetween(1, CE_MAX_REPLICAS);
        assertThat(max).isBetween(min, CE_MAX_REPLICAS);
    }

    /** Readiness through the annotation that sets readiness; liveness stays on the watchdog's /_/health. */
    @Test
    void readinessAsksTheWatchdogWhichAsksTheModel() {
        JsonNode annotations = function.path("annotations");

        assertThat(annotations.path("com.openfaas.ready.http.path").asText()).isEqualTo("/_/ready");
        assertThat(annotations.has("com.openfaas.health.http.path")).as("no custom liveness path").isFalse();
    }

    /** stack.pro.yml is stack.yml plus the Pro autoscaler's labels, scaling on in-flight requests. */
    @Test
    void proStackAddsOnlyTheAutoscalerLabels() throws IOException {
        JsonNode pro = yaml(root.resolve("stack.pro.yml"));
        JsonNode proFunction = pro.path("functions").path("image-classifier");
        JsonNode labels = proFunction.path("labels");
        int min = labels.path("com.openfaas.scale.min").asInt(-1);
        int max = labels.path("com.openfaas.scale.max").asInt(-1);
        int target = labels.path("com.openfaas.scale.target").asInt(-1);
        double proportion = labels.path("com.openfaas.scale.target-proportion").asDouble(-1);

        assertThat(labels.path("com.openfaas.scale.type").asText()).isEqualTo("capacity");
        assertThat(min).isGreaterThanOrEqualTo(1);
        assertThat(max).isGreaterThanOrEqualTo(min);
        assertThat(target).as("in-flight requests per replica").isBetween(1, 64 * cpuCores());
        assertThat(proportion).isGreaterThan(0).isLessThanOrEqualTo(1);
        ObjectNode withoutLabels = ((ObjectNode) pro.deepCopy());
        ((ObjectNode) withoutLabels.path("functions").path("image-classifier")).remove("labels");
        ObjectNode ceWithoutLabels = ((ObjectNode) stack.deepCopy());
        ((ObjectNode) ceWithoutLabels.path("functions").path("image-classifier")).remove("labels");
        assertThat(withoutLabels).as("stack.pro.yml but for its labels").isEqualTo(ceWithoutLabels);
    }

    private static int cpuCores() {
        return (int) Math.ceil(millicores(function.path("limits").path("cpu").asText()) / 1000.0);
    }

    private static long millicores(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(m?)").matcher(quantity);
        assertThat(m.matches()).as("a CPU quantity like 1000m or 2: '%s'", quantity).isTrue();
        return Long.parseLong(m.group(1)) * (m.group(2).isEmpty() ? 1000 : 1);
    }

    private static List<String> dockerfileCopySources(Path dockerfile) throws IOException {
        List<String> sources = new ArrayList<>();
        for (String line : Files.readAllLines(dockerfile)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("COPY ") && !trimmed.contains("--from=")) {
                String[] parts = trimmed.split("\\s+");
                for (int i = 1; i < parts.length - 1; i++) {
                    sources.add(parts[i]);
                }
            }
        }
        assertThat(sources).isNotEmpty();
        return sources;
    }

    /** The {@code ENV} assignments of a Dockerfile, continuation lines joined. */
    private static Map<String, String> dockerfileEnv(Path dockerfile) throws IOException {
        String joined = Files.readString(dockerfile).replace("\\\n", " ");
        Map<String, String> env = new HashMap<>();
        Pattern assignment = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"([^\"]*)\"|([A-Za-z_][A-Za-z0-9_]*)=(\\S+)");
        for (String line : joined.split("\n")) {
            if (line.startsWith("ENV ")) {
                Matcher m = assignment.matcher(line.substring(4));
                while (m.find()) {
                    env.put(m.group(1) != null ? m.group(1) : m.group(3), m.group(1) != null ? m.group(2) : m.group(4));
                }
            }
        }
        return env;
    }

    private static Duration goDuration(String text) {
        Matcher m = Pattern.compile("(?:(\\d+)m)?(?:(\\d+)s)?").matcher(text);
        assertThat(m.matches() && !text.isEmpty()).as("a Go duration like 30s or 1m5s: '%s'", text).isTrue();
        long minutes = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        long seconds = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        return Duration.ofMinutes(minutes).plusSeconds(seconds);
    }

    private static long mebibytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Mi|Gi)").matcher(quantity);
        assertThat(m.matches()).as("a memory quantity like 768Mi: '%s'", quantity).isTrue();
        return Long.parseLong(m.group(1)) * (m.group(2).equals("Gi") ? 1024 : 1);
    }
}

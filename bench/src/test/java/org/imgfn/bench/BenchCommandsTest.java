package org.imgfn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.imgfn.core.ClassifierConfig;
import org.imgfn.core.testing.LoopbackServer;
import org.imgfn.openfaas.FunctionServer;
import org.imgfn.openfaas.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every subcommand against the real function server on loopback, with short durations; asserts on the files. */
class BenchCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static LoopbackServer images;
    static FunctionServer function;
    static String target;
    static String image;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        images = new LoopbackServer();
        function = FunctionServer.start(ServerConfig.fromEnv(Map.of("SERVER_PORT", "0", "SERVER_MAX_INFLIGHT", "64", "SERVER_SHUTDOWN_GRACE_SECONDS", "5")),
                ClassifierConfig.fromEnv(Map.of("CLASSIFIER_ALLOW_PRIVATE_NETWORKS", "true")));
        function.whenReady().get();
        target = "http://127.0.0.1:" + function.port() + "/";
        image = images.url("/images/horse.png");
    }

    @AfterAll
    static void stop() {
        function.close();
        images.close();
    }

    private static JsonNode summary(Path folder) throws IOException {
        return JSON.readTree(folder.resolve("summary.json").toFile());
    }

    private static List<Sample> requests(Path folder) throws IOException {
        return ReportCommand.readSamples(folder);
    }

    private static void assertPng(Path file) throws IOException {
        assertThat(file).isRegularFile();
        BufferedImage png = ImageIO.read(file.toFile());
        assertThat(png).as("%s decodes", file).isNotNull();
        assertThat(png.getWidth()).isEqualTo(Charts.WIDTH);
        assertThat(png.getHeight()).isEqualTo(Charts.HEIGHT);
    }

    private static void assertOrderedPercentiles(JsonNode s) {
        assertThat(s.path("minMs").asDouble()).isLessThanOrEqualTo(s.path("medianMs").asDouble());
        assertThat(s.path("medianMs").asDouble()).isLessThanOrEqualTo(s.path("p90Ms").asDouble());
        assertThat(s.path("p90Ms").asDouble()).isLessThanOrEqualTo(s.path("p95Ms").asDouble());
        assertThat(s.path("p95Ms").asDouble()).isLessThanOrEqualTo(s.path("p99Ms").asDouble());
        assertThat(s.path("p99Ms").asDouble()).isLessThanOrEqualTo(s.path("maxMs").asDouble() + 0.01);
    }

    @Test
    void loadWritesEveryRequestASummaryAndPlots() throws IOException {
        Path out = tmp.resolve("load");
        int status = BenchCli.run("load", "--target", target, "--image-url", image, "--users", "4", "--spawn-rate", "8",
                "--duration", "3s", "--method", "post-bytes", "--out", out.toString());

        assertThat(status).isZero();
        List<Sample> samples = requests(out);
        assertThat(samples).isNotEmpty().allSatisfy(s -> {
            assertThat(s.status()).isEqualTo(200);
            assertThat(s.totalMs()).isPositive();
            assertThat(s.inferenceMs()).isPositive();
            assertThat(s.scenario()).isEqualTo("4u-spawn8");
        });
        JsonNode all = summary(out).path("summaries").get(0);
        assertThat(all.path("requests").asLong()).isEqualTo(samples.size());
        assertThat(all.path("failures").asLong()).isZero();
        assertThat(all.path("rps").asDouble()).isPositive();
        assertOrderedPercentiles(all);
        assertThat(Files.readAllLines(out.resolve("summary.csv"))).hasSize(2);
        assertPng(out.resolve("latency-over-time.png"));
        assertPng(out.resolve("rps-over-time.png"));
    }

    @Test
    void loadPresetsAreTheStudysScenariosAndFailuresAreCounted() throws IOException {
        Path out = tmp.resolve("preset");
        int status = BenchCli.run("load", "--target", target, "--image-url", images.url("/images/truncated.jpg"),
                "--scenario", "1user", "--requests", "5", "--duration", "30s", "--out", out.toString());

        assertThat(status).isZero();
        assertThat(requests(out)).hasSize(5).allSatisfy(s -> {
            assertThat(s.scenario()).isEqualTo("1user");
            assertThat(s.status()).isEqualTo(422);
            assertThat(s.errorCode()).isEqualTo("CORRUPT_IMAGE");
        });
        assertThat(summary(out).path("summaries").get(0).path("failures").asLong()).isEqualTo(5);
    }

    @Test
    void rampCountsResponsesPerLevelOverRepeats() throws IOException {
        Path out = tmp.resolve("ramp");
        int status = BenchCli.run("ramp", "--target", target, "--image-url", image, "--max-clients", "3",
                "--step", "700ms", "--repeats", "2", "--out", out.toString());

        assertThat(status).isZero();
        List<String> levels = Files.readAllLines(out.resolve("ramp.csv"));
        assertThat(levels).hasSize(1 + 2 * 3);
        for (String line : levels.subList(1, levels.size())) {
            String[] f = line.split(",");
            assertThat(Long.parseLong(f[2])).as("responses at %s clients", f[1]).isPositive();
            assertThat(Double.parseDouble(f[4])).isPositive();
        }
        JsonNode means = summary(out).path("levels");
        assertThat(means).hasSize(3);
        assertThat(means.get(2).path("clients").asInt()).isEqualTo(3);
        assertThat(means.get(0).path("repeats").asInt()).isEqualTo(2);
        assertPng(out.resolve("ramp.png"));
    }

    @Test
    void coldstartRequestsAfterEachIdlePeriod() throws IOException {
        Path out = tmp.resolve("cold");
        int status = BenchCli.run("coldstart", "--target", target, "--image-url", image, "--idle", "200ms,500ms",
                "--out", out.toString());

        assertThat(status).isZero();
        List<String> rows = Files.readAllLines(out.resolve("coldstart.csv"));
        assertThat(rows).hasSize(1 + 3);
        assertThat(rows.get(1)).startsWith("0.0,");
        assertThat(rows.get(3)).startsWith("0.5,");
        assertThat(requests(out)).hasSize(3).allSatisfy(s -> assertThat(s.coldStart()).isNotNull());
        assertPng(out.resolve("coldstart.png"));
    }

    @Test
    void coldstartSpawnTimesProcessStartToFirstAnswer() throws IOException {
        Path out = tmp.resolve("spawn");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int port = freePort();
        String command = "SERVER_PORT=" + port + " CLASSIFIER_ALLOW_PRIVATE_NETWORKS=true "
                + "DJL_OFFLINE=true exec " + java + " -cp '" + System.getProperty("java.class.path") + "' "
                + FunctionServer.class.getName();
        int status = BenchCli.run("coldstart", "--target", "http://127.0.0.1:" + port + "/", "--image-url", image,
                "--spawn", command, "--runs", "2", "--ready-timeout", "120s", "--out", out.toString());

        assertThat(status).isZero();
        List<String> rows = Files.readAllLines(out.resolve("spawn.csv"));
        assertThat(rows).hasSize(3);
        for (String row : rows.subList(1, 3)) {
            String[] f = row.split(",");
            assertThat(Double.parseDouble(f[1])).as("start to answer ms").isPositive();
            assertThat(Double.parseDouble(f[2])).as("RSS MB").isGreaterThan(50);
            assertThat(f[3]).isEqualTo("200");
        }
        assertThat(requests(out)).allSatisfy(s -> assertThat(s.coldStart()).isTrue());
        assertPng(out.resolve("spawn.png"));
    }

    @Test
    void sweepBreaksLatencyDownBySize() throws IOException {
        Path out = tmp.resolve("sweep");
        int status = BenchCli.run("sweep", "--target", target, "--sizes", "256,640", "--requests-per-size", "2",
                "--out", out.toString());

        assertThat(status).isZero();
        List<String> rows = Files.readAllLines(out.resolve("sweep.csv"));
        assertThat(rows).hasSize(3);
        String[] small = rows.get(1).split(",");
        String[] large = rows.get(2).split(",");
        assertThat(small[0]).isEqualTo("256");
        assertThat(Long.parseLong(large[2])).isGreaterThan(Long.parseLong(small[2]));
        for (String[] row : List.of(small, large)) {
            assertThat(Double.parseDouble(row[3])).as("network").isPositive();
            assertThat(Double.parseDouble(row[4])).as("cpu").isPositive();
            assertThat(Double.parseDouble(row[5])).as("inference").isPositive();
            assertThat(row[8]).as("failures").isEqualTo("0");
        }
        assertPng(out.resolve("sweep-breakdown.png"));
        assertPng(out.resolve("sweep-total.png"));
    }

    @Test
    void reportPutsEveryTargetSideBySide() throws IOException {
        Path local = tmp.resolve("local");
        Path other = tmp.resolve("other");
        assertThat(BenchCli.run("load", "--target", target, "--image-url", image, "--requests", "4", "--duration", "20s",
                "--out", local.resolve("load").toString())).isZero();
        assertThat(BenchCli.run("sweep", "--target", target, "--sizes", "256", "--requests-per-size", "1",
                "--out", local.resolve("sweep").toString())).isZero();
        assertThat(BenchCli.run("load", "--target", target, "--image-url", image, "--users", "2", "--requests", "4",
                "--duration", "20s", "--out", other.resolve("load").toString())).isZero();
        Path report = tmp.resolve("report");

        int status = BenchCli.run("report", local.toString(), other.toString(), "--out", report.toString());

        assertThat(status).isZero();
        String md = Files.readString(report.resolve("report.md"));
        assertThat(md).contains("| local | load |", "| other | 2u-spawn1 |", "The study's published figures",
                "Cost per million requests", "Latency breakdown by image size", "| local | 256² |");
        assertThat(Files.list(report.resolve("img")).count()).isGreaterThanOrEqualTo(5);
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package org.imgfn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.imgfn.core.ClassifierConfig;
import org.imgfn.core.testing.LoopbackServer;
import org.imgfn.openfaas.FunctionServer;
import org.imgfn.openfaas.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code load --distinct-images} against the function with a result cache of {@value #CACHE} entries, and
 * the built-in image server's versions: with one user the order is exact, so LRU's hits can be counted.
 */
class DistinctImagesTest {
    static final int CACHE = 4;
    static ImageServer images;
    static FunctionServer function;
    static String target;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        images = new ImageServer(null);
        function = FunctionServer.start(ServerConfig.fromEnv(Map.of("SERVER_PORT", "0", "SERVER_MAX_INFLIGHT", "8", "SERVER_SHUTDOWN_GRACE_SECONDS", "5")),
                ClassifierConfig.fromEnv(Map.of("CLASSIFIER_ALLOW_PRIVATE_NETWORKS", "true",
                        "CLASSIFIER_RESULT_CACHE_ENTRIES", Integer.toString(CACHE))));
        function.whenReady().get();
        target = "http://127.0.0.1:" + function.port() + "/";
    }

    @AfterAll
    static void stop() {
        function.close();
        images.close();
    }

    private long cachedAnswers(int distinct, int requests, String size) throws IOException {
        Path out = tmp.resolve(distinct + "-" + size);
        int status = BenchCli.run("load", "--target", target, "--image-url", images.url("/synthetic/" + size + ".jpg"),
                "--distinct-images", Integer.toString(distinct), "--requests", Integer.toString(requests),
                "--duration", "60s", "--out", out.toString());
        assertThat(status).isZero();
        List<Sample> samples = ReportCommand.readSamples(out);
        assertThat(samples).hasSize(requests).allSatisfy(s -> assertThat(s.status()).isEqualTo(200));
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.path("distinctImages").asInt()).isEqualTo(distinct);
        long cached = summary.path("summaries").get(0).path("cached").asLong();
        assertThat(cached).isEqualTo(samples.stream().filter(s -> Boolean.TRUE.equals(s.cached())).count());
        return cached;
    }

    @Test
    void imagesThatFitTheCacheAreAllHitsAfterTheirFirstRound() throws IOException {
        assertThat(cachedAnswers(3, 12, "48")).isEqualTo(12 - 3);
    }

    @Test
    void moreImagesInTurnThanTheCacheHoldsAreNeverHits() throws IOException {
        assertThat(cachedAnswers(CACHE + 2, 18, "40")).isZero();
    }

    @Test
    void theImageServerConfirmsAnUnchangedImage() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI variant = URI.create(images.url("/synthetic/32.jpg?variant=7"));
        HttpResponse<byte[]> first = client.send(HttpRequest.newBuilder(variant).build(), HttpResponse.BodyHandlers.ofByteArray());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = client.send(HttpRequest.newBuilder(variant).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> other = client.send(HttpRequest.newBuilder(URI.create(images.url("/synthetic/32.jpg?variant=8")))
                .build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(other.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
    }

    @Test
    void refusesDistinctImagesFromAServerThatIgnoresVariants() {
        try (LoopbackServer plain = new LoopbackServer()) {
            int status = BenchCli.run("load", "--target", target, "--image-url", plain.url("/images/horse.png"),
                    "--distinct-images", "2", "--requests", "2", "--out", tmp.resolve("plain").toString());

            assertThat(status).isNotZero();
        }
    }
}

package org.imgfn.openfaas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.imgfn.core.Classifier;
import org.imgfn.core.ClassifierConfig;
import org.imgfn.core.model.ModelRuntime;
import org.imgfn.core.testing.LoopbackServer;
import org.imgfn.core.testing.SharedFiles;
import org.imgfn.core.testing.TestClassifiers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The server alone, in-process, on a real loopback port, with the real model. */
class FunctionServerTest {
    static final long MAX_BODY = 1_000_000;
    static LoopbackServer images;
    static FunctionServer server;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        images = new LoopbackServer();
        images.route("/slow.png", LoopbackServer.delayed(Duration.ofMillis(1500),
                LoopbackServer.body("image/png", SharedFiles.imageBytes("horse.png"))));
        ClassifierConfig config = ClassifierConfig.fromEnv(Map.of(
                "CLASSIFIER_ALLOW_PRIVATE_NETWORKS", "true", "CLASSIFIER_MAX_IMAGE_BYTES", Long.toString(MAX_BODY)));
        server = FunctionServer.start(ServerConfig.fromEnv(Map.of("SERVER_PORT", "0", "SERVER_MAX_INFLIGHT", "4", "SERVER_SHUTDOWN_GRACE_SECONDS", "5")), config);
        base = "http://127.0.0.1:" + server.port();
        server.whenReady().get();
    }

    @AfterAll
    static void stop() {
        server.close();
        images.close();
    }

    static List<String> images() {
        return SharedFiles.IMAGES;
    }

    private static String expectedTop(String image) {
        return SharedFiles.expected(image, "float").get(0).label();
    }

    @ParameterizedTest
    @MethodSource("images")
    void classifiesByQueryJsonAndBytesAlike(String image) {
        String url = images.url("/images/" + image);
        Http.Answer byQuery = Http.get(base + "/?url=" + Http.encode(url));
        Http.Answer byJson = Http.postJson(base + "/", "{\"url\":\"" + url + "\"}");
        Http.Answer byBytes = Http.postBytes(base + "/", "application/octet-stream", SharedFiles.imageBytes(image));

        for (Http.Answer answer : List.of(byQuery, byJson, byBytes)) {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.contentType()).isEqualTo("application/json");
            assertThat(answer.topLabel()).isEqualTo(expectedTop(image));
        }
        assertThat(byBytes.json().path("predictions")).isEqualTo(byQuery.json().path("predictions"));
        assertThat(byBytes.json().path("image").has("url")).isFalse();
        assertThat(byBytes.json().path("timings_ms").path("network").asDouble()).as("no download").isZero();
        assertThat(byQuery.serverTiming()).as("Server-Timing")
                .matches("network;dur=[0-9.]+, cpu;dur=[0-9.]+, inference;dur=[0-9.]+, total;dur=[0-9.]+");
    }

    @Test
    void acceptsAChunkedBinaryBodyByteForByte() {
        Http.Answer answer = Http.postChunked(base + "/?top=5", "image/png", SharedFiles.imageBytes("horse.png"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("predictions")).hasSize(5);
        assertThat(answer.json().path("image").path("bytes").asLong()).isEqualTo(SharedFiles.imageBytes("horse.png").length);
        assertThat(answer.topLabel()).isEqualTo(expectedTop("horse.png"));
    }

    @Test
    void refusesBodiesOverTheCapWithOrWithoutLength() {
        byte[] big = new byte[(int) MAX_BODY + 1];

        assertThat(Http.postBytes(base + "/", "image/png", big).errorCode()).isEqualTo("REQUEST_TOO_LARGE");
        Http.Answer chunked = Http.postChunked(base + "/", "image/png", big);
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.errorCode()).isEqualTo("REQUEST_TOO_LARGE");
    }

    @Test
    void answersJson404ForUnknownPathsAnd405ForOtherMethods() {
        Http.Answer missing = Http.get(base + "/classify/nope");
        Http.Answer put = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("x")));

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.errorCode()).isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void reportsEveryRefusalAsJsonWithItsStatus() {
        assertThat(Http.get(base + "/").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(Http.get(base + "/?url=ftp://x/y.png").status()).isEqualTo(400);
        assertThat(Http.get(base + "/?url=" + Http.encode(images.url("/images/truncated.jpg"))).status()).isEqualTo(422);
        assertThat(Http.postJson(base + "/", "{nope").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(Http.postBytes(base + "/", "text/plain", "hello".getBytes()).status()).isEqualTo(415);
    }

    @Test
    void isHealthyOnceLoadedAndExposesPrometheusMetrics() {
        Http.get(base + "/?url=" + Http.encode(images.url("/images/chelsea.png")));
        Http.get(base + "/");
        Http.Answer health = Http.get(base + "/_/health");
        Http.Answer metrics = Http.get(base + "/metrics");
        String text = new String(metrics.body());

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asText()).isEqualTo("ready");
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(text).contains("imgfn_requests_total{status=\"200\"}", "imgfn_requests_total{status=\"400\"}",
                "imgfn_errors_total{code=\"INVALID_REQUEST\"}", "imgfn_request_duration_seconds_bucket{le=\"+Inf\"}",
                "imgfn_request_duration_seconds_count", "imgfn_inflight_requests 0");
    }

    private static long clientGoneCount() {
        String metrics = new String(Http.get(base + "/metrics").body(), StandardCharsets.UTF_8);
        return metrics.lines().filter(line -> line.startsWith("imgfn_errors_total{code=\"CLIENT_GONE\"}"))
                .mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** A client hangs up while its image downloads: the request is dropped before its decoding and inference. */
    @Test
    void dropsTheWorkOfAClientThatHungUp() throws Exception {
        long before = clientGoneCount();
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            client.getOutputStream().write(("GET /?url=" + Http.encode(images.url("/slow.png")) + " HTTP/1.1\r\n"
                    + "Host: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            FunctionProcess.sleep(300);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (clientGoneCount() == before) {
            assertThat(System.nanoTime()).as("the dropped request shows in the metrics within 10 s").isLessThan(deadline);
            FunctionProcess.sleep(100);
        }
        assertThat(clientGoneCount()).isEqualTo(before + 1);
    }

    @Test
    void refusesWorkBeyondTheInflightLimitAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Http.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> Http.get(base + "/?url=" + Http.encode(images.url("/slow.png")))));
            }
            int overloaded = 0;
            for (Future<Http.Answer> answer : answers) {
                Http.Answer a = answer.get();
                if (a.status() == 503) {
                    assertThat(a.errorCode()).isEqualTo("OVERLOADED");
                    assertThat(a.retryAfter()).isEqualTo("1");
                    overloaded++;
                } else {
                    assertThat(a.status()).as("a request within the limit").isEqualTo(200);
                    assertThat(a.topLabel()).isEqualTo(expectedTop("horse.png"));
                }
            }
            assertThat(overloaded).isEqualTo(4);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesLoopbackImagesWithTheDefaultGuard() throws Exception {
        try (FunctionServer guarded = FunctionServer.start(ServerConfig.fromEnv(Map.of("SERVER_PORT", "0", "SERVER_MAX_INFLIGHT", "4", "SERVER_SHUTDOWN_GRACE_SECONDS", "1")),
                ClassifierConfig.fromEnv(Map.of()))) {
            guarded.whenReady().get();
            Http.Answer answer = Http.get("http://127.0.0.1:" + guarded.port() + "/?url="
                    + Http.encode(images.url("/images/chelsea.png")));

            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.errorCode()).isEqualTo("ADDRESS_NOT_ALLOWED");
        }
    }

    /** The model comes from a loopback URL that never answers, so it stays loading. */
    @Test
    void whileTheModelLoadsHealthIsNotReadyAndRequestsWaitForItUpToTheLimit() {
        try (LoopbackServer models = new LoopbackServer()) {
            models.route("/model.onnx", LoopbackServer.stallBeforeHeaders(Duration.ofSeconds(30)));
            ClassifierConfig config = ClassifierConfig.fromEnv(Map.of("CLASSIFIER_ALLOW_PRIVATE_NETWORKS", "true",
                    "CLASSIFIER_MODEL", models.url("/model.onnx"), "CLASSIFIER_MODEL_WAIT_MS", "300"));
            try (Classifier loading = Classifier.open(config);
                    HandlerServer front = new HandlerServer(new FunctionHandler(loading, MAX_BODY, 4))) {
                Http.Answer health = Http.get(front.url("/_/health"));
                Http.Answer classify = Http.get(front.url("/?url=" + Http.encode(images.url("/images/horse.png"))));

                assertThat(health.status()).isEqualTo(503);
                assertThat(classify.status()).isEqualTo(503);
                assertThat(classify.errorCode()).isEqualTo("NOT_READY");
                assertThat(new String(classify.body())).contains("CLASSIFIER_MODEL_WAIT_MS");
                assertThat(classify.retryAfter()).isEqualTo("1");
            }
        }
    }

    /** A client sending its body slowly holds a thread, not the one in-flight permit. */
    @Test
    void aSlowBodyDoesNotTakeTheInflightPermitWhileItArrives() throws Exception {
        try (HandlerServer front = new HandlerServer(new FunctionHandler(TestClassifiers.get("mobilenet_v2"), MAX_BODY, 1))) {
            try (Socket slow = new Socket("127.0.0.1", front.port())) {
                OutputStream out = slow.getOutputStream();
                out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                FunctionProcess.sleep(300);

                Http.Answer other = Http.postBytes(front.url("/"), "image/png", SharedFiles.imageBytes("horse.png"));

                assertThat(other.status()).isEqualTo(200);
            }
        }
    }

    /**
     * Shutting down answers the requests that were accepted but still waited for a thread: here every
     * thread is held by a slow body when three more requests arrive and the server is told to stop.
     */
    @Test
    void shutdownAnswersRequestsStillQueuedForAThread() throws Exception {
        FunctionServer small = FunctionServer.start(ServerConfig.fromEnv(Map.of("SERVER_PORT", "0", "SERVER_MAX_INFLIGHT", "1", "SERVER_SHUTDOWN_GRACE_SECONDS", "20")),
                ClassifierConfig.fromEnv(Map.of("CLASSIFIER_ALLOW_PRIVATE_NETWORKS", "true")));
        small.whenReady().get();
        String url = "http://127.0.0.1:" + small.port() + "/";
        List<Socket> slow = new ArrayList<>();
        ExecutorService clients = Executors.newCachedThreadPool();
        try {
            for (int i = 0; i < 1 + 16; i++) {
                Socket socket = new Socket("127.0.0.1", small.port());
                socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n").getBytes(StandardCharsets.US_ASCII));
                slow.add(socket);
            }
            FunctionProcess.sleep(500);
            List<Future<Http.Answer>> queued = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                queued.add(clients.submit(() -> Http.postBytes(url, "image/png", SharedFiles.imageBytes("horse.png"))));
            }
            FunctionProcess.sleep(500);
            Future<?> closing = clients.submit(small::close);
            FunctionProcess.sleep(300);
            for (Socket socket : slow) {
                socket.getOutputStream().write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }

            List<Http.Answer> answers = new ArrayList<>();
            for (Future<Http.Answer> answer : queued) {
                answers.add(answer.get());
            }
            // Every one is answered, none dropped. With one in-flight permit shared with the slow requests
            // finishing at the same moment, which of them gets classified and which is told to retry varies.
            assertThat(answers).allSatisfy(a -> assertThat(a.status()).isIn(200, 503));
            answers.stream().filter(a -> a.status() == 503).forEach(a -> assertThat(a.errorCode()).isEqualTo("OVERLOADED"));
            closing.get();
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
            clients.shutdownNow();
            small.close();
        }
    }

    @Test
    void aModelThatFailedToLoadMakesHealthAndClassificationsNotReady() {
        ClassifierConfig config = ClassifierConfig.fromEnv(Map.of("CLASSIFIER_ALLOW_PRIVATE_NETWORKS", "true",
                "CLASSIFIER_MODEL", "/nonexistent/model.onnx", "CLASSIFIER_MODEL_RETRY_MS", "60000"));
        try (Classifier failing = Classifier.open(config);
                HandlerServer front = new HandlerServer(new FunctionHandler(failing, MAX_BODY, 4))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (failing.runtime().state() != ModelRuntime.State.FAILED) {
                assertThat(System.nanoTime()).as("the load fails within 30 s").isLessThan(deadline);
                FunctionProcess.sleep(20);
            }
            Http.Answer health = Http.get(front.url("/_/health"));
            Http.Answer classify = Http.postBytes(front.url("/"), "image/png", SharedFiles.imageBytes("horse.png"));

            assertThat(health.status()).isEqualTo(503);
            assertThat(new String(health.body())).contains("could not be loaded");
            assertThat(classify.status()).isEqualTo(503);
            assertThat(classify.errorCode()).isEqualTo("NOT_READY");
            assertThat(new String(classify.body())).contains("model file not found");
        }
    }

    @Test
    void answersARequestMadeWhileTheModelIsStillLoading() {
        ClassifierConfig config = ClassifierConfig.fromEnv(Map.of("CLASSIFIER_ALLOW_PRIVATE_NETWORKS", "true"));
        try (Classifier loading = Classifier.open(config);
                HandlerServer front = new HandlerServer(new FunctionHandler(loading, MAX_BODY, 4))) {
            Http.Answer classify = Http.get(front.url("/?url=" + Http.encode(images.url("/images/horse.png"))));

            assertThat(classify.status()).isEqualTo(200);
            assertThat(new String(classify.body())).contains("\"cold_start\":true", expectedTop("horse.png"));
        }
    }
}

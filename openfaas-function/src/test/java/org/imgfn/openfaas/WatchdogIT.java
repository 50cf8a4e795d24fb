package org.imgfn.openfaas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.imgfn.core.testing.LoopbackServer;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The packaged jar forked by the real of-watchdog, every request going through the watchdog's port. */
@Tag(SharedFiles.SHARED_TAG)
class WatchdogIT {
    static final long MAX_BODY = 2_000_000;
    static LoopbackServer images;
    static FunctionProcess function;

    @BeforeAll
    static void start() {
        images = new LoopbackServer();
        images.route("/missing.png", LoopbackServer.status(404))
                .route("/page.html", LoopbackServer.body("text/html", "<!doctype html><html>hi</html>".getBytes()));
        function = FunctionProcess.behindWatchdog("watchdog", Map.of("CLASSIFIER_MAX_IMAGE_BYTES", Long.toString(MAX_BODY)));
    }

    @AfterAll
    static void stop() {
        function.close();
        images.close();
    }

    static List<String> images() {
        return SharedFiles.IMAGES;
    }

    private static String imageUrl(String image) {
        return images.url("/images/" + image);
    }

    @ParameterizedTest
    @MethodSource("images")
    void classifiesEveryImageByGetJsonAndBytes(String image) {
        String expected = SharedFiles.expected(image, "float").get(0).label();
        Http.Answer byQuery = Http.get(function.url("/?url=" + Http.encode(imageUrl(image))));
        Http.Answer byJson = Http.postJson(function.url("/"), "{\"url\": \"" + imageUrl(image) + "\", \"top\": 3}");
        Http.Answer byBytes = Http.postBytes(function.url("/"), "application/octet-stream", SharedFiles.imageBytes(image));

        for (Http.Answer answer : List.of(byQuery, byJson, byBytes)) {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.contentType()).isEqualTo("application/json");
            assertThat(answer.topLabel()).isEqualTo(expected);
        }
        assertThat(byBytes.json().path("predictions")).isEqualTo(byQuery.json().path("predictions"));
        assertThat(byBytes.json().path("image").path("bytes").asLong()).isEqualTo(SharedFiles.imageBytes(image).length);
    }

    @Test
    void answersEveryErrorAsJsonThroughTheWatchdog() {
        assertError(Http.get(function.url("/")), 400, "INVALID_REQUEST");
        assertError(Http.get(function.url("/?url=file:///etc/passwd")), 400, "INVALID_REQUEST");
        assertError(Http.get(function.url("/?url=" + Http.encode(imageUrl("chelsea.png")) + "&top=11")), 400, "INVALID_REQUEST");
        assertError(Http.get(function.url("/?url=" + Http.encode(images.url("/missing.png")))), 502, "UPSTREAM_ERROR");
        assertError(Http.get(function.url("/?url=" + Http.encode(images.url("/page.html")))), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertError(Http.postBytes(function.url("/"), "image/jpeg", SharedFiles.imageBytes("truncated.jpg")), 422, "CORRUPT_IMAGE");
        assertError(Http.postBytes(function.url("/"), "image/png", new byte[(int) MAX_BODY + 1]), 413, "REQUEST_TOO_LARGE");
        assertError(Http.get(function.url("/no/such/path")), 404, "NOT_FOUND");
        assertError(Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(function.url("/")))
                .DELETE()), 405, "METHOD_NOT_ALLOWED");
    }

    private static void assertError(Http.Answer answer, int status, String code) {
        assertThat(answer.status()).as(code).isEqualTo(status);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.errorCode()).isEqualTo(code);
    }

    @Test
    void servesFiftyConcurrentRequests() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(50);
        try {
            List<Future<Http.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String image = SharedFiles.IMAGES.get(i % SharedFiles.IMAGES.size());
                answers.add(clients.submit(() -> Http.get(function.url("/?url=" + Http.encode(imageUrl(image))))));
            }
            for (int i = 0; i < 50; i++) {
                Http.Answer answer = answers.get(i).get();
                String image = SharedFiles.IMAGES.get(i % SharedFiles.IMAGES.size());
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.topLabel()).isEqualTo(SharedFiles.expected(image, "float").get(0).label());
            }
        } finally {
            clients.shutdownNow();
        }
    }
}

package org.imgfn.openfaas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.imgfn.core.testing.SharedFiles;
import org.imgfn.core.testing.TestClassifiers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's own HTTP: framing, keep-alive and the limits that make it safe without a watchdog in
 * front, spoken by hand over real sockets to the real handler and model. Deadlines are one second here.
 */
class Http1ServerTest {
    static final Duration DEADLINE = Duration.ofSeconds(1);
    static HandlerServer server;

    @BeforeAll
    static void start() {
        TestClassifiers.get("mobilenet_v2").runtime().await(Duration.ofMinutes(1));
        server = new HandlerServer(new FunctionHandler(TestClassifiers.get("mobilenet_v2"), 1_000_000, 8),
                HttpLimits.of(DEADLINE, DEADLINE));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawHttp connect() {
        return new RawHttp(server.port());
    }

    private static String expectedTop(String image) {
        return SharedFiles.expected(image, "float").get(0).label();
    }

    @Test
    void keepsAConnectionAliveAcrossRequests() {
        try (RawHttp http = connect()) {
            RawHttp.Response first = http.send("GET /_/health HTTP/1.1\r\nHost: x\r\n\r\n").read();
            RawHttp.Response second = http.send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n").read();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.headers()).doesNotContainKey("connection");
            assertThat(second.status()).isEqualTo(404);
            assertThat(second.errorCode()).isEqualTo("NOT_FOUND");
        }
    }

    @Test
    void closesAfterAnHttp10RequestAndAnswersHeadWithoutABody() {
        try (RawHttp http = connect()) {
            RawHttp.Response head = http.send("HEAD /_/health HTTP/1.0\r\n\r\n").read();

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers().get("content-length")).isNotEqualTo("0");
            assertThat(head.headers().get("connection")).isEqualTo("close");
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void readsAChunkedBodyWithExtensionsAndTrailers() {
        byte[] horse = SharedFiles.imageBytes("horse.png");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST /?top=2 HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < horse.length; i += 1000) {
            int n = Math.min(1000, horse.length - i);
            request.writeBytes((Integer.toHexString(n) + ";part=" + i + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.write(horse, i, n);
            request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        request.writeBytes("0\r\nX-Checksum: none\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try (RawHttp http = connect()) {
            RawHttp.Response answer = http.send(request.toByteArray()).read();

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().path("image").path("bytes").asInt()).isEqualTo(horse.length);
            assertThat(answer.json().path("predictions").get(0).path("label").asText()).isEqualTo(expectedTop("horse.png"));
            assertThat(http.send("GET /_/health HTTP/1.1\r\nHost: x\r\n\r\n").read().status())
                    .as("the connection is still in step").isEqualTo(200);
        }
    }

    @Test
    void asksForTheBodyWhenTheClientExpectsContinue() {
        byte[] horse = SharedFiles.imageBytes("horse.png");
        try (RawHttp http = connect()) {
            RawHttp.Response interim = http.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
                    + "Content-Length: " + horse.length + "\r\nExpect: 100-continue\r\n\r\n").read();
            RawHttp.Response answer = http.send(horse).read();

            assertThat(interim.status()).isEqualTo(100);
            assertThat(answer.status()).isEqualTo(200);
        }
    }

    @Test
    void anOverLongRequestLineIs414AsJson() {
        try (RawHttp http = connect()) {
            String url = "/?url=http://images.example/" + "a".repeat(10 * 1024 * 1024);
            RawHttp.Response answer = http.sendWhileReading("GET " + url + " HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(answer.status()).isEqualTo(414);
            assertThat(answer.errorCode()).isEqualTo("URI_TOO_LONG");
            assertThat(answer.headers().get("content-type")).isEqualTo("application/json");
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void oneHugeHeaderIs431AsJson() {
        try (RawHttp http = connect()) {
            RawHttp.Response answer = http.sendWhileReading(
                    "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(1024 * 1024) + "\r\n\r\n");

            assertThat(answer.status()).isEqualTo(431);
            assertThat(answer.errorCode()).isEqualTo("HEADERS_TOO_LARGE");
        }
    }

    @Test
    void tooManyHeadersAre431AsJson() {
        try (RawHttp http = connect()) {
            RawHttp.Response answer = http.sendWhileReading(RawHttp.getWithHeaders("/_/health", 2000));

            assertThat(answer.status()).isEqualTo(431);
            assertThat(answer.errorCode()).isEqualTo("HEADERS_TOO_LARGE");
        }
    }

    @Test
    void headersSentByteByByteAreCutAtTheirDeadline() {
        try (RawHttp http = connect()) {
            long start = System.nanoTime();
            CompletableFuture<Void> trickle = http.trickle(
                    "GET /_/health HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(32), Duration.ofMillis(100));
            RawHttp.Response answer = http.read();
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.errorCode()).isEqualTo("REQUEST_TIMEOUT");
            assertThat(seconds).as("cut at the 1 s deadline, not after the 6 s the client takes").isLessThan(3);
            trickle.join();
        }
    }

    @Test
    void aBodySentSlowlyIsCutAtItsDeadline() {
        try (RawHttp http = connect()) {
            long start = System.nanoTime();
            http.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n");
            CompletableFuture<Void> trickle = http.trickle("x".repeat(60), Duration.ofMillis(100));
            RawHttp.Response answer = http.read();
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.errorCode()).isEqualTo("REQUEST_TIMEOUT");
            assertThat(seconds).isLessThan(3);
            trickle.join();
        }
    }

    @Test
    void aMalformedOrAmbiguousRequestIs400AndClosesTheConnection() {
        try (RawHttp http = connect()) {
            RawHttp.Response answer = http.send("HELLO\r\n\r\n").read();
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.errorCode()).isEqualTo("INVALID_REQUEST");
            assertThat(http.closedByServer()).isTrue();
        }
        try (RawHttp http = connect()) {
            RawHttp.Response answer = http.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n").read();
            assertThat(answer.status()).isEqualTo(400);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("both Transfer-Encoding and Content-Length");
        }
        try (RawHttp http = connect()) {
            assertThat(http.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").read().status()).isEqualTo(400);
        }
    }
}

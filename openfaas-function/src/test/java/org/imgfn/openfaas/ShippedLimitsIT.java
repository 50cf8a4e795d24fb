package org.imgfn.openfaas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Heavy images six at once, and over-long and slow requests, against the server as it ships (128 MB heap, serial
 * collector, exit on OutOfMemoryError), its request deadlines shortened to 1 s (headers) and 3 s (body):
 * every request gets an exact answer or a refusal, and the process stays up and keeps answering.
 */
class ShippedLimitsIT {
    static FunctionProcess function;

    @BeforeAll
    static void start() {
        function = FunctionProcess.asShipped("shipped-limits",
                Map.of("SERVER_HEADER_TIMEOUT_SECONDS", "1", "SERVER_BODY_TIMEOUT_SECONDS", "3"));
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    /** An all-black 8-bit RGB PNG: a few hundred KB that decode to width x height x 3 bytes. */
    static byte[] blackPng(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] row = new byte[1 + 3 * width];
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        for (int y = 0; y < height; y++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                compressed.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        chunk(out, "IDAT", compressed.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static List<Http.Answer> sixAtOnce(Supplier<Http.Answer> request) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            List<Future<Http.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(clients.submit(request::get));
            }
            List<Http.Answer> done = new ArrayList<>();
            for (Future<Http.Answer> answer : answers) {
                done.add(answer.get());
            }
            return done;
        } finally {
            clients.shutdownNow();
        }
    }

    private static void stillAnswersExactly() {
        assertThat(function.process().isAlive()).as("the function process is alive; its log:\n%s", function.log()).isTrue();
        Http.Answer chelsea = Http.postBytes(function.url("/"), "image/png", SharedFiles.imageBytes("chelsea.png"));
        assertThat(chelsea.status()).isEqualTo(200);
        assertThat(new String(chelsea.body(), StandardCharsets.UTF_8)).contains("\"Egyptian cat\"");
    }

    /** 39000x1000 is under the 40 Mpx default of a big heap; decoded it would take 117 MB of a 128 MB heap. */
    @Test
    void wideImagesOverWhatTheHeapHoldsAreRefusedFromTheirHeader() throws Exception {
        byte[] wide = blackPng(39_000, 1_000);

        List<Http.Answer> answers = sixAtOnce(() -> Http.postBytes(function.url("/"), "image/png", wide));

        assertThat(answers).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(413);
            assertThat(a.errorCode()).isEqualTo("IMAGE_TOO_LARGE");
        });
        assertThat(new String(answers.get(0).body(), StandardCharsets.UTF_8)).contains("CLASSIFIER_MAX_PIXELS");
        stillAnswersExactly();
    }

    /** 18 Mpx (54 MB decoded) fits the image memory one at a time: the rest wait their turn as 503s. */
    @Test
    void largeImagesThatFitOneAtATimeAreDecodedOrDeferred() throws Exception {
        byte[] large = blackPng(6_000, 3_000);

        List<Http.Answer> answers = sixAtOnce(() -> Http.postBytes(function.url("/"), "image/png", large));

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).isIn(200, 503));
        assertThat(answers).anySatisfy(a -> assertThat(a.status()).isEqualTo(200));
        answers.stream().filter(a -> a.status() == 503)
                .forEach(a -> assertThat(a.retryAfter()).as("Retry-After of a 503").isEqualTo("1"));
        stillAnswersExactly();
    }

    @Test
    void bodiesOfTheLargestSizeAreReadWithinTheImageMemory() throws Exception {
        byte[] noise = new byte[20 * 1024 * 1024];
        new Random(7).nextBytes(noise);

        List<Http.Answer> declared = sixAtOnce(() -> Http.postBytes(function.url("/"), "image/png", noise));
        List<Http.Answer> chunked = sixAtOnce(() -> Http.postChunked(function.url("/"), "image/png", noise));

        assertThat(declared).allSatisfy(a -> assertThat(a.status()).isIn(415, 503));
        assertThat(chunked).allSatisfy(a -> assertThat(a.status()).isIn(415, 503));
        stillAnswersExactly();
    }

    /** The server's own HTTP limits, as shipped: over-long requests are refused as JSON, whole, and it stays up. */
    @Test
    void overLongRequestLinesAndHeadersAreRefusedAsJson() {
        int port = URI.create(function.url("/")).getPort();
        Map<String, String> requests = Map.of(
                "GET /?url=" + "a".repeat(10_000_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "URI_TOO_LONG",
                "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(1_000_000) + "\r\n\r\n", "HEADERS_TOO_LARGE",
                RawHttp.getWithHeaders("/", 2000), "HEADERS_TOO_LARGE");

        requests.forEach((request, code) -> {
            try (RawHttp http = new RawHttp(port)) {
                RawHttp.Response answer = http.sendWhileReading(request);

                assertThat(answer.errorCode()).isEqualTo(code);
                assertThat(answer.status()).isEqualTo(code.equals("URI_TOO_LONG") ? 414 : 431);
            }
        });
        stillAnswersExactly();
    }

    /** Headers, then a body, sent a byte at a time: each is cut at its deadline, as shipped. */
    @Test
    void slowHeadersAndBodiesAreCutAtTheirDeadlines() {
        int port = URI.create(function.url("/")).getPort();
        String body = "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n";
        for (String start : List.of("GET /_/health HTTP/1.1\r\nHost: x\r\nX-Slow: ", body)) {
            try (RawHttp http = new RawHttp(port)) {
                long begin = System.nanoTime();
                http.send(start);
                CompletableFuture<Void> trickle = http.trickle("x".repeat(100), Duration.ofMillis(100));
                RawHttp.Response answer = http.read();

                assertThat(answer.status()).isEqualTo(408);
                assertThat(answer.errorCode()).isEqualTo("REQUEST_TIMEOUT");
                assertThat((System.nanoTime() - begin) / 1e9).as("cut at the deadline, not after the client's 10 s")
                        .isLessThan(6);
                trickle.join();
            }
        }
        stillAnswersExactly();
    }
}

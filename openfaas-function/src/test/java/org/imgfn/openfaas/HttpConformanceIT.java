package org.imgfn.openfaas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9112 framing against the server as it ships (128 MB heap, serial collector, exit on
 * OutOfMemoryError), over real sockets: each request is followed on the same connection by a second,
 * well-formed one, and the test counts every answer the server sends and sees how the connection ends.
 * A malformed or ambiguous request gets exactly one answer, a 400, and the connection closes, so the
 * bytes after it are never served as a request of their own (request smuggling); a sound one gets its
 * answer and the next request its own.
 */
class HttpConformanceIT {
    static final String NEXT = "GET /_/health HTTP/1.1\r\nHost: x\r\n\r\n";
    static final int MAX_BODY = 1_000_000;
    static final Duration QUIET = Duration.ofSeconds(2);
    static FunctionProcess function;
    static int port;

    @BeforeAll
    static void start() {
        function = FunctionProcess.asShipped("conformance", Map.of("CLASSIFIER_MAX_IMAGE_BYTES",
                Integer.toString(MAX_BODY), "SERVER_HEADER_TIMEOUT_SECONDS", "2", "SERVER_BODY_TIMEOUT_SECONDS", "2"));
        port = URI.create(function.url("/")).getPort();
    }

    @AfterAll
    static void stop() {
        function.close();
    }

    private static RawHttp.Conversation converse(String request) {
        try (RawHttp http = new RawHttp(port)) {
            return http.send(request).readAll(QUIET);
        }
    }

    /** A chunked image for classification: the endpoint reads it, so its framing errors are its answer. */
    private static String chunked(String chunks) {
        return "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks;
    }

    /** A chunked body to a path that does not exist, answered 404 and read to its end all the same. */
    private static String chunkedToNowhere(String chunks) {
        return "POST /nope HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks;
    }

    private static String withLength(String lengthField, String body) {
        return "POST /nope HTTP/1.1\r\nHost: x\r\n" + lengthField + "\r\n\r\n" + body;
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // message body length, RFC 9112 §6
                Arguments.of("Content-Length and Transfer-Encoding", "POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n"),
                Arguments.of("Transfer-Encoding on HTTP/1.0", "POST /nope HTTP/1.0\r\nConnection: keep-alive\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("a coding other than chunked", "POST /nope HTTP/1.1\r\nHost: x\r\n"
                        + "Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("chunked twice", "POST /nope HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("a signed Content-Length", withLength("Content-Length: +5", "hello")),
                Arguments.of("a negative Content-Length", withLength("Content-Length: -5", "hello")),
                Arguments.of("a hexadecimal Content-Length", withLength("Content-Length: 0x5", "hello")),
                Arguments.of("an empty Content-Length", withLength("Content-Length:", "hello")),
                Arguments.of("a Content-Length list of different values", withLength("Content-Length: 5, 6", "hello")),
                Arguments.of("two different Content-Length fields", withLength("Content-Length: 5\r\nContent-Length: 6",
                        "hello")),
                Arguments.of("a vertical tab before Content-Length's value", withLength("Content-Length:\u000b5", "hello")),
                Arguments.of("a vertical tab before Transfer-Encoding's value", "POST /nope HTTP/1.1\r\nHost: x\r\n"
                        + "Transfer-Encoding:\u000bchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                // chunked framing, RFC 9112 §7.1
                Arguments.of("a chunk size with 0x", chunked("0x5\r\nhello\r\n0\r\n\r\n")),
                Arguments.of("a negative chunk size", chunked("-5\r\nhello\r\n0\r\n\r\n")),
                Arguments.of("a signed chunk size", chunked("+5\r\nhello\r\n0\r\n\r\n")),
                Arguments.of("a last chunk of -0", chunked("-0\r\n\r\n")),
                Arguments.of("a chunk size after a space", chunked(" 5\r\nhello\r\n0\r\n\r\n")),
                Arguments.of("an over-long chunk size", chunked("1" + "0".repeat(16) + "\r\nhello\r\n0\r\n\r\n")),
                Arguments.of("chunk data longer than its size", chunked("3\r\nhello\r\n0\r\n\r\n")),
                Arguments.of("a chunk line over the limit", chunked("5;" + "e".repeat(2000) + "\r\nhello\r\n0\r\n\r\n")),
                Arguments.of("a chunk line ending in a bare LF", chunked("5\nhello\r\n0\r\n\r\n")),
                Arguments.of("chunk data ending in a bare LF", chunked("5\r\nhello\n0\r\n\r\n")),
                Arguments.of("a malformed trailer", chunked("5\r\nhello\r\n0\r\nno colon here\r\n\r\n")),
                // the request line and the fields, RFC 9112 §2-5
                Arguments.of("a request line ending in a bare LF", "GET /_/health HTTP/1.1\nHost: x\r\n\r\n"),
                Arguments.of("a field ending in a bare LF", "GET /_/health HTTP/1.1\r\nHost: x\nX-A: b\r\n\r\n"),
                Arguments.of("a CR inside a field", "GET /_/health HTTP/1.1\r\nHost: x\rX-A: b\r\n\r\n"),
                Arguments.of("a NUL in a field's value", "GET /_/health HTTP/1.1\r\nHost: x\r\nX-A: b\u0000c\r\n\r\n"),
                Arguments.of("whitespace before a field's colon", "GET /_/health HTTP/1.1\r\nHost : x\r\n\r\n"),
                Arguments.of("a folded field", "GET /_/health HTTP/1.1\r\nHost: x\r\nX-A: b\r\n c\r\n\r\n"),
                Arguments.of("a field name with a delimiter", "GET /_/health HTTP/1.1\r\nHost: x\r\nX(A): b\r\n\r\n"),
                Arguments.of("no Host on HTTP/1.1", "GET /_/health HTTP/1.1\r\n\r\n"),
                Arguments.of("two Host fields", "GET /_/health HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"),
                Arguments.of("two spaces in the request line", "GET  /_/health HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("HTTP/2.0 in the request line", "GET /_/health HTTP/2.0\r\nHost: x\r\n\r\n"),
                Arguments.of("a lower-case version", "GET /_/health http/1.1\r\nHost: x\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aMalformedOrAmbiguousRequestGetsOne400AndTheConnectionCloses(String name, String request) {
        RawHttp.Conversation conversation = converse(request + NEXT);

        assertThat(conversation.statuses()).as("the answers").containsExactly(400);
        assertThat(conversation.answers().get(0).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(conversation.answers().get(0).headers().get("connection")).isEqualTo("close");
        assertThat(conversation.closed()).as("the connection closed").isTrue();
    }

    static Stream<Arguments> served() {
        return Stream.of(
                Arguments.of("a chunked body with an extension and a trailer",
                        chunkedToNowhere("5;name=value\r\nhello\r\n0\r\nX-Trailer: yes\r\n\r\n"), 404),
                Arguments.of("a chunk size in upper-case hexadecimal with leading zeros",
                        chunkedToNowhere("000A\r\nhellohello\r\n0\r\n\r\n"), 404),
                Arguments.of("a Content-Length list of equal values", withLength("Content-Length: 5, 5", "hello"), 404),
                Arguments.of("a Content-Length with spaces and tabs around it", withLength("Content-Length: \t5 ", "hello"),
                        404),
                Arguments.of("no body length: no body", "POST /nope HTTP/1.1\r\nHost: x\r\n\r\n", 404),
                Arguments.of("an empty line before the request", "\r\nGET /_/health HTTP/1.1\r\nHost: x\r\n\r\n", 200),
                Arguments.of("HTTP/1.2, served as 1.1", "GET /_/health HTTP/1.2\r\nHost: x\r\n\r\n", 200),
                Arguments.of("a body on a GET, read and dropped", "GET /_/health HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Length: 5\r\n\r\nhello", 200),
                Arguments.of("a field value with obs-text and tabs", "GET /_/health HTTP/1.1\r\nHost: x\r\n"
                        + "X-A: caf\u00e9\tau lait\r\n\r\n", 200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("served")
    void aSoundRequestIsAnsweredAndTheConnectionStaysInStep(String name, String request, int status) {
        RawHttp.Conversation conversation = converse(request + NEXT);

        assertThat(conversation.statuses()).as("the answers").containsExactly(status, 200);
        assertThat(conversation.closed()).as("the connection closed").isFalse();
    }

    @Test
    void aBrokenBodyLeftUnreadByItsAnswerStillClosesTheConnection() {
        RawHttp.Conversation conversation = converse(chunkedToNowhere("0x5\r\nhello\r\n0\r\n\r\n") + NEXT);

        assertThat(conversation.statuses()).as("the 404, and nothing for the bytes after the broken chunk")
                .containsExactly(404);
        assertThat(conversation.closed()).isTrue();
    }

    @Test
    void anHttp10RequestWithoutHostIsServedAndClosed() {
        RawHttp.Conversation conversation = converse("GET /_/health HTTP/1.0\r\n\r\n" + NEXT);

        assertThat(conversation.statuses()).containsExactly(200);
        assertThat(conversation.closed()).isTrue();
    }

    @Test
    void continueIsSentOnlyWhenTheBodyIsWanted() {
        byte[] cat = SharedFiles.imageBytes("chelsea.png");
        try (RawHttp http = new RawHttp(port)) {
            http.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: " + cat.length
                    + "\r\nExpect: 100-continue\r\n\r\n");
            assertThat(http.read().status()).as("asked for the body").isEqualTo(100);
            RawHttp.Conversation rest = http.send(cat).send(NEXT).readAll(QUIET);
            assertThat(rest.statuses()).containsExactly(200, 200);
        }
        RawHttp.Conversation unknownPath = converse("POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                + "Expect: 100-continue\r\n\r\n");
        assertThat(unknownPath.statuses()).as("a path that does not exist: refused unasked").containsExactly(404);
        assertThat(unknownPath.closed()).as("the unread body ends the connection").isTrue();
        RawHttp.Conversation overTheCap = converse("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
                + "Content-Length: " + (MAX_BODY + 1) + "\r\nExpect: 100-continue\r\n\r\n");
        assertThat(overTheCap.statuses()).as("a body over the cap: refused unasked").containsExactly(413);
        assertThat(overTheCap.closed()).isTrue();
        RawHttp.Conversation http10 = converse("POST / HTTP/1.0\r\nContent-Type: image/png\r\nContent-Length: 5\r\n"
                + "Expect: 100-continue\r\n\r\nhello");
        assertThat(http10.statuses()).as("no 100 Continue for HTTP/1.0").doesNotContain(100).hasSize(1);
    }

    @Test
    void aClientThatHalfClosesGetsItsAnswer() {
        byte[] cat = SharedFiles.imageBytes("chelsea.png");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: " + cat.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(cat);
        try (RawHttp http = new RawHttp(port)) {
            RawHttp.Conversation conversation = http.send(request.toByteArray()).halfClose().readAll(Duration.ofSeconds(20));

            assertThat(conversation.statuses()).containsExactly(200);
            assertThat(conversation.answers().get(0).json().path("predictions").get(0).path("label").asText())
                    .isEqualTo(SharedFiles.expected("chelsea.png", "float").get(0).label());
            assertThat(conversation.closed()).isTrue();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        RawHttp.Conversation conversation = converse(NEXT + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                + chunkedToNowhere("5\r\nhello\r\n0\r\n\r\n") + "GET /_/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(conversation.statuses()).containsExactly(200, 404, 404, 200);
        assertThat(conversation.closed()).isTrue();
    }
}

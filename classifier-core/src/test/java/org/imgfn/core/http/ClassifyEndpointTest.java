package org.imgfn.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.api.Json;
import org.imgfn.core.testing.LoopbackServer;
import org.imgfn.core.testing.SharedFiles;
import org.imgfn.core.testing.TestClassifiers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP mapping both platforms share, with the real classifier behind it. */
class ClassifyEndpointTest {
    final List<CallOutcome> outcomes = new ArrayList<>();

    /** Handles {@code call} on {@code endpoint}, recording what its listener hears. */
    private HttpReply handle(ClassifyEndpoint endpoint, HttpCall call) {
        return endpoint.handle(call, outcomes::add);
    }

    static LoopbackServer images;
    static final ClassifyEndpoint endpoint = new ClassifyEndpoint(() -> TestClassifiers.get("mobilenet_v2"), 1_000_000);

    @BeforeAll
    static void start() {
        images = new LoopbackServer();
    }

    @AfterAll
    static void stop() {
        images.close();
    }

    private HttpReply get(Map<String, String> query) {
        return handle(endpoint, new HttpCall("GET", query, null, null));
    }

    private HttpReply post(String contentType, byte[] body, Map<String, String> query) {
        return handle(endpoint, new HttpCall("POST", query, contentType, body));
    }

    private static JsonNode json(HttpReply reply) {
        return Json.read(reply.body());
    }

    private static void assertError(HttpReply reply, ErrorCode code) {
        assertThat(reply.status()).isEqualTo(code.status());
        JsonNode error = json(reply).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code.name());
        assertThat(error.path("status").asInt()).isEqualTo(code.status());
        assertThat(error.path("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void classifiesAUrlGivenInTheQuery() {
        HttpReply reply = get(Map.of("url", images.url("/images/chelsea.png"), "top", "5"));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = json(reply);
        assertThat(body.path("predictions")).hasSize(5);
        assertThat(body.path("predictions").get(0).path("label").asText()).isEqualTo("Egyptian cat");
        assertThat(body.path("predictions").get(0).path("index").asInt()).isEqualTo(285);
        assertThat(body.path("timings_ms").path("total").asDouble()).isPositive();
        assertThat(body.path("image").path("url").asText()).isEqualTo(images.url("/images/chelsea.png"));
        assertThat(body.path("model").path("name").asText()).isEqualTo("mobilenet_v2");
        assertThat(body.has("cold_start")).isTrue();
    }

    @Test
    void classifiesAUrlGivenAsJson() {
        String request = "{\"url\": \"" + images.url("/images/coffee.png") + "\", \"top\": 2}";
        HttpReply reply = post("application/json; charset=utf-8", request.getBytes(StandardCharsets.UTF_8), Map.of());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(json(reply).path("predictions")).hasSize(2);
        assertThat(json(reply).path("predictions").get(0).path("label").asText()).isEqualTo("espresso");
    }

    @Test
    void classifiesRawImageBytes() {
        HttpReply reply = post("image/jpeg", SharedFiles.imageBytes("rocket.jpg"), Map.of("top", "1"));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = json(reply);
        assertThat(body.path("predictions")).hasSize(1);
        assertThat(body.path("predictions").get(0).path("label").asText()).isEqualTo("drilling platform");
        assertThat(body.path("image").has("url")).isFalse();
        assertThat(body.path("image").path("bytes").asLong()).isEqualTo(SharedFiles.imageBytes("rocket.jpg").length);
    }

    @Test
    void refusesAMissingUrl() {
        assertError(get(Map.of()), ErrorCode.INVALID_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "11", "-1", "three", "2.5"})
    void refusesTopOutsideOneToTen(String top) {
        assertError(get(Map.of("url", images.url("/images/horse.png"), "top", top)), ErrorCode.INVALID_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "[]", "\"just a string\"", "{\"url\": 42}", "{\"top\": 3}", "{\"url\": \"http://x/a.png\", \"top\": \"x\"}",
        "{\"url\": \"http://x/a.png\", \"top\": 2.5}"})
    void refusesMalformedJson(String body) {
        assertError(post("application/json", body.getBytes(StandardCharsets.UTF_8), Map.of()), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void refusesAnEmptyPost() {
        assertError(post("image/png", new byte[0], Map.of()), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void refusesUnknownContentTypes() {
        assertError(post("application/x-www-form-urlencoded", "url=x".getBytes(StandardCharsets.UTF_8), Map.of()),
                ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertError(post(null, SharedFiles.imageBytes("horse.png"), Map.of()), ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void refusesBytesThatAreNotAnImage() {
        assertError(post("image/png", "<html>hello</html>".getBytes(StandardCharsets.UTF_8), Map.of()),
                ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void refusesATruncatedImage() {
        assertError(post("image/jpeg", SharedFiles.imageBytes("truncated.jpg"), Map.of()), ErrorCode.CORRUPT_IMAGE);
    }

    @Test
    void refusesABodyOverTheLimit() {
        assertError(post("image/png", new byte[1_000_001], Map.of()), ErrorCode.REQUEST_TOO_LARGE);
    }

    @Test
    void refusesOtherMethods() {
        assertError(handle(endpoint, new HttpCall("DELETE", Map.of(), null, null)), ErrorCode.METHOD_NOT_ALLOWED);
    }

    @Test
    void answersNotReadyWithRetryAfterWhileTheClassifierLoads() {
        ClassifyEndpoint loading = new ClassifyEndpoint(() -> {
            throw new ClassifyException(ErrorCode.NOT_READY, "the model is loading");
        }, 1000);
        HttpReply reply = handle(loading, new HttpCall("GET", Map.of("url", "http://example.org/a.png"), null, null));

        assertError(reply, ErrorCode.NOT_READY);
        assertThat(reply.headers()).containsEntry("Retry-After", "1");
    }

    @Test
    void answersOverloadedWithRetryAfterWhenTheQueueIsFull() {
        ClassifyEndpoint full = new ClassifyEndpoint(() -> {
            throw new ClassifyException(ErrorCode.OVERLOADED, "too many images are waiting for the model");
        }, 1000);
        HttpReply reply = handle(full, new HttpCall("GET", Map.of("url", "http://example.org/a.png"), null, null));

        assertError(reply, ErrorCode.OVERLOADED);
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.headers()).containsEntry("Retry-After", "1");
    }

    @Test
    void hidesTheDetailsOfUnexpectedFailures() {
        ClassifyEndpoint broken = new ClassifyEndpoint(() -> {
            throw new IllegalStateException("secret internal detail");
        }, 1000);
        HttpReply reply = handle(broken, new HttpCall("GET", Map.of("url", "http://example.org/a.png"), null, null));

        assertError(reply, ErrorCode.INTERNAL_ERROR);
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).doesNotContain("secret");
    }

    @Test
    void decodesQueryStringsAsUtf8() {
        assertThat(QueryString.parse("url=http%3A%2F%2Fh%2Fcaf%C3%A9.png&top=2&top=9&flag"))
                .containsEntry("url", "http://h/café.png")
                .containsEntry("top", "2")
                .containsEntry("flag", "");
    }

    @Test
    void tellsItsListenerTheStatusCodeAndTimingsOfEachCall() {
        post("image/png", SharedFiles.imageBytes("horse.png"), Map.of());
        post("image/jpeg", SharedFiles.imageBytes("truncated.jpg"), Map.of());

        assertThat(outcomes).hasSize(2);
        assertThat(outcomes.get(0).status()).isEqualTo(200);
        assertThat(outcomes.get(0).errorCode()).isNull();
        assertThat(outcomes.get(0).timings().total()).isPositive();
        assertThat(outcomes.get(1).status()).isEqualTo(422);
        assertThat(outcomes.get(1).errorCode()).isEqualTo("CORRUPT_IMAGE");
        assertThat(outcomes.get(1).timings()).isNull();
        assertThat(outcomes).allSatisfy(o -> assertThat(o.seconds()).isPositive());
    }

    @Test
    void readsABodyUnderItsCapAndDrainsARefusedOne() {
        ClassifyEndpoint small = new ClassifyEndpoint(() -> TestClassifiers.get("mobilenet_v2"), 100);
        ByteArrayInputStream fits = new ByteArrayInputStream(new byte[100]);
        ByteArrayInputStream over = new ByteArrayInputStream(new byte[5_000]);

        assertThat(small.readBody(fits, -1)).hasSize(100);
        assertThatThrownBy(() -> small.readBody(over, -1)).isInstanceOfSatisfying(ClassifyException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_TOO_LARGE));
        assertThat(over.available()).as("left unread").isZero();
        assertThatThrownBy(() -> small.readBody(new ByteArrayInputStream(new byte[10]), 5_000))
                .isInstanceOfSatisfying(ClassifyException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_TOO_LARGE));
    }

    @Test
    void putsTheStagesOfAClassificationInServerTimingAndNoneOnARefusal() {
        HttpReply classified = post("image/png", SharedFiles.imageBytes("horse.png"), Map.of());
        HttpReply refused = post("image/jpeg", SharedFiles.imageBytes("truncated.jpg"), Map.of());

        JsonNode timings = json(classified).path("timings_ms");
        assertThat(classified.headers().get("Server-Timing")).isEqualTo(String.format(Locale.ROOT,
                "network;dur=%.1f, cpu;dur=%.1f, inference;dur=%.1f, total;dur=%.1f", timings.path("network").asDouble(),
                timings.path("cpu").asDouble(), timings.path("inference").asDouble(), timings.path("total").asDouble()));
        assertThat(refused.headers()).doesNotContainKey("Server-Timing");
    }
}

package org.imgfn.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.imgfn.core.Classifier;
import org.imgfn.core.ClassifierConfig;
import org.imgfn.core.api.Json;
import org.imgfn.core.http.ClassifyEndpoint;
import org.imgfn.core.testing.LoopbackServer;
import org.imgfn.core.testing.SharedFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The function class with the real classifier; only the Functions runtime's request and context are
 * mocked. The environment of this test run allows loopback image URLs, as a local demo would.
 */
class ClassifyFunctionTest {
    static LoopbackServer images;
    static final ClassifyFunction function = new ClassifyFunction();
    static final List<String> logLines = new ArrayList<>();

    @BeforeAll
    static void start() {
        images = new LoopbackServer();
    }

    @AfterAll
    static void stop() {
        images.close();
    }

    @SuppressWarnings("unchecked")
    private static HttpRequestMessage<Optional<byte[]>> request(HttpMethod method, Map<String, String> query,
            Map<String, String> headers, byte[] body) {
        HttpRequestMessage<Optional<byte[]>> request = mock(HttpRequestMessage.class);
        when(request.getHttpMethod()).thenReturn(method);
        when(request.getQueryParameters()).thenReturn(query);
        when(request.getHeaders()).thenReturn(headers);
        when(request.getBody()).thenReturn(Optional.ofNullable(body));
        when(request.createResponseBuilder(any(HttpStatusType.class)))
                .thenAnswer(invocation -> new FakeResponse(invocation.getArgument(0)));
        return request;
    }

    private static ExecutionContext context() {
        Logger logger = Logger.getAnonymousLogger();
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (logLines) {
                    logLines.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        ExecutionContext context = mock(ExecutionContext.class);
        when(context.getLogger()).thenReturn(logger);
        when(context.getInvocationId()).thenReturn(UUID.randomUUID().toString());
        return context;
    }

    private static HttpResponseMessage get(ClassifyFunction target, String url) {
        return target.run(request(HttpMethod.GET, Map.of("url", url), Map.of(), null), context());
    }

    private static JsonNode json(HttpResponseMessage response) {
        return Json.read((byte[]) response.getBody());
    }

    private static String expectedTop(String image) {
        return SharedFiles.expected(image, "float").get(0).label();
    }

    @Test
    void classifiesAUrlFromTheQuery() {
        HttpResponseMessage response = get(function, images.url("/images/chelsea.png"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(json(response).path("predictions").get(0).path("label").asText()).isEqualTo(expectedTop("chelsea.png"));
        assertThat(json(response).path("timings_ms").path("network").asDouble()).isPositive();
        assertThat(response.getHeader("Server-Timing"))
                .matches("network;dur=[0-9.]+, cpu;dur=[0-9.]+, inference;dur=[0-9.]+, total;dur=[0-9.]+");
    }

    @Test
    void classifiesAUrlPostedAsJson() {
        byte[] body = ("{\"url\": \"" + images.url("/images/coffee.png") + "\", \"top\": 5}").getBytes(StandardCharsets.UTF_8);
        HttpResponseMessage response = function.run(
                request(HttpMethod.POST, Map.of(), Map.of("content-type", "application/json"), body), context());

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(json(response).path("predictions")).hasSize(5);
        assertThat(json(response).path("predictions").get(0).path("label").asText()).isEqualTo(expectedTop("coffee.png"));
    }

    @Test
    void classifiesPostedImageBytes() {
        HttpResponseMessage response = function.run(request(HttpMethod.POST, Map.of("top", "1"),
                Map.of("Content-Type", "image/jpeg"), SharedFiles.imageBytes("rocket.jpg")), context());

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(json(response).path("predictions").get(0).path("label").asText()).isEqualTo(expectedTop("rocket.jpg"));
        assertThat(json(response).path("image").has("url")).isFalse();
    }

    @Test
    void answers400JsonWhenTheUrlIsMissing() {
        HttpResponseMessage response = function.run(request(HttpMethod.GET, Map.of(), Map.of(), null), context());

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(json(response).path("error").path("code").asText()).isEqualTo("INVALID_REQUEST");
    }

    @Test
    void answers400ForAnEmptyPost() {
        HttpResponseMessage response = function.run(
                request(HttpMethod.POST, Map.of(), Map.of("Content-Type", "image/png"), null), context());

        assertThat(response.getStatusCode()).isEqualTo(400);
    }

    @Test
    void answers422ForATruncatedImage() {
        HttpResponseMessage response = get(function, images.url("/images/truncated.jpg"));

        assertThat(response.getStatusCode()).isEqualTo(422);
        assertThat(json(response).path("error").path("code").asText()).isEqualTo("CORRUPT_IMAGE");
    }

    @Test
    void answers403ForALoopbackAddressWithTheDefaultConfiguration() {
        try (Classifier guarded = Classifier.open(ClassifierConfig.fromEnv(Map.of()))) {
            ClassifyFunction defaults = new ClassifyFunction(new ClassifyEndpoint(() -> guarded, 1_000_000));
            HttpResponseMessage response = get(defaults, images.url("/images/horse.png"));

            assertThat(response.getStatusCode()).isEqualTo(403);
            assertThat(json(response).path("error").path("code").asText()).isEqualTo("ADDRESS_NOT_ALLOWED");
        }
    }

    @Test
    void logsTheInvocationIdTheOutcomeAndTheTimings() {
        ExecutionContext context = context();
        function.run(request(HttpMethod.GET, Map.of("url", images.url("/images/horse.png")), Map.of(), null), context);

        synchronized (logLines) {
            assertThat(logLines).anySatisfy(line -> assertThat(line)
                    .contains(context.getInvocationId()).contains(": 200 OK in").contains("Timings[network="));
        }
    }

    @Test
    void servesEightConcurrentInvocations() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponseMessage>> responses = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String image = SharedFiles.IMAGES.get(i % SharedFiles.IMAGES.size());
                responses.add(workers.submit(() -> get(function, images.url("/images/" + image))));
            }
            for (int i = 0; i < 8; i++) {
                String image = SharedFiles.IMAGES.get(i % SharedFiles.IMAGES.size());
                HttpResponseMessage response = responses.get(i).get();
                assertThat(response.getStatusCode()).isEqualTo(200);
                assertThat(json(response).path("predictions").get(0).path("label").asText()).isEqualTo(expectedTop(image));
            }
        } finally {
            workers.shutdownNow();
        }
    }
}

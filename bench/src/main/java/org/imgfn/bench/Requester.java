package org.imgfn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends classification requests to one or more target URLs (round-robin) in one of the three forms
 * the functions take, and turns each answer into a {@link Sample}.
 */
final class Requester {
    /** How the image reaches the function. */
    enum Method { GET, POST_JSON, POST_BYTES }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final List<URI> targets;
    private final Method method;
    private final Duration timeout;
    private final AtomicLong next = new AtomicLong();

    Requester(List<URI> targets, Method method, Duration timeout) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("at least one --target is needed");
        }
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.targets = List.copyOf(targets);
        this.method = method;
        this.timeout = timeout;
    }

    /** Classifies the image at {@code imageUrl} ({@code imageBytes} for {@link Method#POST_BYTES}). */
    Sample classify(String scenario, String imageUrl, byte[] imageBytes) {
        URI target = targets.get((int) (next.getAndIncrement() % targets.size()));
        HttpRequest request = switch (method) {
            case GET -> HttpRequest.newBuilder(withQuery(target, "url=" + URLEncoder.encode(imageUrl, StandardCharsets.UTF_8)))
                    .GET().build();
            case POST_JSON -> HttpRequest.newBuilder(target).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("url", imageUrl).toString()))
                    .build();
            case POST_BYTES -> HttpRequest.newBuilder(target).header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(imageBytes)).build();
        };
        return send(scenario, HttpRequest.newBuilder(request, (name, value) -> true).timeout(timeout).build());
    }

    private Sample send(String scenario, HttpRequest request) {
        long sentAt = System.currentTimeMillis();
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            double latency = (System.nanoTime() - start) / 1e6;
            return fromAnswer(scenario, sentAt, latency, response.statusCode(), response.body());
        } catch (IOException e) {
            return new Sample(sentAt, scenario, (System.nanoTime() - start) / 1e6, 0, "TRANSPORT",
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sample(sentAt, scenario, (System.nanoTime() - start) / 1e6, 0, "INTERRUPTED",
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, null);
        }
    }

    private static Sample fromAnswer(String scenario, long sentAt, double latency, int status, byte[] body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException notJson) {
            json = JSON.createObjectNode();
        }
        if (json == null) {
            json = JSON.createObjectNode();
        }
        JsonNode timings = json.path("timings_ms");
        String error = status == 200 ? "" : json.path("error").path("code").asText("HTTP_" + status);
        return new Sample(sentAt, scenario, latency, status, error, number(timings.path("network")),
                number(timings.path("cpu")), number(timings.path("inference")), number(timings.path("total")),
                flag(json, "cold_start"), flag(json, "cached"));
    }

    private static Boolean flag(JsonNode json, String field) {
        return json.has(field) ? json.get(field).asBoolean() : null;
    }

    private static double number(JsonNode node) {
        return node.isNumber() ? node.asDouble() : Double.NaN;
    }

    /** Appends to the target's query, keeping what it has (an Azure {@code ?code=} key, say). */
    static URI withQuery(URI target, String parameter) {
        String s = target.toString();
        return URI.create(s + (target.getRawQuery() == null ? "?" : "&") + parameter);
    }
}

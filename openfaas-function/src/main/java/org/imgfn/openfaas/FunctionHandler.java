package org.imgfn.openfaas;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.imgfn.core.Classifier;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.api.Json;
import org.imgfn.core.http.ClassifyEndpoint;
import org.imgfn.core.http.ErrorReplies;
import org.imgfn.core.http.HttpCall;
import org.imgfn.core.http.HttpReply;
import org.imgfn.core.http.QueryString;
import org.imgfn.core.model.ModelRuntime;

/**
 * Routes {@code /} to the classification endpoint, {@code /_/health} and {@code /metrics}; every other
 * path is a JSON 404. Request bodies are read as bytes, whatever their framing, up to the cap.
 */
final class FunctionHandler implements HttpHandler {

    private final ClassifyEndpoint endpoint;
    private final Classifier classifier;
    private final Semaphore inflight;
    private final Metrics metrics = new Metrics();
    private final AtomicInteger active = new AtomicInteger();

    FunctionHandler(Classifier classifier, long maxBodyBytes, int maxInflight) {
        this.classifier = classifier;
        this.endpoint = new ClassifyEndpoint(() -> classifier, maxBodyBytes);
        this.inflight = new Semaphore(maxInflight);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        active.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/" -> send(exchange, classify(exchange));
                case "/_/health" -> send(exchange, health(exchange.getRequestMethod()));
                case "/metrics" -> sendMetrics(exchange);
                default -> send(exchange, ErrorReplies.of(ErrorCode.NOT_FOUND,
                        "no such path: " + path + "; classify at /, health at /_/health, metrics at /metrics"));
            }
        } finally {
            active.decrementAndGet();
        }
    }

    /** Exchanges being handled now, on any path. */
    int activeExchanges() {
        return active.get();
    }

    /**
     * The body is read (under its cap) before an in-flight permit is taken: a client that sends it
     * slowly holds a thread, not one of the permits that bound the classifications at work.
     */
    private HttpReply classify(HttpExchange exchange) {
        long start = System.nanoTime();
        metrics.started();
        try {
            HttpCall call = call(exchange);
            if (!inflight.tryAcquire()) {
                throw new ClassifyException(ErrorCode.OVERLOADED, "the function is busy with as many requests as it"
                        + " takes (SERVER_MAX_INFLIGHT); retry shortly");
            }
            try {
                return endpoint.handle(call, outcome -> metrics.finished(outcome.status(), outcome.errorCode(),
                        outcome.seconds()));
            } finally {
                inflight.release();
            }
        } catch (RuntimeException e) {
            ErrorCode code = ErrorReplies.codeOf(e);
            metrics.finished(code.status(), code.name(), (System.nanoTime() - start) / 1e9);
            return ErrorReplies.from(e);
        }
    }

    private HttpCall call(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        byte[] body = method.equals("POST") ? endpoint.readBody(exchange.getRequestBody(), declaredLength(exchange))
                : new byte[0];
        return new HttpCall(method, QueryString.parse(exchange.getRequestURI().getRawQuery()), contentType, body);
    }

    private static long declaredLength(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST, "Content-Length is not a number: " + length);
        }
    }

    private HttpReply health(String method) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return ErrorReplies.of(ErrorCode.METHOD_NOT_ALLOWED, "use GET for /_/health");
        }
        ModelRuntime runtime = classifier.runtime();
        return switch (runtime.state()) {
            case LOADING -> ErrorReplies.of(ErrorCode.NOT_READY, "the model is still loading");
            case FAILED -> ErrorReplies.of(ErrorCode.NOT_READY, "the model could not be loaded; retrying, see the log");
            case READY -> HttpReply.ok(Json.write(Map.of("status", "ready",
                    "model", runtime.await(Duration.ZERO).loaded().info())));
        };
    }

    private void sendMetrics(HttpExchange exchange) throws IOException {
        byte[] text = metrics.render(classifier.cacheStats()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, text.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(text);
        }
    }

    private static void send(HttpExchange exchange, HttpReply reply) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", HttpReply.CONTENT_TYPE);
        reply.headers().forEach(exchange.getResponseHeaders()::set);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(reply.status(), head ? -1 : reply.body().length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }
}

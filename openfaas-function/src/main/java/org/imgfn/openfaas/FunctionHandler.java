package org.imgfn.openfaas;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
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
final class FunctionHandler implements Http1Server.Handler {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final ClassifyEndpoint endpoint;
    private final Classifier classifier;
    private final Semaphore inflight;
    private final Metrics metrics = new Metrics();

    FunctionHandler(Classifier classifier, long maxBodyBytes, int maxInflight) {
        this.classifier = classifier;
        this.endpoint = new ClassifyEndpoint(() -> classifier, maxBodyBytes);
        this.inflight = new Semaphore(maxInflight);
    }

    @Override
    public HttpReply handle(HttpRequest request) {
        return switch (request.path()) {
            case "/" -> classify(request);
            case "/_/health" -> health(request.method());
            case "/metrics" -> new HttpReply(200, Map.of("Content-Type", PROMETHEUS_TEXT),
                    metrics.render(classifier.cacheStats()).getBytes(StandardCharsets.UTF_8));
            default -> ErrorReplies.of(ErrorCode.NOT_FOUND,
                    "no such path: " + request.path() + "; classify at /, health at /_/health, metrics at /metrics");
        };
    }

    /**
     * The body is read (under its cap and the body deadline) before an in-flight permit is taken: a
     * client that sends it slowly holds a connection, not one of the permits that bound the
     * classifications at work.
     */
    private HttpReply classify(HttpRequest request) {
        long start = System.nanoTime();
        metrics.started();
        try {
            HttpCall call = call(request);
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

    private HttpCall call(HttpRequest request) {
        byte[] body = request.method().equals("POST") ? endpoint.readBody(request.body(), request.declaredLength())
                : new byte[0];
        return new HttpCall(request.method(), QueryString.parse(request.rawQuery()), request.header("Content-Type"), body,
                request.client());
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
}

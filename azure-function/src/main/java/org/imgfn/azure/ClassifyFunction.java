package org.imgfn.azure;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Map;
import java.util.Optional;
import org.imgfn.core.http.ClassifyEndpoint;
import org.imgfn.core.http.HttpCall;
import org.imgfn.core.http.HttpReply;

/**
 * {@code GET|POST https://<app>.azurewebsites.net/api/classify?url=...&top=3} (or a JSON body
 * {@code {"url": "..."}}, or the image bytes), answering the core's JSON result or error.
 */
public final class ClassifyFunction {
    private final ClassifyEndpoint endpoint;

    public ClassifyFunction() {
        this(new ClassifyEndpoint(SharedClassifier::get, SharedClassifier.maxBodyBytes()));
    }

    ClassifyFunction(ClassifyEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @FunctionName("classify")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.POST}, route = "classify",
                    authLevel = AuthorizationLevel.FUNCTION, dataType = "binary")
            HttpRequestMessage<Optional<byte[]>> request,
            ExecutionContext context) {
        HttpReply reply = endpoint.handle(new HttpCall(request.getHttpMethod().name(), request.getQueryParameters(),
                header(request.getHeaders(), "Content-Type"), request.getBody().orElse(new byte[0])),
                outcome -> context.getLogger().info(String.format("invocation %s: %d %s in %.1f ms%s",
                        context.getInvocationId(), outcome.status(),
                        outcome.errorCode() == null ? "OK" : outcome.errorCode(), outcome.seconds() * 1000,
                        outcome.timings() == null ? "" : " " + outcome.timings())));
        HttpResponseMessage.Builder response = request.createResponseBuilder(HttpStatusType.custom(reply.status()))
                .header("Content-Type", HttpReply.CONTENT_TYPE);
        reply.headers().forEach(response::header);
        return response.body(reply.body()).build();
    }

    /** Header names arrive in whatever case the client and the host used. */
    private static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }
}

package org.imgfn.core.http;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.imgfn.core.Classifier;
import org.imgfn.core.api.Classification;
import org.imgfn.core.api.ClassifyRequest;
import org.imgfn.core.api.Json;
import org.imgfn.core.api.Timings;

/**
 * The classification endpoint both platforms serve: parses the call, classifies, and answers JSON,
 * with every failure going through {@link ErrorReplies}.
 */
public final class ClassifyEndpoint {
    private final Supplier<Classifier> classifier;
    private final long maxBodyBytes;

    /**
     * @param classifier   gives the process's classifier; it may load it lazily, and may throw
     *                     a {@code NOT_READY} {@link org.imgfn.core.api.ClassifyException} meanwhile
     * @param maxBodyBytes largest request body accepted
     */
    public ClassifyEndpoint(Supplier<Classifier> classifier, long maxBodyBytes) {
        this.classifier = classifier;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Answers {@code call}, and tells {@code listener} (logs, metrics) what became of it. */
    public HttpReply handle(HttpCall call, Consumer<CallOutcome> listener) {
        long start = System.nanoTime();
        HttpReply reply;
        String errorCode = null;
        Timings timings = null;
        try {
            if (call.body().length > maxBodyBytes) {
                throw BoundedBody.tooLarge(maxBodyBytes);
            }
            ClassifyRequest request = RequestParser.parse(call);
            Classification result = classifier.get().classify(request);
            timings = result.timings();
            reply = HttpReply.ok(Json.write(result));
        } catch (RuntimeException | Error e) {
            errorCode = ErrorReplies.codeOf(e).name();
            reply = ErrorReplies.from(e);
        }
        listener.accept(new CallOutcome(reply.status(), errorCode, timings, (System.nanoTime() - start) / 1e9));
        return reply;
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }
}

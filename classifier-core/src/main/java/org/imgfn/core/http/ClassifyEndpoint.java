package org.imgfn.core.http;

import java.util.function.Supplier;
import org.imgfn.core.Classifier;
import org.imgfn.core.api.Classification;
import org.imgfn.core.api.ClassifyRequest;
import org.imgfn.core.api.Json;

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

    public HttpReply handle(HttpCall call) {
        try {
            if (call.body().length > maxBodyBytes) {
                throw BoundedBody.tooLarge(maxBodyBytes);
            }
            ClassifyRequest request = RequestParser.parse(call);
            Classification result = classifier.get().classify(request);
            return HttpReply.ok(Json.write(result), result.timings());
        } catch (RuntimeException | Error e) {
            return ErrorReplies.from(e);
        }
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }
}

package org.imgfn.core.http;

import java.util.Map;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorBody;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.api.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The single mapping from a failure to its HTTP answer, shared by every entry point. */
public final class ErrorReplies {
    /** Seconds a refused client is asked to wait before it retries. */
    public static final String RETRY_AFTER_SECONDS = "1";

    private static final Logger LOG = LoggerFactory.getLogger(ErrorReplies.class);

    private ErrorReplies() {}

    /** The answer for {@code error}: its own code for a {@link ClassifyException}, else a logged 500. */
    public static HttpReply from(Throwable error) {
        if (error instanceof ClassifyException e) {
            return of(e.code(), e.getMessage());
        }
        LOG.error("Unexpected failure while classifying", error);
        return of(ErrorCode.INTERNAL_ERROR, "an unexpected error occurred; the server log has the details");
    }

    /** The code {@link #from} answers {@code error} with. */
    public static ErrorCode codeOf(Throwable error) {
        return error instanceof ClassifyException e ? e.code() : ErrorCode.INTERNAL_ERROR;
    }

    public static HttpReply of(ErrorCode code, String message) {
        Map<String, String> headers = code == ErrorCode.OVERLOADED || code == ErrorCode.NOT_READY
                ? Map.of("Retry-After", RETRY_AFTER_SECONDS)
                : Map.of();
        return new HttpReply(code.status(), headers, Json.write(ErrorBody.of(code, message)));
    }
}

package org.imgfn.core.fetch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;

/** What a failed download tells the caller: every way one fails, as the error code it is answered with. */
final class FetchFailures {
    private final Duration deadline;
    private final long maxBytes;

    FetchFailures(Duration deadline, long maxBytes) {
        this.deadline = deadline;
        this.maxBytes = maxBytes;
    }

    ClassifyException timeout(URI uri) {
        return new ClassifyException(ErrorCode.UPSTREAM_TIMEOUT,
                "the download of " + uri + " did not finish within " + deadline.toMillis()
                        + " ms (CLASSIFIER_DOWNLOAD_TIMEOUT_MS)");
    }

    ClassifyException tooLarge(String how) {
        return new ClassifyException(ErrorCode.IMAGE_TOO_LARGE,
                "the image " + how + " than the limit of " + maxBytes + " bytes (CLASSIFIER_MAX_IMAGE_BYTES)");
    }

    static ClassifyException upstream(String message) {
        return new ClassifyException(ErrorCode.UPSTREAM_ERROR, message);
    }

    /** A refusal made along the way as it was, anything else by what went wrong underneath. */
    RuntimeException translate(URI uri, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ClassifyException e) {
                return e;
            }
        }
        Throwable root = cause instanceof UncheckedIOException unchecked ? unchecked.getCause() : cause;
        if (root instanceof ConnectTimeoutException) {
            return new ClassifyException(ErrorCode.UPSTREAM_TIMEOUT, "could not connect to " + uri.getHost() + " in time");
        }
        if (root instanceof SocketTimeoutException || root instanceof InterruptedIOException) {
            return timeout(uri);
        }
        if (root instanceof UnknownHostException) {
            return upstream("cannot resolve the host of " + uri);
        }
        if (root instanceof ConnectException) {
            return upstream("could not connect to " + uri.getHost() + ":" + effectivePort(uri));
        }
        if (root instanceof IOException e) {
            return upstream("the download of " + uri + " failed: " + e);
        }
        return new IllegalStateException("unexpected failure downloading " + uri, cause);
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
